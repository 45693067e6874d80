extension GPT2Config {
    /// Upper bounds far above every published GPT-2 (the largest, gpt2-xl, has 48 layers, 25 heads,
    /// 1600 embedding dimensions, 1024 positions and 50257 tokens) that keep every tensor size
    /// computed from a config comfortably inside `Int`.
    public static let maximumLayers = 1024
    public static let maximumHeads = 1024
    public static let maximumEmbeddingSize = 65_536
    public static let maximumPositions = 1 << 20
    public static let maximumVocabularySize = 1 << 24

    /// Checks that every size is positive and within the bounds above, that `nEmbd` is divisible by
    /// `nHead`, and that `layerNormEpsilon` is a positive finite number below 1.
    /// - Parameter file: the file the config came from, for error messages.
    /// - Throws: `ModelFileError.invalidConfig` naming the first offending field in `config.json`'s names.
    public func validate(file: String) throws {
        let sizes: [(field: String, value: Int, maximum: Int)] = [
            ("n_layer", nLayer, Self.maximumLayers),
            ("n_head", nHead, Self.maximumHeads),
            ("n_embd", nEmbd, Self.maximumEmbeddingSize),
            ("n_positions", nPositions, Self.maximumPositions),
            ("vocab_size", vocabSize, Self.maximumVocabularySize),
        ]
        for size in sizes {
            guard size.value >= 1, size.value <= size.maximum else {
                throw ModelFileError.invalidConfig(
                    file: file, field: size.field,
                    reason: "\(size.value) is outside the supported range 1...\(size.maximum)")
            }
        }
        guard nEmbd % nHead == 0 else {
            throw ModelFileError.invalidConfig(
                file: file, field: "n_embd",
                reason: "\(nEmbd) is not divisible by n_head (\(nHead))")
        }
        guard layerNormEpsilon.isFinite, layerNormEpsilon > 0, layerNormEpsilon < 1 else {
            throw ModelFileError.invalidConfig(
                file: file, field: "layer_norm_epsilon",
                reason: "\(layerNormEpsilon) is not a positive number below 1")
        }
    }
}
