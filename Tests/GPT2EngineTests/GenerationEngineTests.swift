import Foundation
import Testing
@testable import GPT2
@testable import GPT2Engine

@Suite struct GenerationEngineTests {
    @Test(arguments: DecodingMode.allCases)
    func streamedPiecesAddUpToTheFinalTexts(mode: DecodingMode) async throws {
        let engine = try EngineFixtures.engine()
        let events = await EngineFixtures.collect(
            await engine.start(GenerationRequest(input: "KING HENRY:\n", parameters: EngineFixtures.parameters(mode, length: 25, sequences: 2))))
        let result = try #require(EngineFixtures.result(events))
        var pieces = ["", ""]
        var finished = Set<Int>()
        for event in events {
            switch event {
            case let .token(token, text): pieces[token.sequence] += text
            case let .sequenceFinished(sequence, _, text):
                pieces[sequence] += text
                finished.insert(sequence)
            default: break
            }
        }
        #expect(pieces == result.sequences.map(\.text))
        #expect(finished == [0, 1])
        guard case .promptTokenized = events.first else { Issue.record("first event: \(String(describing: events.first))"); return }
        #expect(events.contains { if case .prefillFinished = $0 { true } else { false } })
        if mode == .beam {
            #expect(events.contains { if case .beamHypotheses = $0 { true } else { false } })
        }
    }

    @Test func aCharacterSplitAcrossTokensIsNeverEmittedHalf() async throws {
        let tokenizer = try EngineFixtures.tokenizer()
        // "日本 é!" as single-byte tokens: every character but the ASCII ones spans several tokens.
        let byteTokens = try #require(byteTokenIDs(tokenizer, "日本 é!"))
        let prompt = tokenizer.encode("A")
        let engine = GenerationEngine(
            model: ScriptedModel(script: byteTokens, vocabularySize: tokenizer.vocabularySize, promptLength: prompt.count),
            tokenizer: tokenizer)
        var p = EngineFixtures.parameters(.greedy, length: byteTokens.count, sequences: 1)
        p.stop = []
        let events = await EngineFixtures.collect(await engine.start(GenerationRequest(input: "A", parameters: p)))
        var pieces: [String] = []
        for case let .token(_, text) in events where !text.isEmpty { pieces.append(text) }
        #expect(pieces.joined() == "日本 é!")
        #expect(pieces.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
        #expect(pieces.contains("日") && pieces.contains("本"))
    }

    /// The token ids of each UTF-8 byte of `text`, through the byte-level vocabulary.
    private func byteTokenIDs(_ tokenizer: GPT2Tokenizer, _ text: String) -> [Int32]? {
        var ids: [Int32] = []
        for byte in text.utf8 {
            guard let id = (0..<Int32(tokenizer.vocabularySize)).first(where: { tokenizer.bytes(of: $0) == [byte] }) else { return nil }
            ids.append(id)
        }
        return ids
    }

    @Test func cancelStopsWithinOneStepAndTheEngineStaysUsable() async throws {
        let tokenizer = try EngineFixtures.tokenizer()
        let gate = Gate()
        gate.open(3)
        let engine = GenerationEngine(
            model: GatedModel(ScriptedModel(script: [Int32(65)], vocabularySize: tokenizer.vocabularySize, promptLength: 1),
                              gate: gate),
            tokenizer: tokenizer)
        var p = EngineFixtures.parameters(.sample, length: 400, sequences: 3)
        p.stop = []
        let stream = await engine.start(GenerationRequest(input: "A", parameters: p))
        var forwardsAtCancel: Int?
        var reasons: [FinishReason] = []
        var finishedRun = false
        for await event in stream {
            switch event {
            case .token:
                if forwardsAtCancel == nil {
                    await engine.cancel()
                    forwardsAtCancel = gate.passed.load(ordering: .relaxed)
                    gate.open(10_000)
                }
            case let .sequenceFinished(_, reason, _): reasons.append(reason)
            case .runFinished: finishedRun = true
            default: break
            }
        }
        // At most the forward pass in flight when cancel was called completes.
        let extra = gate.passed.load(ordering: .relaxed) - (forwardsAtCancel ?? 0)
        #expect(extra <= 1, "\(extra) forward passes after cancel")
        #expect(reasons == [.cancelled, .cancelled, .cancelled])
        #expect(finishedRun)
        p.maxLength = 5
        let again = await EngineFixtures.collect(await engine.start(GenerationRequest(input: "A", parameters: p)))
        #expect(EngineFixtures.result(again)?.sequences.map(\.tokenIDs.count) == [5, 5, 5])
    }

