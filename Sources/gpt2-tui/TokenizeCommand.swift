import ArgumentParser
import Foundation
import GPT2

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text as a JSON array.",
        discussion: "With no TEXT, reads stdin line by line, each line a JSON string, and prints one JSON array per line."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "The text to tokenize.")
    var text: String?

    func run() throws {
        let tokenizer = try modelOptions.loadTokenizer()
        if let text {
            print(try JSONText.encode(tokenizer.encode(text)))
            return
        }
        try JSONLines.forEachLine { (line: String) in try JSONText.encode(tokenizer.encode(line)) }
    }
}

struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Print the text of a JSON array of token ids.",
        discussion: "With no IDS, reads stdin line by line, each line a JSON array of ids, and prints one JSON string per line."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: ArgumentHelp("A JSON array of token ids, e.g. [15496, 11].", valueName: "ids"))
    var ids: String?

    func run() throws {
        let tokenizer = try modelOptions.loadTokenizer()
        let check = { (ids: [Int64]) throws -> [Int32] in
            guard let bad = ids.first(where: { $0 < 0 || $0 >= Int64(tokenizer.vocabularySize) }) else {
                return ids.map { Int32($0) }
            }
            throw CommandLineFailure.usage("token id \(bad) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
        }
        if let ids {
            guard let parsed = try? JSONDecoder().decode([Int64].self, from: Data(ids.utf8)) else {
                throw CommandLineFailure.usage("IDS must be a JSON array of integers, e.g. [15496, 11]")
            }
            print(tokenizer.decode(try check(parsed)))
            return
        }
        try JSONLines.forEachLine { (line: [Int64]) in try JSONText.encode(tokenizer.decode(try check(line))) }
    }
}

/// stdin as JSON lines: one JSON value in, one JSON value out, per line.
enum JSONLines {
    static func forEachLine<Input: Decodable>(_ transform: (Input) throws -> String) throws {
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            if line.isEmpty { continue }
            guard let value = try? JSONDecoder().decode(Input.self, from: Data(line.utf8)) else {
                throw CommandLineFailure.usage("stdin line \(number) is not \(Input.self == String.self ? "a JSON string" : "a JSON array of integers")")
            }
            print(try transform(value))
        }
    }
}
