/// GPT-2's byte-level BPE tokenizer: text → token ids → text, identical to OpenAI's encoder,
/// tiktoken's `gpt2` encoding and Hugging Face's `GPT2Tokenizer`.
///
/// Encoding takes the UTF-8 bytes of the text, splits them into pieces with GPT-2's pattern
/// (`PreTokenizer`), starts each piece as one token per byte and applies the merges of
/// merges.txt in rank order (`MergeTable`). The text `<|endoftext|>` becomes its special id.
///
/// Immutable after init apart from an internal, locked cache, so one instance can be shared
/// by any number of threads.
public final class GPT2Tokenizer: Sendable {
    /// The text of the end-of-text token, which `encode` turns into its id.
    public static let endOfTextToken = "<|endoftext|>"

    /// Raw bytes of each token, indexed by id; empty for ids the vocabulary does not use.
    private let tokenBytes: [[UInt8]]
    /// The token of each single byte, indexed by byte.
    private let byteTokenIDs: [Int32]
    let mergeTable: MergeTable
    private let cache = PieceCache()

    /// Id of `<|endoftext|>` when the vocabulary has it.
    public let endOfTextID: Int32?

    /// Number of ids: one more than the largest id in the vocabulary.
    public var vocabularySize: Int { tokenBytes.count }

    /// A tokenizer from token strings in id order and `"left right"` merge lines in rank order,
    /// as a GGUF file stores them (`tokenizer.ggml.tokens`, `tokenizer.ggml.merges`).
    ///
    /// Errors name the list (`"tokens"` or `"merges"`) and the 1-based entry.
    public convenience init(tokens: [String], merges: [String]) throws(TokenizerError) {
        try self.init(
            tokensByID: tokens.map { Optional($0) },
            mergeLines: merges.enumerated().map { (line: $0.offset + 1, utf8: Array($0.element.utf8)[...]) },
            vocabularySource: "tokens",
            mergesSource: "merges"
        )
    }

    /// - Parameters:
    ///   - tokensByID: the token string of each id; nil for unused ids.
    ///   - mergeLines: the UTF-8 of merge lines with their line numbers, in rank order; blank
    ///     lines are skipped.
    init(
        tokensByID: [String?],
        mergeLines: [(line: Int, utf8: ArraySlice<UInt8>)],
        vocabularySource: String,
        mergesSource: String
    ) throws(TokenizerError) {
        // Looked up by exact UTF-8, not by String equality (see PieceCache); first id wins.
        var idsByToken: [[UInt8]: Int32] = [:]
        idsByToken.reserveCapacity(tokensByID.count)
        var tokenBytes: [[UInt8]] = []
        tokenBytes.reserveCapacity(tokensByID.count)
        for (id, token) in tokensByID.enumerated() {
            guard let token else {
                tokenBytes.append([])
                continue
            }
            tokenBytes.append(ByteUnicodeTable.bytes(ofToken: token))
            let key = Array(token.utf8)
            if idsByToken[key] == nil {
                idsByToken[key] = Int32(id)
            }
        }

        var byteTokenIDs: [Int32] = []
        byteTokenIDs.reserveCapacity(256)
        for byte in 0...255 {
            let token = String(ByteUnicodeTable.scalar(for: UInt8(byte)))
            guard let id = idsByToken[Array(token.utf8)] else {
                throw .missingByteToken(source: vocabularySource, byte: UInt8(byte))
            }
            byteTokenIDs.append(id)
        }

        // Lines are handled as UTF-8 bytes, not Characters: "\r\n" is one Character, and so is a
        // space followed by a combining mark.
        var table = MergeTable()
        var rank: Int32 = 0
        for (line, rawText) in mergeLines {
            // Tolerate CRLF line endings.
            let text = rawText.last == UInt8(ascii: "\r") ? rawText.dropLast() : rawText[...]
            if text.isEmpty { continue }
            let parts = text.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .malformedMerge(source: mergesSource, line: line, text: String(decoding: text, as: UTF8.self))
            }
            let left = Array(parts[0])
            let right = Array(parts[1])
            guard let leftID = idsByToken[left] else {
                throw .unknownMergeToken(source: mergesSource, line: line, token: String(decoding: left, as: UTF8.self))
            }
            guard let rightID = idsByToken[right] else {
                throw .unknownMergeToken(source: mergesSource, line: line, token: String(decoding: right, as: UTF8.self))
            }
            guard let mergedID = idsByToken[left + right] else {
                throw .unknownMergeToken(source: mergesSource, line: line,
                                         token: String(decoding: left + right, as: UTF8.self))
            }
            table.add(left: leftID, right: rightID, merged: mergedID, rank: rank)
            rank += 1
        }

