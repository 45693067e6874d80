import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that answers as the Hugging Face hub does:
/// `/{repo}/resolve/{revision}/{file}`, HEAD and GET, `Range`, and for "LFS" files a redirect to
/// `/cdn/{sha256}` with `X-Linked-Etag` and `X-Linked-Size`. Faults can be switched on per file:
/// a 404, a connection cut after some bytes (once), a wrong sha256, a stall, a slow line.
final class LoopbackHubServer: @unchecked Sendable {
    struct Request: Equatable {
        var method: String
        var path: String
        var range: String?
    }

    private let lock = NSLock()
    private var files: [String: Data] = [:]          // "/org/name/resolve/main/file" → content
    private var lfs: [String: String] = [:]           // path → sha256 of LFS files
    private var blobs: [String: Data] = [:]            // sha256 → content
    private var blobNames: [String: String] = [:]      // sha256 → file name
    private var log: [Request] = []
    private var notFound: Set<String> = []
    private var cutAfter: [String: Int] = [:]
    private var wrongSHA: Set<String> = []
    private var stalls: Set<String> = []
    private var rates: [String: Int] = [:]
    private var stopped = false
    private let listener: Int32
    let port: UInt16

    var endpoint: String { "http://127.0.0.1:\(port)" }

    var requests: [Request] { lock.withLock { log } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { close(listener); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    func stop() {
        let wasStopped = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if !wasStopped {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    /// Serves `folder`'s files as `repository` at revision `main`; `lfsFiles` are served as the
    /// hub serves LFS files (through a redirect, with their sha256).
    func serve(folder: URL, as repository: String, lfsFiles: Set<String> = ["model.safetensors"]) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            try serve(Data(contentsOf: folder.appending(path: name)), as: repository, file: name, lfs: lfsFiles.contains(name))
        }
    }

    func serve(_ data: Data, as repository: String, file: String, lfs isLFS: Bool) {
        let path = "/\(repository)/resolve/main/\(file)"
        lock.withLock {
            files[path] = data
            if isLFS {
                let sha = Self.sha256(data)
                lfs[path] = sha
                blobs[sha] = data
                blobNames[sha] = file
            }
        }
    }

    func failWith404(_ file: String) { lock.withLock { _ = notFound.insert(file) } }
    func cutOnce(_ file: String, after bytes: Int) { lock.withLock { cutAfter[file] = bytes } }
    func announceWrongSHA(_ file: String) { lock.withLock { _ = wrongSHA.insert(file) } }
    func stall(_ file: String) { lock.withLock { _ = stalls.insert(file) } }
    /// Sends `file` at about `bytesPerSecond`, so that its progress can be watched.
    func throttle(_ file: String, bytesPerSecond: Int) { lock.withLock { rates[file] = bytesPerSecond } }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in
                handle(connection)
                close(connection)
            }
            thread.start()
        }
    }

    private func handle(_ connection: Int32) {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.containsHeaderEnd {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return }
            received += buffer[0..<count]
        }
        let head = String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        let method = String(parts[0]), path = String(parts[1]).removingPercentEncoding ?? String(parts[1])
        var range: String?
        for line in lines.dropFirst() where line.lowercased().hasPrefix("range:") {
            range = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
        }
        lock.withLock { log.append(Request(method: method, path: path, range: range)) }
        let lastComponent = path.components(separatedBy: "/").last ?? ""
        let fileName = lock.withLock { blobNames[lastComponent] } ?? lastComponent

        struct Plan { var data: Data; var headers: [String: String] }
        let plan: Plan? = lock.withLock {
            if path.hasPrefix("/cdn/"), let blob = blobs[String(path.dropFirst(5))] {
                return Plan(data: blob, headers: [:])
            }
            guard let data = files[path], !notFound.contains(fileName) else { return nil }
            if let sha = lfs[path] {
                let announced = wrongSHA.contains(fileName) ? String(repeating: "0", count: 64) : sha
                return Plan(data: data, headers: [
                    "X-Linked-Etag": "\"\(announced)\"", "X-Linked-Size": "\(data.count)",
                    "Location": "\(endpoint)/cdn/\(sha)", "X-Repo-Commit": "0123456789abcdef0123456789abcdef01234567",
                ])
            }
            return Plan(data: data, headers: [
                "ETag": "\"\(String(repeating: "a", count: 40))\"", "X-Repo-Commit": "0123456789abcdef0123456789abcdef01234567",
            ])
        }
        guard let plan else {
            send(connection, "HTTP/1.1 404 Not Found\r\nX-Error-Code: EntryNotFound\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        }
        if plan.headers["Location"] != nil {
            var text = "HTTP/1.1 302 Found\r\nContent-Length: 0\r\nConnection: close\r\n"
            for (key, value) in plan.headers { text += "\(key): \(value)\r\n" }
            send(connection, text + "\r\n")
            return
        }
        var start = 0
        var status = "200 OK"
        var extra = ""
        if let range, range.hasPrefix("bytes="), let offset = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
            guard offset < plan.data.count else {
                send(connection, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */\(plan.data.count)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            }
            start = offset
            status = "206 Partial Content"
            extra = "Content-Range: bytes \(offset)-\(plan.data.count - 1)/\(plan.data.count)\r\n"
        }
        let body = plan.data[plan.data.startIndex + start..<plan.data.endIndex]
        var text = "HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nAccept-Ranges: bytes\r\nConnection: close\r\n" + extra
        for (key, value) in plan.headers { text += "\(key): \(value)\r\n" }
        send(connection, text + "\r\n")
        guard method == "GET" else { return }

        let (cut, stalled, rate) = lock.withLock { () -> (Int?, Bool, Int?) in
            let cut = cutAfter.removeValue(forKey: fileName)
            return (cut, stalls.contains(fileName), rates[fileName])
        }
        if stalled {
            send(connection, Data(body.prefix(body.count / 2)))
            for _ in 0..<100 where !lock.withLock({ stopped }) { usleep(50_000) }
            return
        }
        if let cut {
            send(connection, Data(body.prefix(cut)))
            return
        }
        if let rate {
            // Ten pieces a second.
            let piece = max(1, rate / 10)
            var offset = body.startIndex
            while offset < body.endIndex, !lock.withLock({ stopped }) {
                let end = min(offset + piece, body.endIndex)
                send(connection, Data(body[offset..<end]))
                offset = end
                usleep(100_000)
            }
            return
        }
        send(connection, Data(body))
    }

    private func send(_ connection: Int32, _ text: String) {
        send(connection, Data(text.utf8))
    }

    private func send(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let sent = Glibc.send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let sent = Darwin.send(connection, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    static func sha256(_ data: Data) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: out, as: UTF8.self).prefix(64))
    }
}

private extension [UInt8] {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}
