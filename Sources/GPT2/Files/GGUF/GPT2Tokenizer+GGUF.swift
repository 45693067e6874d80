extension GPT2Tokenizer {
    /// The tokenizer stored in a GGUF file's metadata: `tokenizer.ggml.model` must be "gpt2";
    /// `tokenizer.ggml.tokens` are the token strings by id, `tokenizer.ggml.merges` the merges in
    /// rank order ("left right"). Ids whose `tokenizer.ggml.token_type` is UNUSED (the converter's
    /// `[PAD…]` fillers for ids the vocabulary lacks) are left out, as they are from vocab.json.
    ///
    /// - Throws: `ModelFileError.invalidMetadata` naming the key.
    public static func load(gguf: GGUFFile) throws -> GPT2Tokenizer {
        let file = gguf.path
        let metadata = gguf.metadata
        func invalid(_ key: String, _ reason: String) -> ModelFileError {
            .invalidMetadata(file: file, key: key, reason: reason)
        }
        func strings(_ key: String) throws -> [String] {
            guard let value = metadata[key] else { throw invalid(key, "is missing") }
            guard let strings = value.array?.strings else {
                throw invalid(key, "expected an array of strings, found \(value.typeDescription)")
            }
            return strings
        }

        guard let modelValue = metadata[GGUFKeys.tokenizerModel] else {
            throw invalid(GGUFKeys.tokenizerModel, "is missing")
        }
        guard modelValue.string == GGUFKeys.gpt2TokenizerModel else {
            let shown = modelValue.string.map { "\"\($0)\"" } ?? modelValue.typeDescription
            throw invalid(GGUFKeys.tokenizerModel, "\(shown) is not GPT-2's byte-level BPE (expected \"gpt2\")")
        }
        let tokens = try strings(GGUFKeys.tokens)
        guard tokens.count <= maximumTokenID + 1 else {
            throw invalid(GGUFKeys.tokens, "\(tokens.count) tokens are more than the \(maximumTokenID + 1) supported")
        }
        let merges = try strings(GGUFKeys.merges)

        var tokensByID = tokens.map { Optional($0) }
        if let typesValue = metadata[GGUFKeys.tokenTypes] {
            guard let types = typesValue.array?.integers else {
                throw invalid(GGUFKeys.tokenTypes, "expected an array of integers, found \(typesValue.typeDescription)")
            }
            guard types.count == tokens.count else {
                throw invalid(GGUFKeys.tokenTypes, "has \(types.count) entries for \(tokens.count) tokens")
            }
            for (id, type) in types.enumerated() where type == Int(GGUFTokenType.unused.rawValue) {
                tokensByID[id] = nil
            }
        }

        do {
            return try GPT2Tokenizer(
                tokensByID: tokensByID,
                mergeLines: merges.enumerated().map { (line: $0.offset, utf8: Array($0.element.utf8)[...]) },
                vocabularySource: GGUFKeys.tokens,
                mergesSource: GGUFKeys.merges)
        } catch {
            switch error {
            case let .malformedMerge(_, index, text):
                throw invalid(GGUFKeys.merges, "element \(index) \(text.debugDescription) is not two tokens separated by one space")
            case let .unknownMergeToken(_, index, token):
                throw invalid(GGUFKeys.merges, "element \(index) refers to unknown token \(token.debugDescription)")
            case let .missingByteToken(_, byte):
                let hex = String(byte, radix: 16, uppercase: true)
                throw invalid(GGUFKeys.tokens, "has no token for byte 0x\(byte < 0x10 ? "0" : "")\(hex)")
            case .invalidVocabularyEntry, .invalidJSON, .unreadableFile:
                throw invalid(GGUFKeys.tokens, error.description)  // not thrown for in-memory lists
            }
        }
    }
}
