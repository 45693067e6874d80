import Foundation

/// A request in the JSON shape of the GPT-2 text-generation APIs:
/// `{"input": "...", "max_length": 50, "mode": "beam", "num_beams": 5, "seed": -1, ...}`.
public struct GenerationRequest: Sendable, Equatable {
    public var input: String
    public var parameters: GenerationParameters

    public init(input: String, parameters: GenerationParameters) {
        self.input = input
        self.parameters = parameters
    }

    /// The keys a request may carry; anything else is refused so a typo is never silently ignored.
    public static let keys: Set<String> = [
        "input", "max_length", "max_new_tokens", "num_return_sequences", "mode", "temperature", "top_p",
        "top_k", "num_beams", "no_repeat_ngram_size", "repetition_penalty", "stop", "seed",
    ]

    /// Parses a request; every problem is named by its key.
    public init(json data: Data) throws(RequestError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw .invalidJSON("the request is not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw .invalidJSON("the request must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw .invalidField(key: unknown, reason: "is not a known request key")
        }
        guard let input = fields["input"] else { throw .invalidField(key: "input", reason: "is required") }
        guard let text = input as? String else { throw .invalidField(key: "input", reason: "must be a string") }
        self.input = text
        var p = GenerationParameters()
        if let v = fields["mode"] {
            guard let name = v as? String else { throw .invalidField(key: "mode", reason: "must be a string") }
            guard let mode = DecodingMode(rawValue: name) else {
                throw .invalidField(key: "mode", reason: "must be one of \(DecodingMode.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(name)\"")
            }
            p.mode = mode
        }
        if fields["max_length"] != nil, fields["max_new_tokens"] != nil {
            throw .invalidField(key: "max_new_tokens", reason: "is an alias of max_length; give only one")
        }
        if let v = try Self.integer(fields, "max_length") { p.maxLength = v }
        if let v = try Self.integer(fields, "max_new_tokens") { p.maxLength = v }
        if let v = try Self.integer(fields, "num_return_sequences") { p.numReturnSequences = v }
        if let v = try Self.number(fields, "temperature") { p.temperature = v }
        if let v = try Self.number(fields, "top_p") { p.topP = v }
        if let v = try Self.integer(fields, "top_k") { p.topK = v }
        if let v = try Self.integer(fields, "num_beams") { p.numBeams = v }
        if let v = try Self.integer(fields, "no_repeat_ngram_size") { p.noRepeatNgramSize = v }
        if let v = try Self.number(fields, "repetition_penalty") { p.repetitionPenalty = v }
        if let v = try Self.integer(fields, "seed") {
            guard v >= -1 else { throw .invalidField(key: "seed", reason: "must be -1 (random) or a non-negative integer, got \(v)") }
            p.seed = v == -1 ? nil : UInt64(v)
        }
        if let v = fields["stop"] {
            if let one = v as? String {
                p.stop = [one]
            } else if let many = v as? [Any], let strings = many as? [String] {
                p.stop = strings
            } else {
                throw .invalidField(key: "stop", reason: "must be a string or a list of strings")
            }
        }
        parameters = p
    }

    private static func number(_ fields: [String: Any], _ key: String) throws(RequestError) -> Double? {
        guard let v = fields[key] else { return nil }
        guard let n = v as? NSNumber, !Self.isBoolean(n) else { throw .invalidField(key: key, reason: "must be a number") }
        return n.doubleValue
    }

    private static func integer(_ fields: [String: Any], _ key: String) throws(RequestError) -> Int? {
        guard try number(fields, key) != nil, let n = fields[key] as? NSNumber else { return nil }
        // Read exactly, not through a double: seeds go up to Int64.max. A fraction or a number
        // beyond Int does not convert.
        guard let i = n as? Int else { throw .invalidField(key: key, reason: "must be an integer") }
        return i
    }

    private static func isBoolean(_ n: NSNumber) -> Bool {
        // JSONSerialization gives booleans as NSNumber too, with the C type code of a char.
        String(cString: n.objCType) == "c"
    }
}

/// Why a request could not be read.
public enum RequestError: Error, Equatable, CustomStringConvertible {
    case invalidJSON(String)
    case invalidField(key: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidJSON(reason): return reason
        case let .invalidField(key, reason): return "request key \"\(key)\" \(reason)"
        }
    }
}
