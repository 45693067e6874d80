import Foundation
import GPT2
import Playground

/// What `generate` does with the history: the identity of the model it ran, the saving of the
/// run, and the check that a replayed run runs on the model it was made with.
struct HistoryRecording {
    let store: HistoryStore
    let digests: WeightsDigestCache

    /// The model as a record names it: the name given to `--model` (a path's last component),
    /// the weights file, its SHA-256 (cached), and the engine's precision.
    func model(_ modelOptions: ModelOptions, precision: EngineOptions.Precision) throws -> HistoryModel {
        let weights: URL
        switch try modelOptions.source() {
        case .gguf(let file): weights = file
        case .huggingFaceFolder(let folder): weights = folder.appendingPathComponent("model.safetensors")
        }
        let path = weights.standardizedFileURL.path
        let sha256 = try reportingHistoryErrors { try digests.sha256(ofFileAt: path) }
        var name = modelOptions.model
        if FileManager.default.fileExists(atPath: name) {
            let given = URL(fileURLWithPath: name).standardizedFileURL
            name = given.pathExtension.lowercased() == "gguf" ? given.deletingPathExtension().lastPathComponent : given.lastPathComponent
        }
        return HistoryModel(name: name, file: path, sha256: sha256, precision: precision.rawValue)
    }

    /// After a run: saves it (unless `save` is false) and checks a replayed run's model. A
    /// history that cannot be written is a warning, not a failed run.
    func finish(_ result: GenerationResult, modelOptions: ModelOptions, precision: EngineOptions.Precision,
                save: Bool, replayed: HistoryRecord?) {
        guard save || replayed != nil else { return }
        do {
            let identity = try model(modelOptions, precision: precision)
            if let replayed { Self.checkReplay(of: replayed, on: identity) }
            if save { try reportingHistoryErrors { try store.save(HistoryRecord(result: result, model: identity)) } }
        } catch let failure as CommandLineFailure {
            Self.warn("warning: the run was not saved to the history: \(failure.message)")
        } catch {
            Self.warn("warning: the run was not saved to the history: \(error)")
        }
    }

    /// Says so when a replayed run is not on the model it was made with (its text may differ).
    static func checkReplay(of record: HistoryRecord, on model: HistoryModel) {
        guard record.model.sha256 != model.sha256 || record.model.precision != model.precision else { return }
        let what = record.model.sha256 != model.sha256
            ? "model \(record.model.name) (sha256 \(record.model.sha256.prefix(12))…)"
            : "the \(record.model.precision) engine"
        warn("note: run \(record.id) was made with \(what), not this one, so its text may differ")
    }

    static func warn(_ line: String) {
        FileHandle.standardError.write(Data("gpt2-tui: \(line)\n".utf8))
    }
}
