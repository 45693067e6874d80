import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a download failed, in one line that names the file or address.
public enum HubDownloadError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The hub has no such repository, revision or file (HTTP 404).
    case notFound(url: String)
    /// The hub refused access (HTTP 401 or 403): a private or gated repository.
    case accessDenied(url: String, status: Int)
    /// Any other HTTP status that is not a success.
    case httpStatus(url: String, status: Int)
    /// The connection failed or was lost (a partial file is kept to resume from).
    case network(url: String, reason: String)
    /// The server sent nothing for `seconds`.
    case timedOut(url: String, seconds: Double)
    /// The file's size differs from the hub's.
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// The file's sha256 differs from the hub's; the file was removed.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// A file or folder cannot be created or written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let url):
            return "not found on the hub: \(url)"
        case .accessDenied(let url, let status):
            return "access denied (HTTP \(status)) to \(url); a private or gated repository needs HF_TOKEN"
        case .httpStatus(let url, let status):
            return "HTTP \(status) from \(url)"
        case .network(let url, let reason):
            return "download of \(url) failed: \(reason)"
        case .timedOut(let url, let seconds):
            return "download of \(url) stalled: nothing received for \(Self.format(seconds)) s"
        case .sizeMismatch(let file, let expected, let actual):
            return "\(file) is \(actual) bytes, the hub says \(expected); it was removed"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file) has sha256 \(actual), the hub says \(expected); it was removed"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// What the hub says about a file before it is fetched.
public struct HubFileMetadata: Equatable, Sendable {
    /// The size in bytes (`X-Linked-Size` for files stored in LFS, else `Content-Length`).
    public var size: Int64?
    /// The sha256 of the content, which the hub gives as the ETag of files stored in LFS.
    public var sha256: String?
    /// The commit the revision resolved to (`X-Repo-Commit`).
    public var commit: String?

    public init(size: Int64? = nil, sha256: String? = nil, commit: String? = nil) {
        self.size = size
        self.sha256 = sha256
        self.commit = commit
    }
}

/// Fetches files from the Hugging Face hub as its own clients do: `ENDPOINT/REPO/resolve/REV/FILE`,
/// metadata from a HEAD request that does not follow the redirect to the storage servers, the
/// content from a GET that does, resumed with a `Range` request from `FILE.incomplete`.
public struct HubClient: Sendable {
    /// The default hub.
    public static let defaultEndpoint = URL(string: "https://huggingface.co")!

    public var endpoint: URL
    /// Seconds without any data after which a request is given up.
    public var timeout: TimeInterval
    /// A hub access token (`HF_TOKEN`), sent to the hub only, never to the storage servers.
    public var token: String?

