import Foundation
@testable import GPT2

/// Paths and shared data for the tokenizer tests.
enum TokenizerFixtures {
    /// The repository root, found from this file's path (Tests/GPT2Tests/…).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The real GPT-2 vocabulary lives next to the repository, not in it.
    static let vocabularyDirectory = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/gpt2-vocab")
    static let vocabURL = vocabularyDirectory.appendingPathComponent("vocab.json")
    static let mergesURL = vocabularyDirectory.appendingPathComponent("merges.txt")
    static let corpusURL = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/tinyshakespeare.txt")

    static let goldenDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/golden")

    static var hasGPT2Vocabulary: Bool {
        FileManager.default.fileExists(atPath: vocabURL.path)
            && FileManager.default.fileExists(atPath: mergesURL.path)
    }

    static var hasCorpus: Bool {
        FileManager.default.fileExists(atPath: corpusURL.path)
    }

    /// The real GPT-2 tokenizer, loaded once for all tests; nil when the files are absent.
    static let gpt2: GPT2Tokenizer? = try? GPT2Tokenizer(vocabURL: vocabURL, mergesURL: mergesURL)

    struct EncodeCase: Decodable, Sendable {
        var text: String
        var ids: [Int32]
    }

    /// Strings with their ids from tiktoken (Tests/Fixtures/make_tokenizer_fixtures.py).
    static func encodeCases() throws -> [EncodeCase] {
        try decodeGolden("tokenizer_gpt2.json")
    }

    /// Id sequences whose bytes are not valid UTF-8, with Python's `errors="replace"` text.
    static func decodeCases() throws -> [EncodeCase] {
        try decodeGolden("tokenizer_gpt2_decode.json")
    }

    struct CharacterClasses: Decodable, Sendable {
        var letter: [[UInt32]]
        var number: [[UInt32]]
        var whitespace: [[UInt32]]
    }

    /// Code point ranges that tiktoken's regex engine reads as \p{L}, \p{N} and \s.
    static func characterClasses() throws -> CharacterClasses {
        try decodeGolden("tokenizer_char_classes.json")
    }

    private static func decodeGolden<T: Decodable>(_ name: String) throws -> T {
        let data = try Data(contentsOf: goldenDirectory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Token strings for a vocabulary whose ids 0…255 are the single bytes in byte order,
    /// followed by `extra`.
    static func byteLevelTokens(plus extra: [String] = []) -> [String] {
        (0...255).map { String(ByteUnicodeTable.scalar(for: UInt8($0))) } + extra
    }

    /// A fresh directory for files a test writes; removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpt2-tokenizer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
