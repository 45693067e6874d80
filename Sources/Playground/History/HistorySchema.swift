import Foundation
import GPT2

/// Reads record files: the current schema directly, older schemas through `upgrades` (in
/// memory; the file is left as it is), and anything else (a newer schema, a damaged file) as an
/// `HistoryError.unreadable` whose reason says what is wrong.
public struct HistorySchema: Sendable {
    /// Turns the JSON object of a schema-n record into a schema-(n + 1) one; `schema_version`
    /// is set after each step.
    public typealias Upgrade = @Sendable (inout [String: Any]) throws -> Void

    /// The step from each older schema to the next. Schema 1 is the first, so there is none
    /// yet: when a field changes, schema 2 comes with the step 1 → 2 here.
    public let upgrades: [Int: Upgrade]

    public init(upgrades: [Int: Upgrade] = [:]) {
        self.upgrades = upgrades
    }

    public static let standard = HistorySchema()

    /// The record in `data`, the contents of the file named `id` + `.json`; its `id` is set to
    /// `id`.
    public func record(from data: Data, id: String) throws(HistoryError) -> HistoryRecord {
        do {
            var record = try Self.decoder.decode(RecordFile.self, from: data).record
            record.id = id
            return record
        } catch let version as SchemaVersion {
            switch version {
            case .newer(let found):
                throw .unreadable(id: id, reason: "it has schema_version \(found), from a newer gpt2-tui (this one reads up to \(HistoryRecord.schemaVersion))")
            case .older(let found):
                var record = try upgrade(data, from: found, id: id)
                record.id = id
                return record
            }
        } catch let invalid as GenerationError {
            throw .unreadable(id: id, reason: "parameters: \(invalid.description)")
        } catch let decoding as DecodingError {
            throw .unreadable(id: id, reason: Self.reason(decoding, data: data))
        } catch {
            throw .unreadable(id: id, reason: "\(error)")
        }
    }

    private func upgrade(_ data: Data, from version: Int, id: String) throws(HistoryError) -> HistoryRecord {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .unreadable(id: id, reason: "not a JSON object")
        }
        var current = version
        while current < HistoryRecord.schemaVersion {
            guard let step = upgrades[current] else {
                throw .unreadable(id: id, reason: "schema_version \(current) is not supported (this gpt2-tui reads \(upgrades.keys.min() ?? HistoryRecord.schemaVersion) to \(HistoryRecord.schemaVersion))")
            }
            do {
                try step(&object)
            } catch {
                throw .unreadable(id: id, reason: "cannot migrate it from schema_version \(current): \(error)")
            }
            current += 1
            object["schema_version"] = current
        }
        let upgraded: Data
        do {
            upgraded = try JSONSerialization.data(withJSONObject: object)
        } catch {
            throw .unreadable(id: id, reason: "its migration from schema_version \(version) gave no JSON: \(error)")
        }
        do {
            return try Self.decoder.decode(RecordFile.self, from: upgraded).record
        } catch let invalid as GenerationError {
            throw .unreadable(id: id, reason: "parameters: \(invalid.description)")
        } catch let decoding as DecodingError {
            throw .unreadable(id: id, reason: "after migration from schema_version \(version): " + Self.reason(decoding, data: upgraded))
        } catch {
            throw .unreadable(id: id, reason: "\(error)")
        }
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// A short reason naming the field: "missing sequences[0].token_ids", "seed is not an integer".
    static func reason(_ error: DecodingError, data: Data) -> String {
        switch error {
        case let .keyNotFound(key, context):
            return "missing \(path(context.codingPath + [key]))"
        case let .valueNotFound(_, context):
            return "\(path(context.codingPath)) is null"
        case let .typeMismatch(type, context):
            if context.codingPath.isEmpty { return "not a JSON object" }
            return "\(path(context.codingPath)) is not \(kind(type))"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                if data.isEmpty { return "the file is empty" }
                let last = data.last(where: { ![0x20, 0x0a, 0x0d, 0x09].contains($0) })
                return last == UInt8(ascii: "}") ? "not valid JSON" : "not valid JSON (it ends early: truncated?)"
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }
}

/// A file's schema_version is not the current one.
private enum SchemaVersion: Error {
    case older(Int), newer(Int)
}

/// The file's layout, decoded field by field so that each problem names its key.
private struct RecordFile: Decodable {
    var record: HistoryRecord

