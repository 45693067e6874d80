/// The GGUF metadata keys this package reads and writes, as llama.cpp spells them.
enum GGUFKeys {
    static let architecture = "general.architecture"
    static let type = "general.type"
    static let name = "general.name"
    static let sizeLabel = "general.size_label"
    static let alignment = "general.alignment"
    static let fileType = "general.file_type"
    static let quantizationVersion = "general.quantization_version"

    /// GPT-2's hyper-parameters, under the architecture's name.
    static let contextLength = "gpt2.context_length"
    static let embeddingLength = "gpt2.embedding_length"
    static let feedForwardLength = "gpt2.feed_forward_length"
    static let blockCount = "gpt2.block_count"
    static let headCount = "gpt2.attention.head_count"
    static let headCountKV = "gpt2.attention.head_count_kv"
    static let layerNormEpsilon = "gpt2.attention.layer_norm_epsilon"
    static let vocabularySize = "gpt2.vocab_size"

    static let tokenizerModel = "tokenizer.ggml.model"
    static let tokenizerPre = "tokenizer.ggml.pre"
    static let tokens = "tokenizer.ggml.tokens"
    static let tokenTypes = "tokenizer.ggml.token_type"
    static let merges = "tokenizer.ggml.merges"

    /// The special-token keys of `gguf.SpecialVocab`, by the prefix of transformers' `<kind>_token_id`
    /// field, in the order the converter writes them. (It has no key for `cls`, and spells
    /// "seperator" so.)
    static let specialTokenIDs: [(kind: String, key: String)] = [
        ("bos", "tokenizer.ggml.bos_token_id"),
        ("eos", "tokenizer.ggml.eos_token_id"),
        ("unk", "tokenizer.ggml.unknown_token_id"),
        ("sep", "tokenizer.ggml.seperator_token_id"),
        ("pad", "tokenizer.ggml.padding_token_id"),
        ("mask", "tokenizer.ggml.mask_token_id"),
    ]

    /// The architecture name of GPT-2.
    static let gpt2Architecture = "gpt2"
    /// The tokenizer model and pre-tokenizer names of GPT-2's byte-level BPE.
    static let gpt2TokenizerModel = "gpt2"
    static let gpt2PreTokenizer = "gpt-2"
    /// ggml's quantization format version (`GGML_QNT_VERSION`).
    static let currentQuantizationVersion: UInt32 = 2
}

/// llama.cpp's token types (`tokenizer.ggml.token_type`).
enum GGUFTokenType: Int32 {
    case normal = 1
    case unknown = 2
    case control = 3
    case userDefined = 4
    case unused = 5
    case byte = 6
}
