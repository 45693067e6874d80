import Foundation
import GPT2

/// `generate --stream`: one sequence prints as plain text while it grows; several print one
/// JSON object per event and line, so a script can follow every column.
struct StreamPrinter {
    let prompt: String
    let sequences: Int

    func print(_ event: GenerationEvent) throws {
        if sequences == 1 {
            switch event {
            case .promptTokenized: write(prompt)
            case let .token(_, text): write(text)
            case let .sequenceFinished(_, _, text): write(text + "\n")
            default: break
            }
            return
        }
        if let line = try Self.line(for: event) { write(line + "\n") }
    }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// One JSON object for an event, or nil for events a script has no use for.
    static func line(for event: GenerationEvent) throws -> String? {
        let object: [String: Any]
        switch event {
        case let .promptTokenized(tokens, dropped):
            object = ["event": "prompt", "token_ids": tokens.map(Int.init), "dropped_tokens": dropped]
        case let .prefillFinished(milliseconds):
            object = ["event": "prefill", "ms": milliseconds]
        case let .token(token, text):
            object = ["event": "token", "sequence": token.sequence, "id": Int(token.id), "text": text,
                      "logprob": Double(token.logprob)]
        case let .beamHypotheses(hypotheses):
            object = ["event": "beams", "texts": hypotheses.map(\.text), "scores": hypotheses.map { Double($0.score) }]
        case let .parametersApplied(step):
            object = ["event": "parameters", "step": step]
        case let .sequenceFinished(sequence, reason, text):
            object = ["event": "finished", "sequence": sequence, "reason": reason.rawValue, "text": text]
        case let .runFinished(result):
            object = ["event": "done", "texts": result.sequences.map { result.prompt + $0.text },
                      "decode_tokens_per_s": result.timing.decodeTokensPerSecond]
        case let .failed(message):
            object = ["event": "error", "message": message]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
