import Dispatch
import Foundation
import Synchronization
@testable import GPT2
@testable import GPT2Engine

enum EngineFixtures {
    static let models = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/models")

    static func tokenizer(_ name: String = "tiny-a") throws -> GPT2Tokenizer {
        let folder = models.appendingPathComponent(name)
        return try GPT2Tokenizer(vocabURL: folder.appendingPathComponent("vocab.json"),
                                 mergesURL: folder.appendingPathComponent("merges.txt"))
    }

    static func fp32(_ name: String = "tiny-a") throws -> GPT2Model {
        GPT2Model(weights: try GPT2Weights.load(huggingFaceFolder: models.appendingPathComponent(name)))
    }

    static func engine(_ name: String = "tiny-a") throws -> GenerationEngine {
        GenerationEngine(model: try fp32(name), tokenizer: try tokenizer(name))
    }

    static func parameters(
        _ mode: DecodingMode = .sampleTopP, length: Int = 20, sequences: Int = 3, seed: UInt64 = 11
    ) -> GenerationParameters {
        var p = GenerationParameters()
        p.mode = mode
        p.maxLength = length
        p.numReturnSequences = sequences
        p.numBeams = max(3, sequences)
        p.temperature = 1.0
        p.seed = seed
        return p
    }

    /// Every event of a stream, in order.
    static func collect(_ stream: AsyncStream<GenerationEvent>) async -> [GenerationEvent] {
        var events: [GenerationEvent] = []
        for await event in stream { events.append(event) }
        return events
    }

    static func result(_ events: [GenerationEvent]) -> GenerationResult? {
        for case let .runFinished(result) in events { return result }
        return nil
    }

    /// Token ids per sequence, from the token events.
    static func tokens(_ events: [GenerationEvent], sequences: Int) -> [[Int32]] {
        var tokens = Array(repeating: [Int32](), count: sequences)
        for case let .token(token, _) in events where token.sequence < sequences { tokens[token.sequence].append(token.id) }
        return tokens
    }
}

/// A model that "predicts" a fixed script of tokens, whatever the input: for testing how text
/// reaches the user, independent of any weights.
final class ScriptedModel: LanguageModel {
    let config: GPT2Config
    let script: [Int32]
    private let promptLength: Int

    init(script: [Int32], vocabularySize: Int, promptLength: Int) {
        config = GPT2Config(nLayer: 1, nHead: 1, nEmbd: 32, nPositions: 512, vocabSize: vocabularySize)
        self.script = script
        self.promptLength = promptLength
    }

    func makeCache(capacity: Int) -> KVCache { KVCache(config: config, capacity: capacity) }

    func forward(tokens: [[Int32]], caches: [KVCache]) -> [[Float]] {
        zip(tokens, caches).map { sequenceTokens, cache in
            cache.reserve(additional: sequenceTokens.count)
            cache.advance(by: sequenceTokens.count)
            let next = script[min(cache.length - promptLength, script.count - 1)]
            var logits = [Float](repeating: -20, count: config.vocabSize)
            logits[Int(next)] = 20
            return logits
        }
    }
}

/// A model whose forward passes wait for the test to let them through (and are counted), so a
/// test can act at a known point of a run however busy the machine is.
final class GatedModel: LanguageModel {
    let inner: LanguageModel
    let gate: Gate
    var config: GPT2Config { inner.config }

    init(_ inner: LanguageModel, gate: Gate) {
        self.inner = inner
        self.gate = gate
    }

    func makeCache(capacity: Int) -> KVCache { inner.makeCache(capacity: capacity) }

    func forward(tokens: [[Int32]], caches: [KVCache]) -> [[Float]] {
        gate.semaphore.wait()
        gate.passed.add(1, ordering: .relaxed)
        return inner.forward(tokens: tokens, caches: caches)
    }
}

/// Lets forward passes through, a given number at a time.
final class Gate: Sendable {
    let semaphore = DispatchSemaphore(value: 0)
    let passed = Atomic<Int>(0)

    func open(_ count: Int) {
        for _ in 0..<count { semaphore.signal() }
    }
}

extension EngineFixtures {
    static func gatedEngine(_ name: String = "tiny-a", gate: Gate) throws -> GenerationEngine {
        GenerationEngine(model: GatedModel(try fp32(name), gate: gate), tokenizer: try tokenizer(name))
    }
}
