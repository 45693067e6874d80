import Foundation
import Testing
@testable import GPT2

/// Broken vocabulary files give the right `TokenizerError`, with a message naming the file.
struct TokenizerErrorTests {
    /// A valid byte-level vocabulary (256 bytes + "ab") as vocab.json text.
    private static func vocabJSON(extra: [String] = ["ab"]) throws -> Data {
        var object: [String: Int] = [:]
        for (id, token) in TokenizerFixtures.byteLevelTokens(plus: extra).enumerated() {
            object[token] = id
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// Writes the two files into a fresh directory, builds a tokenizer, and returns its error.
    private func loadingError(vocab: Data?, merges: String?) throws -> TokenizerError? {
        let directory = try TokenizerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vocabURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        if let vocab { try vocab.write(to: vocabURL) }
        if let merges { try Data(merges.utf8).write(to: mergesURL) }
        do {
            _ = try GPT2Tokenizer(vocabURL: vocabURL, mergesURL: mergesURL)
            return nil
        } catch {
            return error
        }
    }

    @Test func validFilesLoad() throws {
        let error = try loadingError(vocab: Self.vocabJSON(), merges: "#version: 0.2\na b\n")
        #expect(error == nil)
    }

    @Test func theVersionLineIsOptional() throws {
        let error = try loadingError(vocab: Self.vocabJSON(), merges: "a b")
        #expect(error == nil)
    }

    @Test func aMissingVocabularyFileIsUnreadable() throws {
        let error = try #require(try loadingError(vocab: nil, merges: "a b\n"))
        guard case let .unreadableFile(path, _) = error else {
            Issue.record("expected unreadableFile, got \(error)")
            return
        }
        #expect(path.hasSuffix("vocab.json"))
        #expect(error.description.contains("vocab.json"))
    }

    @Test func aMissingMergesFileIsUnreadable() throws {
        let error = try #require(try loadingError(vocab: Self.vocabJSON(), merges: nil))
        guard case let .unreadableFile(path, reason) = error else {
            Issue.record("expected unreadableFile, got \(error)")
            return
        }
        #expect(path.hasSuffix("merges.txt"))
        #expect(reason == "no such file")
        #expect(error.description.hasSuffix("merges.txt: cannot read file: no such file"))
    }

    @Test(arguments: [
        ("", 0, "expected '{' at the start of the vocabulary object"),
        ("[1, 2]", 0, "expected '{' at the start of the vocabulary object"),
        ("{\"a\": 1", 7, "unexpected end of file inside the object"),
        ("{\"a\" 1}", 5, "expected ':' after a token string"),
        ("{\"a\": 1.5}", 6, "expected an integer id for \"a\""),
        ("{\"a\": \"1\"}", 6, "expected an integer id for \"a\""),
        ("{\"a\": 1,}", 8, "expected a token string"),
        ("{\"a\": 1} x", 9, "unexpected text after the vocabulary object"),
        ("{\"a\\q\": 1}", 3, "invalid escape character"),
        ("{\"\\ud800\": 1}", 8, "unpaired surrogate in \\u escape"),
        ("{\"a", 1, "unterminated string"),
    ])
    func invalidJSONNamesTheFileAndTheByte(json: String, offset: Int, reason: String) throws {
        let error = try #require(try loadingError(vocab: Data(json.utf8), merges: "a b\n"))
        guard case let .invalidJSON(path, byteOffset, foundReason) = error else {
            Issue.record("expected invalidJSON, got \(error)")
            return
        }
        #expect(path.hasSuffix("vocab.json"))
        #expect(byteOffset == offset)
        #expect(foundReason == reason)
        #expect(error.description.contains("vocab.json: invalid JSON at byte \(offset)"))
    }

    @Test func nonUTF8InAVocabularyStringIsInvalidJSON() throws {
        let bytes: [UInt8] = Array("{\"".utf8) + [0xFF] + Array("\": 1}".utf8)
        let error = try #require(try loadingError(vocab: Data(bytes), merges: ""))
        #expect(error == .invalidJSON(path: error.path, byteOffset: 1, reason: "string is not valid UTF-8"))
    }

    @Test func aNegativeOrDuplicateIDIsAnInvalidEntry() throws {
        let negative = try #require(try loadingError(vocab: Data("{\"a\": -1}".utf8), merges: ""))
        #expect(negative == .invalidVocabularyEntry(source: negative.path, token: "a", reason: "id -1 is outside 0...16777216"))
        let duplicate = try #require(try loadingError(vocab: Data("{\"a\": 0, \"b\": 0}".utf8), merges: ""))
        #expect(duplicate == .invalidVocabularyEntry(source: duplicate.path, token: "b", reason: "id 0 is already used by \"a\""))
        let twice = try #require(try loadingError(vocab: Data("{\"a\": 0, \"a\": 1}".utf8), merges: ""))
        #expect(twice == .invalidVocabularyEntry(source: twice.path, token: "a", reason: "token is listed twice"))
        #expect(twice.description.contains("vocab.json: entry \"a\": token is listed twice"))
    }

    @Test(arguments: [
        ("#version: 0.2\na b\nabc\n", 3, "abc"),
        ("a b c", 1, "a b c"),
        ("a  b", 1, "a  b"),
        (" a", 1, " a"),
        ("a b\r\nb\r\n", 2, "b"),
    ])
    func aMalformedMergesLineNamesTheFileAndLine(merges: String, line: Int, text: String) throws {
        let error = try #require(try loadingError(vocab: Self.vocabJSON(), merges: merges))
        #expect(error == .malformedMerge(source: error.path, line: line, text: text))
        #expect(error.path.hasSuffix("merges.txt"))
        #expect(error.description.contains("merges.txt, line \(line): malformed merge"))
    }

    @Test func aMergeOfAnUnknownTokenNamesTheFileAndLine() throws {
        let unknownPart = try #require(try loadingError(vocab: Self.vocabJSON(), merges: "#version: 0.2\na b\nab xyz\n"))
        #expect(unknownPart == .unknownMergeToken(source: unknownPart.path, line: 3, token: "xyz"))
        #expect(unknownPart.description.contains("merges.txt, line 3: merge refers to unknown token \"xyz\""))
        // Both parts known, but their concatenation is not a token.
        let unknownResult = try #require(try loadingError(vocab: Self.vocabJSON(), merges: "b c\n"))
        #expect(unknownResult == .unknownMergeToken(source: unknownResult.path, line: 1, token: "bc"))
    }

    @Test func aVocabularyWithoutEveryByteIsRejected() throws {
        let error = try #require(try loadingError(vocab: Data("{\"a\": 0}".utf8), merges: ""))
        #expect(error == .missingByteToken(source: error.path, byte: 0))
        #expect(error.description.contains("vocab.json: no token for byte 0x00 (expected \"Ā\")"))
    }

    @Test func listErrorsNameTheListAndEntry() {
        #expect(throws: TokenizerError.malformedMerge(source: "merges", line: 2, text: "ab")) {
            try GPT2Tokenizer(tokens: TokenizerFixtures.byteLevelTokens(plus: ["ab"]), merges: ["a b", "ab"])
        }
        #expect(throws: TokenizerError.unknownMergeToken(source: "merges", line: 1, token: "xy")) {
            try GPT2Tokenizer(tokens: TokenizerFixtures.byteLevelTokens(), merges: ["x y"])
        }
        #expect(throws: TokenizerError.missingByteToken(source: "tokens", byte: 0x20)) {
            try GPT2Tokenizer(tokens: TokenizerFixtures.byteLevelTokens().filter { $0 != "Ġ" }, merges: [])
        }
    }

    @Test func messagesAreOneLine() {
        let errors: [TokenizerError] = [
            .malformedMerge(source: "m.txt", line: 1, text: "a\nb\tc"),
            .unknownMergeToken(source: "m.txt", line: 1, token: String(repeating: "x", count: 500)),
            .invalidVocabularyEntry(source: "v.json", token: "\r\n", reason: "token is listed twice"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.count < 200)
        }
    }
}

extension TokenizerError {
    /// The file or list the error names.
    var path: String {
        switch self {
        case let .unreadableFile(path, _), let .invalidJSON(path, _, _): path
        case let .invalidVocabularyEntry(source, _, _), let .malformedMerge(source, _, _),
             let .unknownMergeToken(source, _, _), let .missingByteToken(source, _): source
        }
    }
}