    enum Key: String, CodingKey {
        case schema_version, id, created_at, title, tags, starred, model, prompt, parameters, seed
        case prompt_token_ids, dropped_prompt_tokens, sequences, timing
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let version = try c.decode(Int.self, forKey: .schema_version)
        if version > HistoryRecord.schemaVersion { throw SchemaVersion.newer(version) }
        if version < HistoryRecord.schemaVersion { throw SchemaVersion.older(version) }
        let created = try c.decode(String.self, forKey: .created_at)
        guard let createdAt = HistoryTimestamp.parseISO8601(created) else {
            throw DecodingError.dataCorruptedError(forKey: .created_at, in: c, debugDescription: "\"\(created)\" is not an ISO 8601 time")
        }
        let parameters = try c.decode(ParametersFile.self, forKey: .parameters).parameters
        try parameters.validate()
        let timing = try c.decode(TimingFile.self, forKey: .timing)
        record = HistoryRecord(
            id: try c.decode(String.self, forKey: .id),
            createdAt: createdAt,
            title: try c.decodeIfPresent(String.self, forKey: .title) ?? "",
            tags: try c.decodeIfPresent([String].self, forKey: .tags) ?? [],
            starred: try c.decodeIfPresent(Bool.self, forKey: .starred) ?? false,
            model: try c.decode(HistoryModel.self, forKey: .model),
            prompt: try c.decode(String.self, forKey: .prompt),
            promptTokenIDs: try c.decode([Int32].self, forKey: .prompt_token_ids),
            droppedPromptTokens: try c.decode(Int.self, forKey: .dropped_prompt_tokens),
            parameters: parameters,
            seed: try c.decode(UInt64.self, forKey: .seed),
            sequences: try c.decode([SequenceFile].self, forKey: .sequences).map(\.sequence),
            timing: HistoryTiming(prefillMilliseconds: timing.prefill_ms, decodeMilliseconds: timing.decode_ms,
                                  generatedTokens: timing.generated_tokens))
    }
}

private struct ParametersFile: Decodable {
    var parameters = GenerationParameters()

    enum Key: String, CodingKey {
        case mode, max_length, num_return_sequences, temperature, top_p, top_k, num_beams
        case no_repeat_ngram_size, repetition_penalty, stop, seed
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let mode = try c.decode(String.self, forKey: .mode)
        guard let decodingMode = DecodingMode(rawValue: mode) else {
            throw DecodingError.dataCorruptedError(forKey: .mode, in: c, debugDescription: "unknown mode \"\(mode)\"")
        }
        parameters.mode = decodingMode
        parameters.maxLength = try c.decode(Int.self, forKey: .max_length)
        parameters.numReturnSequences = try c.decode(Int.self, forKey: .num_return_sequences)
        parameters.temperature = try c.decode(Double.self, forKey: .temperature)
        parameters.topP = try c.decode(Double.self, forKey: .top_p)
        parameters.topK = try c.decode(Int.self, forKey: .top_k)
        parameters.numBeams = try c.decode(Int.self, forKey: .num_beams)
        parameters.noRepeatNgramSize = try c.decodeIfPresent(Int.self, forKey: .no_repeat_ngram_size)
        parameters.repetitionPenalty = try c.decode(Double.self, forKey: .repetition_penalty)
        parameters.stop = try c.decode([String].self, forKey: .stop)
        parameters.seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    }
}

private struct SequenceFile: Decodable {
    var sequence: HistorySequence

    enum Key: String, CodingKey {
        case text, finish_reason, mean_logprob, score, tokens_per_second, token_ids, logprobs
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let reason = try c.decode(String.self, forKey: .finish_reason)
        guard let finishReason = FinishReason(rawValue: reason) else {
            throw DecodingError.dataCorruptedError(forKey: .finish_reason, in: c, debugDescription: "unknown finish reason \"\(reason)\"")
        }
        sequence = HistorySequence(
            text: try c.decode(String.self, forKey: .text),
            tokenIDs: try c.decode([Int32].self, forKey: .token_ids),
            logprobs: try c.decode([Float].self, forKey: .logprobs),
            meanLogprob: try c.decodeIfPresent(Float.self, forKey: .mean_logprob),
            score: try c.decode(Float.self, forKey: .score),
            finishReason: finishReason,
            tokensPerSecond: try c.decode(Double.self, forKey: .tokens_per_second))
    }
}

private struct TimingFile: Decodable {
    var prefill_ms: Double
    var decode_ms: Double
    var generated_tokens: Int
}
