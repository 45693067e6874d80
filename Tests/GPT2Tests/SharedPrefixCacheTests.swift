import Testing
@testable import GPT2

/// Caches that share a prompt's positions (`KVCache.continuations`) against caches that hold
/// their own copy of them: the same logits, bit for bit, on both engines.
@Suite struct SharedPrefixCacheTests {
    static func models() throws -> [(name: String, model: LanguageModel)] {
        [("fp32", try GoldenFixtures.model("tiny-b")), ("int8", try QuantizedEngineTests.int8("tiny-b"))]
    }

    static let prompt: [Int32] = [5, 99, 300, 7, 42, 811, 64]

    /// A cache holding the prompt in one part, as a sequence decoded alone has it.
    static func privateCopy(of prompt: [Int32], model: LanguageModel, capacity: Int) -> KVCache {
        let cache = model.makeCache(capacity: capacity)
        _ = model.forward(tokens: [prompt], caches: [cache])
        return cache
    }

    @Test func sequencesSharingThePromptGiveTheLogitsOfSequencesWithTheirOwnCopy() throws {
        for (name, model) in try Self.models() {
            let first = model.makeCache(capacity: 20)
            _ = model.forward(tokens: [Self.prompt], caches: [first])
            let shared = first.continuations(3, capacity: 20)
            let own = (0..<3).map { _ in Self.privateCopy(of: Self.prompt, model: model, capacity: 20) }
            #expect(shared.allSatisfy { $0.prefixLength == Self.prompt.count && $0.length == Self.prompt.count })
            var next: [[Int32]] = [[1], [2, 3], [4]]
            for _ in 0..<6 {
                let a = model.forward(tokens: next, caches: shared)
                let b = model.forward(tokens: next, caches: own)
                #expect(a == b, "\(name)")
                next = a.map { [Int32(TokenChoice.argmax($0))] }
            }
        }
    }

    @Test func oneContinuationIsThePromptsCacheItself() throws {
        let model = try GoldenFixtures.model("tiny-b")
        let first = Self.privateCopy(of: Self.prompt, model: model, capacity: 10)
        let continuations = first.continuations(1, capacity: 10)
        #expect(continuations.count == 1 && continuations[0] === first)
    }

    @Test func truncatingIntoTheSharedPromptKeepsItsFirstPositions() throws {
        for (name, model) in try Self.models() {
            let first = Self.privateCopy(of: Self.prompt, model: model, capacity: 16)
            let cache = first.continuations(2, capacity: 16)[0]
            _ = model.forward(tokens: [[9, 10]], caches: [cache])
            cache.truncate(to: 4)
            #expect(cache.length == 4 && cache.prefixLength == 0)
            let fresh = Self.privateCopy(of: Array(Self.prompt[..<4]), model: model, capacity: 16)
            let a = model.forward(tokens: [[11, 12, 13]], caches: [cache])
            let b = model.forward(tokens: [[11, 12, 13]], caches: [fresh])
            #expect(a == b, "\(name)")
        }
    }

    @Test func copyingACacheThatSharesItsPromptCopiesItsOwnPositions() throws {
        for (name, model) in try Self.models() {
            let first = Self.privateCopy(of: Self.prompt, model: model, capacity: 16)
            let continuations = first.continuations(2, capacity: 16)
            _ = model.forward(tokens: [[9, 10], [20]], caches: continuations)
            let copy = model.makeCache(capacity: 2)
            copy.copyContents(of: continuations[0])
            #expect(copy.length == continuations[0].length && copy.prefixLength == Self.prompt.count)
            let a = model.forward(tokens: [[11]], caches: [copy])
            let b = model.forward(tokens: [[11]], caches: [continuations[0]])
            #expect(a == b, "\(name)")
        }
    }
}
