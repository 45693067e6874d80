import Foundation

/// An installation's progress as the playground shows it: the fraction of all the bytes to
/// fetch (nil while the sizes are not all known) and one line with the file, the bytes, the
/// rate and the time left; then the quantization's fraction. At most about ten reports a
/// second, and always the first and last of each step.
final class InstallProgressReport: @unchecked Sendable {
    private let name: String
    private let send: @Sendable (Double?, String) -> Void
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var files: [String] = []
    private var totals: [Int64?] = []
    private var done: [Int64] = []
    private var baseline: Int64 = 0
    private var started: Date?
    private var lastSent: Date?
    private static let interval = 0.1

    init(name: String, now: @escaping @Sendable () -> Date = Date.init, send: @escaping @Sendable (Double?, String) -> Void) {
        self.name = name
        self.now = now
        self.send = send
    }

    func record(_ event: ModelInstaller.Event) {
        lock.withLock {
            switch event {
            case .bundled, .alreadyDownloaded, .foundInCache, .alreadyQuantized, .quantized, .fileFinished:
                // Nothing to watch: the next step, or the loading, reports.
                break
            case let .planned(files, totals, present):
                self.files = files
                self.totals = totals
                done = present
                baseline = present.reduce(0, +)
                started = now()
                emit(fraction, "\(name): fetching \(files.joined(separator: ", "))", always: true)
            case let .fileStarted(file, _, _):
                emit(fraction, line(file: file), always: true)
            case let .fileProgress(file, bytes, total):
                guard let index = files.firstIndex(of: file) else { return }
                done[index] = bytes
                emit(fraction, line(file: file), always: bytes == total)
            case .downloaded:
                emit(fraction, "\(name): downloaded \(DownloadProgress.bytes(done.reduce(0, +)))", always: true)
            case let .quantizing(output, written, total):
                let part = total > 0 ? min(max(Double(written) / Double(total), 0), 1) : nil
                emit(part, "quantizing to \(output.lastPathComponent)…", always: written == 0 || written == total)
            }
        }
    }

    /// The last report: everything is in place and the model is being loaded.
    func loading() {
        lock.withLock { emit(1, "loading \(name)…", always: true) }
    }

    /// The fraction of all the bytes to fetch, once every size is known.
    private var fraction: Double? {
        let sizes = totals.compactMap { $0 }
        guard sizes.count == totals.count else { return nil }
        let total = sizes.reduce(0, +)
        guard total > 0 else { return 1 }
        return min(max(Double(done.reduce(0, +)) / Double(total), 0), 1)
    }

    /// "gpt2/model.safetensors · 12.3 MB of 551.2 MB · 4.1 MB/s · 2 min 11 s left".
    private func line(file: String) -> String {
        let present = done.reduce(0, +)
        let sizes = totals.compactMap { $0 }
        let total: Int64? = sizes.count == totals.count ? sizes.reduce(0, +) : nil
        var parts = ["\(name)/\(file)", total.map { "\(DownloadProgress.bytes(present)) of \(DownloadProgress.bytes($0))" } ?? DownloadProgress.bytes(present)]
        if let started {
            let elapsed = now().timeIntervalSince(started)
            let rate = elapsed > 0.5 ? Double(present - baseline) / elapsed : 0
            if rate > 0 {
                parts.append("\(DownloadProgress.bytes(Int64(rate)))/s")
                if let total { parts.append("\(DownloadProgress.duration(Double(total - present) / rate)) left") }
            }
        }
        return parts.joined(separator: " · ")
    }

    private func emit(_ fraction: Double?, _ detail: String, always: Bool) {
        let time = now()
        if !always, let lastSent, time.timeIntervalSince(lastSent) < Self.interval { return }
        lastSent = time
        send(fraction, detail)
    }
}
