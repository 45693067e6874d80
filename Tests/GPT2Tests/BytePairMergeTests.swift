import Testing
@testable import GPT2

/// Merge order on small hand-written vocabularies (ids 0…255 are the bytes, extras follow).
struct BytePairMergeTests {
    private func tokenizer(_ extra: [String], merges: [String]) throws -> GPT2Tokenizer {
        try GPT2Tokenizer(tokens: TokenizerFixtures.byteLevelTokens(plus: extra), merges: merges)
    }

    @Test func theLowestRankedMergeIsAppliedFirst() throws {
        // "b c" outranks "a b", so "abc" becomes a + bc, and "ab c" never applies.
        let first = try tokenizer(["ab", "bc", "abc"], merges: ["b c", "a b", "ab c"])
        #expect(first.encode("abc") == [97, 257])
        // With "a b" first, ab then abc.
        let second = try tokenizer(["ab", "bc", "abc"], merges: ["a b", "b c", "ab c"])
        #expect(second.encode("abc") == [258])
    }

    @Test func theLeftmostOccurrenceOfAPairMergesFirst() throws {
        let tokenizer = try tokenizer(["aa"], merges: ["a a"])
        #expect(tokenizer.encode("aaa") == [256, 97])
        #expect(tokenizer.encode("aaaa") == [256, 256])
    }

    @Test func mergedTokensMergeFurther() throws {
        let tokenizer = try tokenizer(["Ġt", "he", "Ġthe"], merges: ["Ġ t", "h e", "Ġt he"])
        #expect(tokenizer.encode(" the") == [258])
        #expect(tokenizer.encode(" them") == [258, 109])
        #expect(tokenizer.decode([258, 109]) == " them")
    }

    @Test func aPairListedTwiceTakesItsLaterRank() throws {
        // As OpenAI's encoder and Hugging Face do: the later line's rank wins, so here
        // "b c" (rank 1) beats "a b" (rank 2 after its repeat).
        let tokenizer = try tokenizer(["ab", "bc"], merges: ["a b", "b c", "a b"])
        #expect(tokenizer.encode("abc") == [97, 257])
    }

    @Test func piecesAreMergedSeparately() throws {
        // No merge crosses a piece boundary, even when one exists for the pair.
        let tokenizer = try tokenizer(["aĠ"], merges: ["a Ġ"])
        #expect(tokenizer.encode("a ") == [97, 32])
    }

    @Test func theHeapMergeAgreesWithRescanningOnRandomPieces() throws {
        // A vocabulary where every pair of the letters a…d merges, and so do the results.
        var extra: [String] = []
        var merges: [String] = []
        let letters = ["a", "b", "c", "d"]
        for left in letters {
            for right in letters {
                extra.append(left + right)
                merges.append("\(left) \(right)")
            }
        }
        for left in ["ab", "cd", "da", "bb"] {
            for right in ["ab", "cd", "a", "d"] {
                extra.append(left + right)
                merges.append("\(left) \(right)")
            }
        }
        var generator = SplitMix64(seed: 5)
        merges.shuffle(using: &generator)
        let tokenizer = try tokenizer(extra, merges: merges)
        for _ in 0..<300 {
            let length = Int.random(in: 2...200, using: &generator)
            let bytes = (0..<length).map { _ in UInt8(ascii: "a") + UInt8.random(in: 0...3, using: &generator) }
            let start = bytes.map { tokenizer.byteTokenID($0) }
            var rescanned = start
            tokenizer.mergeTable.mergeByRescanning(&rescanned)
            var heaped = start
            tokenizer.mergeTable.mergeWithHeap(&heaped)
            #expect(rescanned == heaped, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(tokenizer.decode(heaped) == String(decoding: bytes, as: UTF8.self))
        }
    }
}
