import GPT2

/// Parameters as the members of a request JSON object, in the order of the seed documents'
/// example (`max_length`, `mode`, `top_p`, `top_k`, `temperature`, `num_beams`,
/// `no_repeat_ngram_size`, `num_return_sequences`, `seed`), then `repetition_penalty` and
/// `stop`, written by hand so the order is stable and readable.
enum ParameterJSON {
    indirect enum Value {
        case string(String)
        case integer(Int)
        case unsigned(UInt64)
        case number(Double)
        case strings([String])
        case object([(key: String, value: Value)])
    }

    /// The members for `p`. With `complete` every value is written (for presets, which restore
    /// all of them); without, only those that matter in the mode, and optional ones only when
    /// they differ from the default. A random seed is written as -1, an n-gram size left to
    /// the mode is left out.
    static func members(of p: GenerationParameters, complete: Bool) -> [(key: String, value: Value)] {
        func wanted(_ field: ParameterField) -> Bool { complete || field.applies(in: p.mode) }
        let defaults = GenerationParameters()
        var members: [(key: String, value: Value)] = [
            ("max_length", .integer(p.maxLength)),
            ("mode", .string(p.mode.rawValue)),
        ]
        if wanted(.topP) { members.append(("top_p", .number(p.topP))) }
        if wanted(.topK) { members.append(("top_k", .integer(p.topK))) }
        if wanted(.temperature) { members.append(("temperature", .number(p.temperature))) }
        if wanted(.numBeams) { members.append(("num_beams", .integer(p.numBeams))) }
        if let n = p.noRepeatNgramSize { members.append(("no_repeat_ngram_size", .integer(n))) }
        members.append(("num_return_sequences", .integer(p.numReturnSequences)))
        if wanted(.seed) { members.append(("seed", p.seed.map { .unsigned($0) } ?? .integer(-1))) }
        if complete || p.repetitionPenalty != defaults.repetitionPenalty {
            members.append(("repetition_penalty", .number(p.repetitionPenalty)))
        }
        if complete || !p.stop.isEmpty { members.append(("stop", .strings(p.stop))) }
        return members
    }

    /// What a request with only the members written for `p` (not `complete`) reads back as:
    /// `p` with every value that does not matter in its mode at its default.
    static func relevant(_ p: GenerationParameters) -> GenerationParameters {
        var q = GenerationParameters()
        q.mode = p.mode
        q.maxLength = p.maxLength
        q.numReturnSequences = p.numReturnSequences
        q.noRepeatNgramSize = p.noRepeatNgramSize
        q.repetitionPenalty = p.repetitionPenalty
        q.stop = p.stop
        if ParameterField.topP.applies(in: p.mode) { q.topP = p.topP }
        if ParameterField.topK.applies(in: p.mode) { q.topK = p.topK }
        if ParameterField.temperature.applies(in: p.mode) { q.temperature = p.temperature }
        if ParameterField.numBeams.applies(in: p.mode) { q.numBeams = p.numBeams }
        if ParameterField.seed.applies(in: p.mode) { q.seed = p.seed }
        return q
    }

    /// A JSON object, one member per line, indented by four spaces a level as in the seed
    /// documents.
    static func object(_ members: [(key: String, value: Value)]) -> String {
        text(of: .object(members), depth: 0)
    }

    private static func text(of value: Value, depth: Int) -> String {
        switch value {
        case .string(let s): return quoted(s)
        case .integer(let n): return String(n)
        case .unsigned(let n): return String(n)
        // Swift writes the shortest text that reads back as the same double ("0.7", "1.0").
        case .number(let x): return "\(x)"
        case .strings(let list): return "[" + list.map(quoted).joined(separator: ", ") + "]"
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            let indent = "    "
            let outer = String(repeating: indent, count: depth)
            let lines = members.map { outer + indent + quoted($0.key) + ": " + text(of: $0.value, depth: depth + 1) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + outer + "}"
        }
    }

    /// `s` as a JSON string: quotes, backslashes and control characters escaped, everything
    /// else (any Unicode) as itself.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
