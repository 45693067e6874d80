import Foundation

/// The tokenizer metadata llama.cpp's converter writes for a Hugging Face GPT-2 folder:
/// `tokenizer.ggml.tokens` (every id below the model's vocab_size, `[PAD<id>]` for ids
/// vocab.json lacks), `tokenizer.ggml.token_type` (NORMAL, CONTROL for `<|endoftext|>`, UNUSED
/// for the fillers), `tokenizer.ggml.merges` (merges.txt's lines) and the special-token ids that
/// config.json gives (`bos_token_id`, `eos_token_id`, …).
struct GGUFVocabulary {
    var tokens: [String]
    var tokenTypes: [Int32]
    var merges: [String]
    var specialTokenIDs: [(key: String, id: UInt32)]

    init(tokens: [String], tokenTypes: [Int32], merges: [String], specialTokenIDs: [(key: String, id: UInt32)]) {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.specialTokenIDs = specialTokenIDs
    }

    static let vocabFileName = "vocab.json"
    static let mergesFileName = "merges.txt"

    /// Reads the folder's vocab.json, merges.txt and config.json; the tokenizer is built once to
    /// check them. Errors are `TokenizerError` or `ModelFileError` naming the file.
    init(huggingFaceFolder folder: URL, config: GPT2Config) throws {
        let vocabURL = folder.appending(path: Self.vocabFileName)
        let mergesURL = folder.appending(path: Self.mergesFileName)
        _ = try GPT2Tokenizer(vocabURL: vocabURL, mergesURL: mergesURL)

        let vocabBytes = try Self.contents(of: vocabURL)
        let entries: [(token: String, id: Int)]
        do {
            entries = try VocabularyJSON.parse(vocabBytes)
        } catch {
            throw TokenizerError.invalidJSON(path: vocabURL.path, byteOffset: error.byteOffset, reason: error.reason)
        }
        var tokensByID = [String?](repeating: nil, count: config.vocabSize)
        for (token, id) in entries {
            guard id < config.vocabSize else {
                throw TokenizerError.invalidVocabularyEntry(
                    source: vocabURL.path, token: token,
                    reason: "id \(id) is not below the model's vocab_size (\(config.vocabSize))")
            }
            tokensByID[id] = token
        }
        tokens = tokensByID.enumerated().map { $0.element ?? "[PAD\($0.offset)]" }
        tokenTypes = tokensByID.map { token -> Int32 in
            guard let token else { return GGUFTokenType.unused.rawValue }
            return token == GPT2Tokenizer.endOfTextToken ? GGUFTokenType.control.rawValue : GGUFTokenType.normal.rawValue
        }

        let mergesText = String(decoding: try Self.contents(of: mergesURL), as: UTF8.self)
        merges = Self.mergeLines(mergesText)
        specialTokenIDs = try Self.specialTokenIDs(configURL: folder.appending(path: GPT2Weights.huggingFaceConfigFileName))
    }

    /// The merges as gguf-py's `SpecialVocab` reads merges.txt: universal newlines; the first line
    /// skipped if it starts with "#"; each line stripped of white space, blank ones skipped, the
    /// rest split at white space and kept as "left right" when that gives exactly two parts.
    static func mergeLines(_ text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            lines.removeFirst()
        }
        return lines.compactMap { line in
            let parts = line.split(whereSeparator: { $0.isWhitespace })
            return parts.count == 2 ? "\(parts[0]) \(parts[1])" : nil
        }
    }

    /// `<kind>_token_id` integers of config.json, for the kinds GGUF has keys for, in the
    /// converter's order. Absent, null or non-integer fields are skipped, as the converter does.
    static func specialTokenIDs(configURL: URL) throws -> [(key: String, id: UInt32)] {
        let path = configURL.path
        let document: JSONValue
        do {
            document = try JSONParser.parse(try contents(of: configURL))
        } catch let error as JSONParseFailure {
            throw ModelFileError.invalidConfig(file: path, field: "", reason: error.reason)
        }
        guard case .object(let fields) = document else {
            throw ModelFileError.invalidConfig(file: path, field: "", reason: "the document is \(document.kindDescription), not a JSON object")
        }
        var ids: [(key: String, id: UInt32)] = []
        for (kind, key) in GGUFKeys.specialTokenIDs {
            let field = "\(kind)_token_id"
            guard case .integer(let id) = fields[field] else { continue }
            guard let exact = UInt32(exactly: id) else {
                throw ModelFileError.invalidConfig(file: path, field: field, reason: "\(id) is not a valid token id")
            }
            ids.append((key, exact))
        }
        return ids
    }

    private static func contents(of url: URL) throws -> [UInt8] {
        let file = try MappedFile(url: url)
        return try file.bytes(offset: 0, count: file.size)
    }
}
