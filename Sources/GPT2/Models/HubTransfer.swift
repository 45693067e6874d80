import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request run to its end on the calling thread: the response and body chunks go to the
/// callbacks as they arrive; a request that receives nothing for the client's timeout is cancelled.
final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let client: HubClient
    private let request: URLRequest
    private let followRedirects: Bool
    /// Called with the final response; throwing cancels the request with that error.
    var onResponse: (HTTPURLResponse) throws -> Void = { _ in }
    /// Called with each piece of the body; throwing cancels the request with that error.
    var onData: (Data) throws -> Void = { _ in }

    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var response: HTTPURLResponse?
    private var failure: Error?
    private var lastActivity = Date()

    init(client: HubClient, request: URLRequest, followRedirects: Bool) {
        self.client = client
        self.request = request
        self.followRedirects = followRedirects
    }

    /// Runs the request; returns its final response, or throws a `HubDownloadError`.
    func run() throws -> HTTPURLResponse {
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 7 * 24 * 3600  // the stall watchdog below decides
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        touch()
        task.resume()
        let url = request.url?.absoluteString ?? ""
        while finished.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            let idle = lock.withLock { Date().timeIntervalSince(lastActivity) }
            if idle > client.timeout {
                lock.withLock { if failure == nil { failure = HubDownloadError.timedOut(url: url, seconds: client.timeout) } }
                task.cancel()
                finished.wait()
                break
            }
        }
        return try lock.withLock {
            if let failure {
                if let failure = failure as? HubDownloadError { throw failure }
                throw HubDownloadError.network(url: url, reason: HubClient.reason(failure))
            }
            guard let response else { throw HubDownloadError.network(url: url, reason: "no response") }
            return response
        }
    }

    private func touch() {
        lock.withLock { lastActivity = Date() }
    }

    private func fail(_ error: Error, task: URLSessionTask) {
        lock.withLock { if failure == nil { failure = error } }
        task.cancel()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        touch()
        guard followRedirects else {
            completionHandler(nil)
            return
        }
        var next = request
        // Keep the range across the redirect to the storage servers; keep the token on the hub.
        if let range = self.request.value(forHTTPHeaderField: "Range") { next.setValue(range, forHTTPHeaderField: "Range") }
        if next.url?.host != client.endpoint.host { next.setValue(nil, forHTTPHeaderField: "Authorization") }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        touch()
        guard let http = response as? HTTPURLResponse else {
            fail(HubDownloadError.network(url: response.url?.absoluteString ?? "", reason: "not an HTTP response"), task: dataTask)
            completionHandler(.cancel)
            return
        }
        lock.withLock { self.response = http }
        do {
            try onResponse(http)
            completionHandler(.allow)
        } catch {
            fail(error, task: dataTask)
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        touch()
        if lock.withLock({ failure != nil }) { return }
        do {
            try onData(data)
        } catch {
            fail(error, task: dataTask)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock {
            if let error, failure == nil { failure = error }
            if response == nil, failure == nil, let http = task.response as? HTTPURLResponse { response = http }
        }
        finished.signal()
    }
}

/// `FILE.incomplete`: opened for appending, hashed as it grows (its existing bytes first).
final class PartialFile {
    let url: URL
    private let handle: FileHandle
    private var hash: SHA256?
    private(set) var size: Int64

    init(url: URL, hashing: Bool) throws {
        self.url = url
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: url.path) {
            guard fileManager.createFile(atPath: url.path, contents: nil) else {
                throw HubDownloadError.unwritable(path: url.path, reason: String(cString: strerror(errno == 0 ? EACCES : errno)))
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw HubDownloadError.unwritable(path: url.path, reason: String(cString: strerror(errno == 0 ? EACCES : errno)))
        }
        self.handle = handle
        hash = hashing ? SHA256() : nil
        size = 0
        // Hash what an earlier run left, then append after it.
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            } catch {
                throw HubDownloadError.unwritable(path: url.path, reason: HubClient.reason(error))
            }
            if chunk.isEmpty { break }
            if hash != nil { chunk.withUnsafeBytes { hash!.update($0) } }
            size += Int64(chunk.count)
        }
    }

    func append(_ data: Data) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw HubDownloadError.unwritable(path: url.path, reason: HubClient.reason(error))
        }
        if hash != nil { data.withUnsafeBytes { hash!.update($0) } }
        size += Int64(data.count)
    }

    /// Empties the file, to start over.
    func restart() throws {
        do {
            try handle.truncate(atOffset: 0)
        } catch {
            throw HubDownloadError.unwritable(path: url.path, reason: HubClient.reason(error))
        }
        if hash != nil { hash = SHA256() }
        size = 0
    }

    private var closed = false

    /// Flushes to disk and closes.
    func close() throws {
        guard !closed else { return }
        closed = true
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw HubDownloadError.unwritable(path: url.path, reason: HubClient.reason(error))
        }
    }

    func digest() -> String {
        guard var hash else { return "" }
        return hash.finalizeHex()
    }
}
