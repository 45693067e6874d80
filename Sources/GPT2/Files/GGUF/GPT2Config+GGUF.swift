extension GPT2Config {
    /// Reads GPT-2's hyper-parameters from the metadata of a GGUF file, as llama.cpp's converter
    /// writes them: `general.architecture` must be "gpt2"; `gpt2.block_count`,
    /// `gpt2.attention.head_count`, `gpt2.embedding_length` and `gpt2.context_length` are required;
    /// `gpt2.attention.layer_norm_epsilon` defaults to 1e-5; `gpt2.feed_forward_length` and
    /// `gpt2.attention.head_count_kv`, when present, must be GPT-2's (4 × n_embd, and n_head).
    ///
    /// The converter stores no vocabulary size for GPT-2; it is `gpt2.vocab_size` when present, else
    /// the number of rows of `token_embd.weight`, else the length of `tokenizer.ggml.tokens`.
    ///
    /// - Throws: `ModelFileError.invalidConfig` naming the key.
    public static func load(gguf: GGUFFile) throws -> GPT2Config {
        let file = gguf.path
        let metadata = gguf.metadata
        func invalid(_ key: String, _ reason: String) -> ModelFileError {
            .invalidConfig(file: file, field: key, reason: reason)
        }
        func optionalInteger(_ key: String) throws -> Int? {
            guard let value = metadata[key] else { return nil }
            guard let number = value.integer else {
                throw invalid(key, "expected an integer, found \(value.typeDescription)")
            }
            return number
        }
        func integer(_ key: String) throws -> Int {
            guard let number = try optionalInteger(key) else { throw invalid(key, "is missing") }
            return number
        }

        guard let architectureValue = metadata[GGUFKeys.architecture] else {
            throw invalid(GGUFKeys.architecture, "is missing")
        }
        guard let architecture = architectureValue.string else {
            throw invalid(GGUFKeys.architecture, "expected a string, found \(architectureValue.typeDescription)")
        }
        guard architecture == GGUFKeys.gpt2Architecture else {
            throw invalid(GGUFKeys.architecture, "\"\(architecture)\" is not a GPT-2 model (expected \"gpt2\")")
        }

        var epsilon: Float = 1e-5
        if let value = metadata[GGUFKeys.layerNormEpsilon] {
            guard let number = value.floatingPoint else {
                throw invalid(GGUFKeys.layerNormEpsilon, "expected a float, found \(value.typeDescription)")
            }
            epsilon = Float(number)
        }

        let vocabularySize: Int
        if let size = try optionalInteger(GGUFKeys.vocabularySize) {
            vocabularySize = size
        } else if let embedding = gguf.tensor(named: GGUFTensorNames.name(of: .wte)), embedding.dimensions.count == 2 {
            vocabularySize = embedding.dimensions[1]
        } else if let tokens = metadata[GGUFKeys.tokens]?.array {
            vocabularySize = tokens.count
        } else {
            throw invalid(GGUFKeys.vocabularySize, "is missing, and so are token_embd.weight and tokenizer.ggml.tokens")
        }

        let config = GPT2Config(
            nLayer: try integer(GGUFKeys.blockCount),
            nHead: try integer(GGUFKeys.headCount),
            nEmbd: try integer(GGUFKeys.embeddingLength),
            nPositions: try integer(GGUFKeys.contextLength),
            vocabSize: vocabularySize,
            layerNormEpsilon: epsilon
        )
        do {
            try config.validate(file: file)
        } catch ModelFileError.invalidConfig(let file, let field, let reason) {
            throw ModelFileError.invalidConfig(file: file, field: Self.ggufKey(forConfigField: field), reason: reason)
        }

        if let feedForward = try optionalInteger(GGUFKeys.feedForwardLength), feedForward != 4 * config.nEmbd {
            throw invalid(GGUFKeys.feedForwardLength,
                          "\(feedForward) is not supported; GPT-2's MLP has 4 × n_embd = \(4 * config.nEmbd) units")
        }
        if let kvHeads = try optionalInteger(GGUFKeys.headCountKV), kvHeads != config.nHead {
            throw invalid(GGUFKeys.headCountKV, "\(kvHeads) is not supported; GPT-2 has as many as attention heads (\(config.nHead))")
        }
        return config
    }

    /// The GGUF key of a field `validate(file:)` names in config.json's terms.
    private static func ggufKey(forConfigField field: String) -> String {
        switch field {
        case "n_layer": return GGUFKeys.blockCount
        case "n_head": return GGUFKeys.headCount
        case "n_embd": return GGUFKeys.embeddingLength
        case "n_positions": return GGUFKeys.contextLength
        case "vocab_size": return GGUFKeys.vocabularySize
        case "layer_norm_epsilon": return GGUFKeys.layerNormEpsilon
        default: return field
        }
    }
}