        self.tokenBytes = tokenBytes
        self.byteTokenIDs = byteTokenIDs
        self.mergeTable = table
        self.endOfTextID = idsByToken[Array(Self.endOfTextToken.utf8)]
    }

    // MARK: - Encoding

    /// The token ids of `text`. Each `<|endoftext|>` in the text becomes `endOfTextID` (as
    /// Hugging Face's tokenizer and tiktoken with `allowed_special="all"` do).
    public func encode(_ text: String) -> [Int32] {
        encode(text, specialTokens: true)
    }

    /// The token ids of `text` with `<|endoftext|>` encoded as ordinary text
    /// (tiktoken's `encode_ordinary`).
    public func encodeOrdinary(_ text: String) -> [Int32] {
        encode(text, specialTokens: false)
    }

    private func encode(_ text: String, specialTokens: Bool) -> [Int32] {
        var text = text
        return text.withUTF8 { utf8 in
            var ids: [Int32] = []
            ids.reserveCapacity(utf8.count / 3 + 1)
            guard specialTokens, let endOfTextID else {
                appendOrdinary(utf8, to: &ids)
                return ids
            }
            var segmentStart = 0
            for match in SpecialTokenMatches(in: utf8, token: Self.endOfTextUTF8) {
                appendOrdinary(UnsafeBufferPointer(rebasing: utf8[segmentStart..<match.lowerBound]), to: &ids)
                ids.append(endOfTextID)
                segmentStart = match.upperBound
            }
            appendOrdinary(UnsafeBufferPointer(rebasing: utf8[segmentStart...]), to: &ids)
            return ids
        }
    }

    private static let endOfTextUTF8 = Array(endOfTextToken.utf8)

    /// Encodes text with no special tokens in it.
    private func appendOrdinary(_ utf8: UnsafeBufferPointer<UInt8>, to ids: inout [Int32]) {
        var pieces = PreTokenizer(utf8)
        while let range = pieces.next() {
            if range.count == 1 {
                ids.append(byteTokenIDs[Int(utf8[range.lowerBound])])
            } else {
                appendPiece(UnsafeBufferPointer(rebasing: utf8[range]), to: &ids)
            }
        }
    }

    private func appendPiece(_ piece: UnsafeBufferPointer<UInt8>, to ids: inout [Int32]) {
        if let cached = cache.ids(for: piece) {
            ids.append(contentsOf: cached)
            return
        }
        var symbols = piece.map { byteTokenIDs[Int($0)] }
        mergeTable.mergePiece(&symbols)
        cache.store(symbols, for: piece)
        ids.append(contentsOf: symbols)
    }

    // MARK: - Decoding

    /// The text of `ids`. Bytes that do not form valid UTF-8 become U+FFFD (as Python's
    /// `decode(errors="replace")`: one per maximal invalid subsequence). Ids the vocabulary does
    /// not have (negative, too large, or unused) are skipped.
    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            bytes.append(contentsOf: self.bytes(of: id))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The raw bytes of one token; empty for an id the vocabulary does not have.
    public func bytes(of id: Int32) -> [UInt8] {
        guard id >= 0, Int(id) < tokenBytes.count else { return [] }
        return tokenBytes[Int(id)]
    }

    /// The token of one byte.
    func byteTokenID(_ byte: UInt8) -> Int32 {
        byteTokenIDs[Int(byte)]
    }

    /// Pieces currently cached (for tests of the cache bound).
    var cachedPieceCount: Int { cache.count }
}

/// The non-overlapping occurrences of a token's bytes in a buffer, left to right.
private struct SpecialTokenMatches: Sequence, IteratorProtocol {
    let buffer: UnsafeBufferPointer<UInt8>
    let token: [UInt8]
    var position = 0

    init(in buffer: UnsafeBufferPointer<UInt8>, token: [UInt8]) {
        self.buffer = buffer
        self.token = token
    }

    mutating func next() -> Range<Int>? {
        guard let first = token.first else { return nil }
        let last = buffer.count - token.count
        while position <= last {
            if buffer[position] == first, buffer[position..<(position + token.count)].elementsEqual(token) {
                let match = position..<(position + token.count)
                position = match.upperBound
                return match
            }
            position += 1
        }
        return nil
    }
}
