import Foundation

extension GPT2Config {
    /// The largest `config.json` accepted; real ones are about a kilobyte.
    public static let maximumConfigFileSize = 16 << 20

    /// Reads transformers' `config.json` for a GPT-2 model.
    ///
    /// Reads `n_layer`, `n_head`, `n_embd`, `n_positions` (falling back to the older `n_ctx` only
    /// when `n_positions` is absent, as transformers 5 no longer writes `n_ctx`), `vocab_size` and
    /// `layer_norm_epsilon` (default 1e-5), then validates them (`validate(file:)`).
    ///
    /// Refuses configs that describe a different model than the one this engine runs:
    /// a `model_type` other than "gpt2"; an `activation_function` other than "gelu_new" (GPT-2's
    /// tanh-approximated GELU); an `n_inner` other than 4 × `n_embd`; attention scaled differently
    /// (`scale_attn_weights` false or `scale_attn_by_inverse_layer_idx` true); cross-attention; or a
    /// language-model head that is not tied to the token embedding (`tie_word_embeddings` false).
    ///
    /// - Throws: `ModelFileError.unreadable` when the file cannot be read, `.invalidConfig` naming
    ///   the field otherwise.
    public static func load(configURL: URL) throws -> GPT2Config {
        let mapped = try MappedFile(url: configURL)
        let file = mapped.path
        guard mapped.size <= maximumConfigFileSize else {
            throw ModelFileError.unreadable(
                file: file, reason: "\(mapped.size) bytes is too large for a config file")
        }
        let bytes = try mapped.bytes(offset: 0, count: mapped.size)
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ModelFileError.invalidConfig(file: file, field: "", reason: error.reason)
        }
        guard case .object(let fields) = document else {
            throw ModelFileError.invalidConfig(
                file: file, field: "", reason: "the document is \(document.kindDescription), not a JSON object")
        }
        let reader = ConfigFieldReader(fields: fields, file: file)

        if let modelType = try reader.optionalString("model_type"), modelType != "gpt2" {
            throw ModelFileError.invalidConfig(
                file: file, field: "model_type", reason: "\"\(modelType)\" is not a GPT-2 model (expected \"gpt2\")")
        }
        if let activation = try reader.optionalString("activation_function"), activation != "gelu_new" {
            throw ModelFileError.invalidConfig(
                file: file, field: "activation_function",
                reason: "\"\(activation)\" is not supported; GPT-2 uses \"gelu_new\" (the tanh approximation of GELU)")
        }
        try reader.requireFlag("scale_attn_weights", equals: true, because: "attention without 1/sqrt(head size) scaling")
        try reader.requireFlag(
            "scale_attn_by_inverse_layer_idx", equals: false, because: "attention scaled by the inverse layer index")
        try reader.requireFlag("add_cross_attention", equals: false, because: "cross-attention layers")
        try reader.requireFlag("tie_word_embeddings", equals: true, because: "a head not tied to the token embedding")

        let positions: Int
        if let nPositions = try reader.optionalInteger("n_positions") {
            positions = nPositions
        } else if let nContext = try reader.optionalInteger("n_ctx") {
            positions = nContext
        } else {
            throw ModelFileError.invalidConfig(file: file, field: "n_positions", reason: "is missing (and so is n_ctx)")
        }
        let epsilon = try reader.optionalNumber("layer_norm_epsilon").map { Float($0) } ?? 1e-5

        let config = GPT2Config(
            nLayer: try reader.integer("n_layer"),
            nHead: try reader.integer("n_head"),
            nEmbd: try reader.integer("n_embd"),
            nPositions: positions,
            vocabSize: try reader.integer("vocab_size"),
            layerNormEpsilon: epsilon
        )
        try config.validate(file: file)

        if let inner = try reader.optionalInteger("n_inner"), inner != 4 * config.nEmbd {
            throw ModelFileError.invalidConfig(
                file: file, field: "n_inner",
                reason: "\(inner) is not supported; GPT-2's MLP has 4 × n_embd = \(4 * config.nEmbd) units")
        }
        return config
    }
}

/// Typed access to the fields of a JSON object, with errors naming the field.
/// A field set to null counts as absent.
private struct ConfigFieldReader {
    var fields: [String: JSONValue]
    var file: String

    private func present(_ field: String) -> JSONValue? {
        guard let value = fields[field], value != .null else { return nil }
        return value
    }

    private func wrongType(_ field: String, expected: String, found: JSONValue) -> ModelFileError {
        .invalidConfig(file: file, field: field, reason: "expected \(expected), found \(found.kindDescription)")
    }

    func integer(_ field: String) throws -> Int {
        guard let value = try optionalInteger(field) else {
            throw ModelFileError.invalidConfig(file: file, field: field, reason: "is missing")
        }
        return value
    }

    func optionalInteger(_ field: String) throws -> Int? {
        guard let value = present(field) else { return nil }
        guard case .integer(let number) = value else { throw wrongType(field, expected: "an integer", found: value) }
        return number
    }

    func optionalNumber(_ field: String) throws -> Double? {
        switch present(field) {
        case nil: return nil
        case .integer(let number): return Double(number)
        case .number(let number): return number
        case .some(let value): throw wrongType(field, expected: "a number", found: value)
        }
    }

    func optionalString(_ field: String) throws -> String? {
        guard let value = present(field) else { return nil }
        guard case .string(let text) = value else { throw wrongType(field, expected: "a string", found: value) }
        return text
    }

    /// A boolean flag that, if present, must have the value GPT-2 uses.
    func requireFlag(_ field: String, equals expected: Bool, because variant: String) throws {
        guard let value = present(field) else { return }
        guard case .bool(let flag) = value else { throw wrongType(field, expected: "a boolean", found: value) }
        guard flag == expected else {
            throw ModelFileError.invalidConfig(
                file: file, field: field, reason: "\(flag) is not supported (\(variant) is not GPT-2)")
        }
    }
}
