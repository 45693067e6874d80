import Foundation
import GPT2
import Playground

/// The playground's download key: installs the default model (gpt2) unless it is already here,
/// reporting the progress to the playground, then loads it as the playground loads any model.
struct PlaygroundDownload: Sendable {
    let modelsDir: String?
    let engine: EngineOptions

    func run(progress: @escaping @Sendable (Double?, String) -> Void) async throws -> LoadedModel {
        let name = ModelChoice.defaultModel
        let store: ModelStore
        do {
            store = try ModelStore(folder: modelsDir)
        } catch {
            throw ModelLoadFailure(message: "\(error)")
        }
        let present = store.manifest.entry(named: name).map { store.presence(of: $0).best != nil } ?? false
        let report = InstallProgressReport(name: name, send: progress)
        if !present {
            try await install(name, store: store, report: report)
        }
        report.loading()
        return try await ModelChoice(requested: name, modelsDir: modelsDir).load(engine: engine)
    }

    /// Runs the installer on a thread of its own: it blocks on the network and the disk for
    /// minutes, which the tasks' shared threads must not.
    private func install(_ name: String, store: ModelStore, report: InstallProgressReport) async throws {
        let installer = ModelInstaller(store: store)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            Thread.detachNewThread {
                do throws(ModelInstallError) {
                    try installer.install(name, report: report.record)
                    continuation.resume()
                } catch {
                    let hint = error.isResumable
                        ? "What was fetched is kept: press F8 to resume the download."
                        : "Press F8 to try again, or run `gpt2-tui download \(name)` to see every step."
                    continuation.resume(throwing: ModelLoadFailure(message: "downloading \(name) failed: \(error)", hint: hint))
                }
            }
        }
    }
}
