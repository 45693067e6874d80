import Foundation

/// What `gpt2-tui download` shows of an installation: a line for each step on stdout, and a bar
/// for each file and for the quantization on a terminal (plain lines otherwise).
final class DownloadTranscript: @unchecked Sendable {
    private let name: String
    // File progress arrives on the transfer's thread, everything else on the caller's.
    private let lock = NSLock()
    private var file: DownloadProgress?
    private var quantization: ProgressBar?

    init(name: String) {
        self.name = name
    }

    func show(_ event: ModelInstaller.Event) {
        lock.withLock {
            switch event {
            case .bundled(let gguf):
                print("\(name): bundled, at \(gguf.path); nothing to download")
            case .alreadyDownloaded(let folder):
                print("\(name): already downloaded in \(folder.path)")
            case .foundInCache(let snapshot):
                print("\(name): found in the Hugging Face cache at \(snapshot.path); nothing to download")
            case .planned:
                break
            case let .fileStarted(fileName, total, offset):
                let progress = DownloadProgress(label: "\(name)/\(fileName)")
                progress.begin(total: total, resumingFrom: offset)
                file = progress
            case let .fileProgress(_, done, total):
                file?.update(done, total)
            case .fileFinished:
                file?.finish()
                file = nil
            case .downloaded(let folder):
                print("\(name): downloaded to \(folder.path)")
            case .alreadyQuantized(let output):
                print("\(name): already quantized, \(output.path)")
            case let .quantizing(_, written, total):
                if quantization == nil { quantization = ProgressBar(label: "quantize q8_0") }
                quantization?.update(written, total)
            case .quantized(let output):
                quantization?.finish()
                quantization = nil
                print("\(name): quantized to \(output.path)")
            }
        }
    }

    /// Clears a bar left half drawn, so that the error line starts at the left margin.
    func abandon() {
        lock.withLock {
            file?.abandon()
            quantization?.abandon()
        }
    }
}
