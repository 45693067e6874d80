import Foundation
@testable import GPT2

/// The tokenizer of the tiny fixture model.
enum TestTokenizer {
    static func make() throws -> GPT2Tokenizer {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/models/tiny-a")
        return try GPT2Tokenizer(vocabURL: folder.appendingPathComponent("vocab.json"),
                                 mergesURL: folder.appendingPathComponent("merges.txt"))
    }
}
