import Foundation
@testable import GPT2

/// The tokenizer of the tiny fixture model.
enum TestTokenizer {
    /// The tiny-a fixture model's folder.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/models/tiny-a")

    static func make() throws -> GPT2Tokenizer {
        try GPT2Tokenizer(vocabURL: folder.appendingPathComponent("vocab.json"),
                                 mergesURL: folder.appendingPathComponent("merges.txt"))
    }
}
