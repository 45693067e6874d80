/// Why a tokenizer could not be built. Every case names the file (or the in-memory list) and,
/// where there is one, the line or entry at fault; `description` is a single line.
///
/// `source` is the file's path for `GPT2Tokenizer(vocabURL:mergesURL:)`, and `"tokens"` or
/// `"merges"` for `GPT2Tokenizer(tokens:merges:)`, whose `line` is then the 1-based index in the list.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read, or its bytes are not UTF-8 text.
    case unreadableFile(path: String, reason: String)
    /// vocab.json is not a JSON object mapping token strings to integer ids.
    case invalidJSON(path: String, byteOffset: Int, reason: String)
    /// A vocabulary entry cannot be used: an id that is negative, too large or given twice,
    /// or a token given twice.
    case invalidVocabularyEntry(source: String, token: String, reason: String)
    /// A merges line is not two tokens separated by one space.
    case malformedMerge(source: String, line: Int, text: String)
    /// A merge names a token (one of its two parts, or their concatenation) the vocabulary lacks.
    case unknownMergeToken(source: String, line: Int, token: String)
    /// The vocabulary has no token for this byte, so some text could not be encoded.
    case missingByteToken(source: String, byte: UInt8)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "\(path): cannot read file: \(reason)"
        case let .invalidJSON(path, offset, reason):
            return "\(path): invalid JSON at byte \(offset): \(reason)"
        case let .invalidVocabularyEntry(source, token, reason):
            return "\(source): entry \(Self.quoted(token)): \(reason)"
        case let .malformedMerge(source, line, text):
            return "\(source), line \(line): malformed merge \(Self.quoted(text)) "
                + "(expected two tokens separated by one space)"
        case let .unknownMergeToken(source, line, token):
            return "\(source), line \(line): merge refers to unknown token \(Self.quoted(token))"
        case let .missingByteToken(source, byte):
            let hex = String(byte, radix: 16, uppercase: true)
            return "\(source): no token for byte 0x\(byte < 0x10 ? "0" : "")\(hex) "
                + "(expected \(Self.quoted(String(ByteUnicodeTable.scalar(for: byte)))))"
        }
    }

    /// Quotes a token for a one-line message: escapes control characters, shortens long text.
    private static func quoted(_ text: String) -> String {
        let limit = 60
        let shown = text.unicodeScalars.count > limit
            ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
            : text
        return shown.debugDescription
    }
}