    public init(endpoint: URL = defaultEndpoint, timeout: TimeInterval = 30, token: String? = nil) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.token = token
    }

    /// The client of `$HF_ENDPOINT` (default `https://huggingface.co`) with `$HF_TOKEN`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: TimeInterval = 30) throws {
        var endpoint = Self.defaultEndpoint
        if let text = environment["HF_ENDPOINT"], !text.isEmpty {
            let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
            guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw HubDownloadError.network(url: text, reason: "HF_ENDPOINT is not an http(s) address")
            }
            endpoint = url
        }
        let token = environment["HF_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(endpoint: endpoint, timeout: timeout, token: token)
    }

    /// `ENDPOINT/REPO/resolve/REVISION/FILE`.
    public func fileURL(repository: String, revision: String, file: String) -> URL {
        let encodedRevision = revision.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? revision
        var url = endpoint
        for part in repository.split(separator: "/") { url.append(path: String(part)) }
        return URL(string: url.absoluteString + "/resolve/" + encodedRevision + "/" + file)!
    }

    // MARK: - Metadata

    /// Asks the hub for a file's size, sha256 and commit with a HEAD request.
    public func metadata(repository: String, revision: String, file: String) throws -> HubFileMetadata {
        var url = fileURL(repository: repository, revision: revision, file: file)
        var metadata = HubFileMetadata()
        for _ in 0..<6 {
            var request = makeRequest(url)
            request.httpMethod = "HEAD"
            let response = try Transfer(client: self, request: request, followRedirects: false).run()
            try Self.check(response, url: url)
            let headers = Headers(response)
            metadata.commit = metadata.commit ?? headers["x-repo-commit"]
            let etag = (headers["x-linked-etag"] ?? headers["etag"]).map(Self.normalizedETag)
            if metadata.sha256 == nil, let etag, ModelManifest.isSHA256(etag) { metadata.sha256 = etag }
            if metadata.size == nil, let size = (headers["x-linked-size"] ?? headers["content-length"]).flatMap({ Int64($0) }) {
                metadata.size = size
            }
            // A relative redirect stays on the hub (a renamed repository): follow it. An absolute
            // one leads to the storage servers, whose headers are not the hub's.
            if (300..<400).contains(response.statusCode), let location = headers["location"], location.hasPrefix("/"),
               let next = URL(string: location, relativeTo: url)?.absoluteURL {
                if headers["x-linked-size"] == nil { metadata.size = nil }
                url = next
                continue
            }
            return metadata
        }
        throw HubDownloadError.network(url: url.absoluteString, reason: "too many redirects")
    }

    // MARK: - Download

    /// Downloads `file` of `repository` into `folder`, resuming `FILE.incomplete` if there is one,
    /// checking the size and sha256 (the manifest's, else the hub's `metadata`), and renaming it to
    /// `FILE` only then. Returns the file. `progress` gets the bytes present and the total.
    @discardableResult
    public func download(
        repository: String, revision: String, file: ModelManifest.File, into folder: URL,
        metadata: HubFileMetadata, progress: @escaping @Sendable (_ done: Int64, _ total: Int64?) -> Void = { _, _ in }
    ) throws -> URL {
        let url = fileURL(repository: repository, revision: revision, file: file.name)
        let destination = folder.appending(path: file.name)
        let partial = folder.appending(path: file.name + ".incomplete")
        let expectedSize = file.size.map(Int64.init) ?? metadata.size
        let expectedSHA = file.sha256 ?? metadata.sha256

        do {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw HubDownloadError.unwritable(path: destination.deletingLastPathComponent().path, reason: Self.reason(error))
        }
        let output = try PartialFile(url: partial, hashing: expectedSHA != nil)
        if let expectedSize, output.size > expectedSize { try output.restart() }

        if expectedSize == nil || output.size < expectedSize! {
            var request = makeRequest(url)
            if output.size > 0 { request.setValue("bytes=\(output.size)-", forHTTPHeaderField: "Range") }
            let requestedOffset = output.size
            let transfer = Transfer(client: self, request: request, followRedirects: true)
            transfer.onResponse = { response in
                let location = response.url?.absoluteString ?? url.absoluteString
                switch response.statusCode {
                case 206:
                    let range = Headers(response)["content-range"] ?? ""
                    guard range.hasPrefix("bytes \(requestedOffset)-") else {
                        throw HubDownloadError.network(url: location, reason: "the server resumed at the wrong place (\(range))")
                    }
                case 200:
                    if output.size > 0 { try output.restart() }  // the server ignored the range
                default:
                    try Self.check(response, url: url)
                    throw HubDownloadError.httpStatus(url: location, status: response.statusCode)
                }
                progress(output.size, expectedSize)
            }
            transfer.onData = { data in
                try output.append(data)
                progress(output.size, expectedSize)
            }
            do {
                _ = try transfer.run()
            } catch {
                try? output.close()
                throw error
            }
        }
        try output.close()
        progress(output.size, expectedSize)

        if let expectedSize, output.size != expectedSize {
            if output.size < expectedSize {
                throw HubDownloadError.network(url: url.absoluteString, reason: "the connection closed after \(output.size) of \(expectedSize) bytes")
            }
            try? FileManager.default.removeItem(at: partial)
            throw HubDownloadError.sizeMismatch(file: destination.path, expected: expectedSize, actual: output.size)
        }
        if let expectedSHA {
            let actual = output.digest()
            guard actual == expectedSHA else {
                try? FileManager.default.removeItem(at: partial)
                throw HubDownloadError.checksumMismatch(file: destination.path, expected: expectedSHA, actual: actual)
            }
        }
        guard rename(partial.path, destination.path) == 0 else {
            throw HubDownloadError.unwritable(path: destination.path, reason: String(cString: strerror(errno)))
        }
        return destination
    }

    // MARK: - Plumbing

    func makeRequest(_ url: URL) -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 7 * 24 * 3600)
        request.setValue("gpt2-tui", forHTTPHeaderField: "User-Agent")
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if let token, url.host == endpoint.host { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    static func check(_ response: HTTPURLResponse, url: URL) throws {
        switch response.statusCode {
        case 200..<400: return
        case 404, 410: throw HubDownloadError.notFound(url: url.absoluteString)
        case 401, 403: throw HubDownloadError.accessDenied(url: url.absoluteString, status: response.statusCode)
        default: throw HubDownloadError.httpStatus(url: url.absoluteString, status: response.statusCode)
        }
    }

    static func normalizedETag(_ etag: String) -> String {
        var value = etag.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
    }

    static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}

/// Response headers, looked up without regard to case.
struct Headers {
    private var fields: [String: String] = [:]

    init(_ response: HTTPURLResponse) {
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key.lowercased()] = value }
        }
    }

    subscript(name: String) -> String? { fields[name.lowercased()] }
}
