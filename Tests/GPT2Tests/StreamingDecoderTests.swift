import Testing
@testable import GPT2

struct StreamingDecoderTests {
    /// A vocabulary of the 256 single bytes only, so every id is one byte (id == byte).
    static let byteTokenizer: GPT2Tokenizer? = try? GPT2Tokenizer(tokens: TokenizerFixtures.byteLevelTokens(), merges: [])

    private func stream(_ ids: [Int32], _ tokenizer: GPT2Tokenizer) -> [String] {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        return ids.map { decoder.append($0) } + [decoder.finish()]
    }

    @Test func aCharacterSplitOverTokensComesOutWhole() throws {
        let tokenizer = try #require(Self.byteTokenizer)
        // "é😀": C3 A9 F0 9F 98 80, one byte per token.
        let chunks = stream([0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80], tokenizer)
        #expect(chunks == ["", "é", "", "", "", "😀", ""])
    }

    @Test func anIncompleteTailBecomesAReplacementCharacterOnFinish() throws {
        let tokenizer = try #require(Self.byteTokenizer)
        #expect(stream([0x61, 0xE4, 0xB8], tokenizer) == ["a", "", "", "\u{FFFD}"])
    }

    @Test func bytesThatCanNeverBeValidAreReplacedAtOnce() throws {
        let tokenizer = try #require(Self.byteTokenizer)
        // A lone continuation byte, an invalid lead byte, and a lead byte broken off by ASCII.
        #expect(stream([0x80], tokenizer) == ["\u{FFFD}", ""])
        #expect(stream([0xFF, 0x61], tokenizer) == ["\u{FFFD}", "a", ""])
        #expect(stream([0xE4, 0x61], tokenizer) == ["", "\u{FFFD}a", ""])
        // E0 80 is an overlong start: invalid as soon as the second byte arrives.
        #expect(stream([0xE0, 0x80], tokenizer) == ["", "\u{FFFD}\u{FFFD}", ""])
    }

    @Test func finishStartsOver() throws {
        let tokenizer = try #require(Self.byteTokenizer)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        _ = decoder.append(0xE4)
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(decoder.append(0x61) == "a")
        #expect(decoder.finish() == "")
    }

    @Test func randomByteStreamsConcatenateToDecode() throws {
        let tokenizer = try #require(Self.byteTokenizer)
        var generator = SplitMix64(seed: 3)
        let interesting: [Int32] = [0x61, 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE4, 0xED,
                                    0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xB8, 0x90, 0x8F]
        for _ in 0..<2000 {
            let ids = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                Bool.random(using: &generator)
                    ? interesting[Int.random(in: 0..<interesting.count, using: &generator)]
                    : Int32.random(in: 0...255, using: &generator)
            }
            #expect(stream(ids, tokenizer).joined() == tokenizer.decode(ids), "\(ids)")
        }
    }

    @Test(.enabled(if: TokenizerFixtures.hasGPT2Vocabulary,
                   "GPT-2 vocabulary not found next to the repository (../shared/gpt2-vocab/)"))
    func streamingEveryGoldenStringGivesItBackWithoutPartialCharacters() throws {
        let tokenizer = try #require(TokenizerFixtures.gpt2)
        var splitCharacters = 0
        for golden in try TokenizerFixtures.encodeCases() {
            let chunks = stream(golden.ids, tokenizer)
            // Equal to the text means no chunk held half a character (it would show as U+FFFD).
            #expect(chunks.joined() == golden.text, "\(golden.text.debugDescription)")
            #expect(chunks.joined() == tokenizer.decode(golden.ids))
            splitCharacters += chunks.dropLast().filter(\.isEmpty).count
        }
        // The golden strings do split characters across tokens (emoji, CJK, …).
        #expect(splitCharacters > 0)
    }

    @Test(.enabled(if: TokenizerFixtures.hasGPT2Vocabulary,
                   "GPT-2 vocabulary not found next to the repository (../shared/gpt2-vocab/)"))
    func theSpecialTokenStreamsAsItsText() throws {
        let tokenizer = try #require(TokenizerFixtures.gpt2)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(decoder.append(50256) == "<|endoftext|>")
        #expect(decoder.finish() == "")
    }
}