    @Test func aParameterUpdateAppliesFromTheNextStepExactly() async throws {
        let gate = Gate()
        let engine = try EngineFixtures.gatedEngine(gate: gate)
        let original = EngineFixtures.parameters(.sample, length: 40, sequences: 2, seed: 3)
        var changed = original
        changed.temperature = 0.3
        changed.topK = 5
        changed.repetitionPenalty = 1.3
        let stream = await engine.start(GenerationRequest(input: "ROMEO:", parameters: original))
        gate.open(6)  // the prefill and 5 steps; the engine then waits inside step 6
        var events: [GenerationEvent] = []
        var updated = false
        for await event in stream {
            events.append(event)
            if !updated, case let .token(token, _) = event, token.sequence == 1,
               EngineFixtures.tokens(events, sequences: 2)[1].count == 6 {
                updated = true
                try await engine.update(changed)
                gate.open(10_000)
            }
        }
        var appliedStep: Int?
        for case let .parametersApplied(step) in events { appliedStep = step }
        let step = try #require(appliedStep)
        // The same run computed directly, with the new parameters from that step on.
        let model = try EngineFixtures.fp32()
        let run = try GenerationRun(model: model, tokenizer: try EngineFixtures.tokenizer(), prompt: "ROMEO:",
                                    parameters: original, seed: 3)
        for _ in 0..<step { _ = run.step() }
        try run.update(changed)
        while !run.isFinished { _ = run.step() }
        #expect(EngineFixtures.result(events)?.sequences.map(\.tokenIDs) == run.result.sequences.map(\.tokenIDs))
        // And it really changed something: without the update the tokens differ.
        let unchanged = try TextGenerator(model: model, tokenizer: try EngineFixtures.tokenizer())
            .generate(prompt: "ROMEO:", parameters: original)
        #expect(unchanged.sequences.map(\.tokenIDs) != run.result.sequences.map(\.tokenIDs))
    }

    @Test func changesThatCannotApplyMidRunAreRefused() async throws {
        let engine = try EngineFixtures.engine()
        let p = EngineFixtures.parameters(.sampleTopK, length: 5, sequences: 2)
        _ = await EngineFixtures.collect(await engine.start(GenerationRequest(input: "ROMEO:", parameters: p)))
        var other = p
        other.mode = .beam
        await #expect(throws: GenerationError.self) { try await engine.update(other) }
        other = p
        other.numReturnSequences = 3
        await #expect(throws: GenerationError.self) { try await engine.update(other) }
        let restarted = await EngineFixtures.collect(await engine.restart(with: other))
        #expect(EngineFixtures.result(restarted)?.sequences.count == 3)
    }

