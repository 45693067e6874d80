import Foundation
import GPT2

extension HistoryRecord {
    /// The record as its file holds it (UTF-8 JSON, schema `HistoryRecord.schemaVersion`).
    public var fileContents: Data {
        Data(jsonValue.text.utf8)
    }

    var jsonValue: HistoryJSON {
        .object([
            ("schema_version", .integer(Int64(Self.schemaVersion))),
            ("id", .string(id)),
            ("created_at", .string(HistoryTimestamp.iso8601(createdAt))),
            ("title", .string(title)),
            ("tags", .array(tags.map(HistoryJSON.string))),
            ("starred", .bool(starred)),
            ("model", .object([
                ("name", .string(model.name)),
                ("file", .string(model.file)),
                ("sha256", .string(model.sha256)),
                ("precision", .string(model.precision)),
            ])),
            ("prompt", .string(prompt)),
            ("parameters", Self.json(parameters)),
            ("seed", .unsigned(seed)),
            ("prompt_token_ids", .array(promptTokenIDs.map { .integer(Int64($0)) })),
            ("dropped_prompt_tokens", .integer(Int64(droppedPromptTokens))),
            ("sequences", .array(sequences.map(Self.json))),
            ("timing", .object([
                ("prefill_ms", .double(timing.prefillMilliseconds)),
                ("decode_ms", .double(timing.decodeMilliseconds)),
                ("generated_tokens", .integer(Int64(timing.generatedTokens))),
                ("decode_tokens_per_s", .double(timing.decodeTokensPerSecond)),
            ])),
        ])
    }

    /// Every parameter under the request JSON's key names, so that the object plus
    /// `"input"` is a request `gpt2-tui generate --request` takes.
    private static func json(_ p: GenerationParameters) -> HistoryJSON {
        .object([
            ("mode", .string(p.mode.rawValue)),
            ("max_length", .integer(Int64(p.maxLength))),
            ("num_return_sequences", .integer(Int64(p.numReturnSequences))),
            ("temperature", .double(p.temperature)),
            ("top_p", .double(p.topP)),
            ("top_k", .integer(Int64(p.topK))),
            ("num_beams", .integer(Int64(p.numBeams))),
            ("no_repeat_ngram_size", p.noRepeatNgramSize.map { .integer(Int64($0)) } ?? .null),
            ("repetition_penalty", .double(p.repetitionPenalty)),
            ("stop", .array(p.stop.map(HistoryJSON.string))),
            ("seed", p.seed.map(HistoryJSON.unsigned) ?? .null),
        ])
    }

    private static func json(_ s: HistorySequence) -> HistoryJSON {
        .object([
            ("text", .string(s.text)),
            ("finish_reason", .string(s.finishReason.rawValue)),
            ("mean_logprob", s.meanLogprob.map(HistoryJSON.float) ?? .null),
            ("score", .float(s.score)),
            ("tokens_per_second", .double(s.tokensPerSecond)),
            ("token_ids", .array(s.tokenIDs.map { .integer(Int64($0)) })),
            ("logprobs", .array(s.logprobs.map(HistoryJSON.float))),
        ])
    }
}
