import Foundation
import Testing
@testable import GPT2

/// The whole of tinyshakespeare.txt (1.1 MB), read from ../shared/corpus/ (not committed).
@Suite(.enabled(if: TokenizerFixtures.hasGPT2Vocabulary && TokenizerFixtures.hasCorpus,
                "GPT-2 vocabulary or corpus not found next to the repository (../shared/)"))
struct TokenizerCorpusTests {
    struct CorpusDigest: Decodable {
        var count: Int
        var fnv1a64: String
    }

    @Test func theWholeCorpusEncodesToTiktokensIDs() throws {
        let tokenizer = try #require(TokenizerFixtures.gpt2)
        let text = try String(contentsOf: TokenizerFixtures.corpusURL, encoding: .utf8)
        let expected = try JSONDecoder().decode(
            CorpusDigest.self,
            from: Data(contentsOf: TokenizerFixtures.goldenDirectory.appendingPathComponent("tokenizer_gpt2_corpus.json")))
        let ids = tokenizer.encode(text)
        #expect(ids.count == expected.count)
        #expect(Self.fnv1a64(ids) == expected.fnv1a64)
        #expect(tokenizer.decode(ids) == text)
    }

    /// Encoding speed, measured only when GPT2_TOKENIZER_BENCH is set (numbers from a debug
    /// build mean little): `GPT2_TOKENIZER_BENCH=1 swift test -c release --filter TokenizerCorpus`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GPT2_TOKENIZER_BENCH"] != nil,
                   "set GPT2_TOKENIZER_BENCH=1 to measure encoding speed"))
    func encodingTheCorpusTakesWellUnderASecond() throws {
        let text = try String(contentsOf: TokenizerFixtures.corpusURL, encoding: .utf8)
        let clock = ContinuousClock()
        // Best of several runs, each cold run on a freshly loaded tokenizer (empty cache).
        var load: [Duration] = [], cold: [Duration] = [], warm: [Duration] = [], decode: [Duration] = []
        var ids: [Int32] = []
        var lastLoaded: GPT2Tokenizer?
        for _ in 0..<5 {
            var loaded: GPT2Tokenizer?
            load.append(try clock.measure {
                loaded = try GPT2Tokenizer(vocabURL: TokenizerFixtures.vocabURL, mergesURL: TokenizerFixtures.mergesURL)
            })
            let tokenizer = try #require(loaded)
            lastLoaded = tokenizer
            cold.append(clock.measure { ids = tokenizer.encode(text) })
            warm.append(clock.measure { ids = tokenizer.encode(text) })
            decode.append(clock.measure { _ = tokenizer.decode(ids) })
        }
        let megabytes = Double(text.utf8.count) / 1_000_000
        print("""
            tokenizer, best of 5: load \(load.min() ?? .zero); encode \(megabytes) MB to \(ids.count) tokens: \
            cold cache \(cold.min() ?? .zero), warm cache \(warm.min() ?? .zero); decode \(decode.min() ?? .zero)
            """)
        #expect((cold.min() ?? .zero) < .seconds(1))

        // One piece of a million bytes must not take quadratic time.
        let tokenizer = try #require(lastLoaded)
        var generator = SplitMix64(seed: 1)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let randomWord = String((0..<1_000_000).map { _ in letters[Int.random(in: 0..<26, using: &generator)] })
        for (name, long) in [("\"a\" x 1M", String(repeating: "a", count: 1_000_000)),
                             ("random letters x 1M", randomWord),
                             ("\"1\" x 1M", String(repeating: "1", count: 1_000_000))] {
            var count = 0
            let time = clock.measure { count = tokenizer.encode(long).count }
            print("tokenizer: one piece of \(name): \(count) tokens in \(time)")
            #expect(time < .seconds(5))
        }
    }

    /// FNV-1a (64-bit) over the ids as little-endian 32-bit integers, as the fixture script.
    static func fnv1a64(_ ids: [Int32]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for id in ids {
            var value = UInt32(bitPattern: id)
            for _ in 0..<4 {
                hash ^= UInt64(value & 0xFF)
                hash &*= 0x0000_0100_0000_01B3
                value >>= 8
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