    @Test func continuingGivesTheSameTokensAsOneLongerRun() async throws {
        let engine = try EngineFixtures.engine()
        var p = EngineFixtures.parameters(.sampleTopP, length: 12, sequences: 3, seed: 8)
        p.stop = []
        let first = await EngineFixtures.collect(await engine.start(GenerationRequest(input: "JULIET:", parameters: p)))
        let more = await EngineFixtures.collect(await engine.continueRun(by: 12))
        let continued = try #require(EngineFixtures.result(more))
        #expect(more.allSatisfy { if case .promptTokenized = $0 { false } else { true } }, "no prompt recomputation")
        p.maxLength = 24
        let longer = try TextGenerator(model: try EngineFixtures.fp32(), tokenizer: try EngineFixtures.tokenizer())
            .generate(prompt: "JULIET:", parameters: p)
        #expect(continued.sequences.map(\.tokenIDs) == longer.sequences.map(\.tokenIDs))
        #expect(continued.sequences.map(\.text) == longer.sequences.map(\.text))
        // The streamed pieces of both parts add up to the longer texts.
        var pieces = ["", "", ""]
        for case let .token(token, text) in first + more { pieces[token.sequence] += text }
        for case let .sequenceFinished(sequence, _, text) in first + more { pieces[sequence] += text }
        #expect(pieces == longer.sequences.map(\.text))
    }

    /// Each column re-run alone reproduces itself, so N sequences batched give the same tokens
    /// as N separate runs.
    @Test func eachColumnRerunAloneReproducesTheBatchedRun() async throws {
        let engine = try EngineFixtures.engine("tiny-b")
        let p = EngineFixtures.parameters(.sample, length: 15, sequences: 3, seed: 21)
        let all = await EngineFixtures.collect(await engine.start(GenerationRequest(input: "First Citizen:", parameters: p)))
        let batched = try #require(EngineFixtures.result(all)).sequences
        for index in 0..<3 {
            let alone = await EngineFixtures.collect(await engine.rerun(sequence: index))
            let tokens = EngineFixtures.tokens(alone, sequences: 3)[index]
            #expect(tokens == batched[index].tokenIDs, "column \(index)")
        }
    }

    @Test func aNewRunCancelsTheOneInProgressCleanly() async throws {
        let gate = Gate()
        let engine = try EngineFixtures.gatedEngine(gate: gate)
        let long = await engine.start(GenerationRequest(input: "ROMEO:", parameters: EngineFixtures.parameters(.sample, length: 100, sequences: 3)))
        gate.open(3)
        var first: [GenerationEvent] = []
        for await event in long {
            first.append(event)
            if case .token = event { break }
        }
        let short = await engine.start(GenerationRequest(input: "JULIET:", parameters: EngineFixtures.parameters(.greedy, length: 5, sequences: 1)))
        gate.open(10_000)
        for await event in long { first.append(event) }
        let second = await EngineFixtures.collect(short)
        let firstResult = try #require(EngineFixtures.result(first))
        #expect(firstResult.sequences.contains { $0.finishReason == .cancelled })
        #expect(firstResult.sequences.allSatisfy { $0.tokenIDs.count < 100 })
        #expect(EngineFixtures.result(second)?.sequences.first?.tokenIDs.count == 5)
    }

    @Test func droppingTheStreamCancelsTheRun() async throws {
        let engine = try EngineFixtures.engine()
        do {
            let stream = await engine.start(GenerationRequest(input: "ROMEO:", parameters: EngineFixtures.parameters(.sample, length: 100)))
            for await event in stream {
                if case .token = event { break }
            }
        }
        // The engine is free again at once: a short run completes.
        let events = await EngineFixtures.collect(
            await engine.start(GenerationRequest(input: "ROMEO:", parameters: EngineFixtures.parameters(.greedy, length: 3, sequences: 1))))
        #expect(EngineFixtures.result(events)?.sequences.first?.tokenIDs.count == 3)
    }

    @Test func theMainActorKeepsRunningWhileTheEngineComputes() async throws {
        let engine = try EngineFixtures.engine("tiny-b")
        let ticks = Ticker()
        let ticking = Task { @MainActor in
            while !Task.isCancelled {
                ticks.count += 1
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        let events = await EngineFixtures.collect(
            await engine.start(GenerationRequest(input: "ROMEO:", parameters: EngineFixtures.parameters(.sample, length: 60, sequences: 8))))
        ticking.cancel()
        #expect(EngineFixtures.result(events) != nil)
        #expect(await ticks.count > 0)
    }

    @MainActor final class Ticker {
        var count = 0
    }
}
