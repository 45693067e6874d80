import Foundation
import Testing
@testable import GPT2

// These tests need the real GPT-2 vocabulary in ../shared/gpt2-vocab/ (it is not committed);
// without it they are skipped.
@Suite(.enabled(if: TokenizerFixtures.hasGPT2Vocabulary,
                "GPT-2 vocabulary not found next to the repository (../shared/gpt2-vocab/)"))
struct TokenizerTests {
    let tokenizer: GPT2Tokenizer

    init() throws {
        tokenizer = try #require(TokenizerFixtures.gpt2, "could not load ../shared/gpt2-vocab/")
    }

    @Test func vocabularyHas50257TokensAndEndOfTextIs50256() {
        #expect(tokenizer.vocabularySize == 50257)
        #expect(tokenizer.endOfTextID == 50256)
    }

    @Test func encodingMatchesTiktokenOnEveryGoldenString() throws {
        let cases = try TokenizerFixtures.encodeCases()
        #expect(cases.count > 300)
        for golden in cases {
            let ids = tokenizer.encode(golden.text)
            #expect(ids == golden.ids, "encode(\(golden.text.debugDescription))")
        }
    }

    @Test func encodingIsTheSameWithAWarmCache() throws {
        // The second pass takes every piece from the cache.
        for golden in try TokenizerFixtures.encodeCases() {
            #expect(tokenizer.encode(golden.text) == golden.ids, "encode(\(golden.text.debugDescription))")
        }
    }

    @Test func decodingReturnsEveryGoldenStringUnchanged() throws {
        for golden in try TokenizerFixtures.encodeCases() {
            #expect(tokenizer.decode(tokenizer.encode(golden.text)) == golden.text,
                    "round trip of \(golden.text.debugDescription)")
        }
    }

    @Test func invalidUTF8DecodesLikePythonErrorsReplace() throws {
        let cases = try TokenizerFixtures.decodeCases()
        #expect(!cases.isEmpty)
        for golden in cases {
            #expect(tokenizer.decode(golden.ids) == golden.text, "decode(\(golden.ids))")
        }
    }

    @Test func endOfTextInTheTextBecomesTheSpecialID() {
        #expect(tokenizer.encode("<|endoftext|>") == [50256])
        #expect(tokenizer.encode("a<|endoftext|>b") == [64, 50256, 65])
        #expect(tokenizer.decode([50256]) == "<|endoftext|>")
        let text = "The end.<|endoftext|>\n\nA new start"
        #expect(tokenizer.decode(tokenizer.encode(text)) == text)
    }

    @Test func encodeOrdinaryTreatsEndOfTextAsPlainText() {
        let ids = tokenizer.encodeOrdinary("<|endoftext|>")
        #expect(!ids.contains(50256))
        #expect(ids.count > 1)
        #expect(tokenizer.decode(ids) == "<|endoftext|>")
    }

    @Test func emptyTextHasNoTokens() {
        #expect(tokenizer.encode("").isEmpty)
        #expect(tokenizer.decode([]) == "")
    }

    @Test func decodeSkipsUnknownIDs() {
        let hello = tokenizer.encode("Hello")
        #expect(tokenizer.decode([-1] + hello + [50257, Int32.max]) == "Hello")
        #expect(tokenizer.bytes(of: 50257).isEmpty)
        #expect(tokenizer.bytes(of: -5).isEmpty)
    }

    @Test func bytesOfATokenAreItsRawBytes() {
        #expect(tokenizer.bytes(of: 220) == [0x20])            // "Ġ", a space
        #expect(tokenizer.bytes(of: 198) == [0x0A])            // "Ċ", a newline
        #expect(tokenizer.bytes(of: 31373) == Array("hello".utf8))
        #expect(tokenizer.bytes(of: 50256) == Array("<|endoftext|>".utf8))
    }

    @Test func canonicallyEquivalentTextsKeepTheirOwnIDs() {
        // Swift's String treats these as equal; the tokenizer must not.
        let composed = tokenizer.encode(" \u{00C5}")
        let angstromSign = tokenizer.encode(" \u{212B}")
        #expect(composed != angstromSign)
        #expect(tokenizer.decode(angstromSign).unicodeScalars.elementsEqual(" \u{212B}".unicodeScalars))
    }

    @Test func concurrentEncodingGivesTheSameIDs() async throws {
        let cases = try TokenizerFixtures.encodeCases()
        let tokenizer = self.tokenizer
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for (index, golden) in cases.enumerated() where index % 8 == worker || index % 3 == 0 {
                        if tokenizer.encode(golden.text) != golden.ids { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func cacheStaysWithinItsBound() {
        // 40,000 distinct words (letters only, so each is one piece): more than the cache holds.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        func word(_ number: Int) -> String {
            var number = number
            var characters: [Character] = []
            repeat {
                characters.append(letters[number % 26])
                number /= 26
            } while number > 0
            return " q" + String(characters)
        }
        for chunk in 0..<40 {
            _ = tokenizer.encode((0..<1000).map { word(chunk * 1000 + $0) }.joined())
        }
        #expect(tokenizer.cachedPieceCount > 0)
        #expect(tokenizer.cachedPieceCount <= 16_384)
    }

    @Test func longPiecesMergeTheSameWithTheHeapAsByRescanning() throws {
        // Pieces of a few hundred bytes, with the real merges: both algorithms must agree.
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("etaoinshrdlucmfwypvbgkjqxzETAOIN")
        let table = try #require(TokenizerFixtures.gpt2)
        for _ in 0..<50 {
            let length = Int.random(in: 65...400, using: &generator)
            let word = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            let viaEncode = table.encode(word)
            var symbols = Array(word.utf8).map { table.byteTokenID($0) }
            table.mergeTable.mergeByRescanning(&symbols)
            #expect(viaEncode == symbols, "\(word)")
        }
    }
}
