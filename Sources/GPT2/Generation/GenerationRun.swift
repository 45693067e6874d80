import Foundation

/// Something that happened during a run, in order.
public enum GenerationEvent: Sendable, Equatable {
    /// The prompt as the model sees it: its tokens after fitting the context, and how many of
    /// the oldest were left out.
    case promptTokenized(tokens: [Int32], droppedTokens: Int)
    case prefillFinished(milliseconds: Double)
    /// A token was appended to a sequence; `text` is the part of the continuation it made certain
    /// (whole characters only, held back while it may be the start of a stop string).
    case token(GeneratedToken, text: String)
    /// Beam search: the best hypotheses so far (finished ones first), after a step.
    case beamHypotheses([BeamHypothesis])
    /// New parameters took effect from this step on (steps count from 0).
    case parametersApplied(step: Int)
    /// A sequence ended; `text` is what it still held back (a possible stop-string beginning),
    /// now certain. Token texts plus this add up to the sequence's final text.
    case sequenceFinished(sequence: Int, reason: FinishReason, text: String)
    case runFinished(GenerationResult)
    case failed(String)
}

/// A beam-search hypothesis as shown while the search runs.
public struct BeamHypothesis: Sendable, Equatable {
    public var text: String
    public var tokenIDs: [Int32]
    public var score: Float
    public var finished: Bool
}

/// One generation, advanced a step at a time: the shared core of the one-shot generator and
/// the streaming engine. Sampling and greedy runs can take new parameters between steps, be
/// extended when they stop at the length limit, and be cancelled.
public final class GenerationRun {
    public let prompt: String
    public let plan: PromptPlan
    public let seed: UInt64
    public private(set) var parameters: GenerationParameters
    public private(set) var steps = 0
    private let tokenizer: GPT2Tokenizer
    private let decoder: Decoder
    /// Sampling rows and the sequences each row stands for (greedy: one row for all of them).
    private let rowSequences: [[Int]]
    private var characterDecoders: [StreamingDecoder]
    private var texts: [StoppableText]
    private var logprobs: [[Float]]
    private var reportedFinished: Set<Int> = []
    private var prefill: Duration = .zero
    private var decode: Duration = .zero
    private let clock = ContinuousClock()

    private enum Decoder {
        case sampling(SamplingDecoder)
        case beam(BeamSearchDecoder)
    }

    /// Tokenizes the prompt, fits it into the context and runs the prefill.
    /// `rows`: the sequences to run (default all of them); a single index re-runs that column
    /// alone with its own random stream.
    public init(
        model: LanguageModel, tokenizer: GPT2Tokenizer, prompt: String, parameters: GenerationParameters,
        seed: UInt64, rows: [Int]? = nil
    ) throws(GenerationError) {
        try parameters.validate()
        self.prompt = prompt
        self.tokenizer = tokenizer
        self.seed = seed
        plan = try PromptPlan(
            promptTokens: tokenizer.encode(prompt), maxLength: parameters.maxLength,
            contextSize: model.config.nPositions, endOfText: tokenizer.endOfTextID)
        var effective = parameters
        effective.maxLength = plan.maxNewTokens
        self.parameters = effective
        let start = clock.now
        if parameters.mode == .beam {
            guard rows == nil else {
                throw .invalidParameter(name: "sequence", reason: "a beam-search hypothesis cannot be re-run alone")
            }
            decoder = .beam(try BeamSearchDecoder(
                model: model, prompt: plan.tokens, parameters: effective, endOfText: tokenizer.endOfTextID))
            rowSequences = []
        } else {
            let sequences = rows ?? Array(0..<parameters.numReturnSequences)
            rowSequences = parameters.mode == .greedy ? [sequences] : sequences.map { [$0] }
            decoder = .sampling(try SamplingDecoder(
                model: model, prompt: plan.tokens, parameters: effective, streams: rowSequences.map { $0[0] },
                seed: seed, endOfText: tokenizer.endOfTextID))
        }
        prefill = clock.now - start
        characterDecoders = rowSequences.map { _ in StreamingDecoder(tokenizer: tokenizer) }
        texts = rowSequences.map { _ in StoppableText(stops: parameters.stop) }
        logprobs = rowSequences.map { _ in [] }
    }

    /// The first events of the run: what the prompt became and how long the prefill took.
    public var openingEvents: [GenerationEvent] {
        [.promptTokenized(tokens: plan.tokens, droppedTokens: plan.droppedTokens),
         .prefillFinished(milliseconds: prefill.milliseconds)]
    }

    public var isFinished: Bool {
        switch decoder {
        case .sampling(let d): return d.isFinished
        case .beam(let d): return d.isFinished
        }
    }

    /// Advances every running sequence by one token; the last step also reports the result.
    public func step() -> [GenerationEvent] {
        guard !isFinished else { return [] }
        let start = clock.now
        var events: [GenerationEvent]
        switch decoder {
        case .sampling(let d): events = samplingStep(d)
        case .beam(let d): events = beamStep(d)
        }
        decode += clock.now - start
        steps += 1
        if isFinished { events += closingEvents() }
        return events
    }

    /// New parameters from the next step on. Mode, sequence count and beam width cannot change
    /// within a run (start a new one for that).
    public func update(_ newParameters: GenerationParameters) throws(GenerationError) {
        try Self.checkLiveUpdate(from: parameters, to: newParameters)
        var effective = newParameters
        effective.maxLength = min(newParameters.maxLength, plan.maxNewTokens + extraTokens)
        switch decoder {
        case .sampling(let d): try d.update(effective)
        case .beam(let d): try d.update(effective)
        }
        parameters = effective
    }

    private var extraTokens = 0

    /// Whether a running generation can switch from `old` to `new` between two steps: every
    /// sampling setting can; the mode, the number of sequences, the beam width and the stop
    /// strings cannot (they shape the run itself).
    public static func checkLiveUpdate(from old: GenerationParameters, to new: GenerationParameters) throws(GenerationError) {
        try new.validate()
        for (name, changed) in [
            ("mode", new.mode != old.mode),
            ("num_return_sequences", new.numReturnSequences != old.numReturnSequences),
            ("num_beams", old.mode == .beam && new.numBeams != old.numBeams),
            ("stop", new.stop != old.stop),
        ] where changed {
            throw .invalidParameter(name: name, reason: "cannot change during a run; restart the run to change it")
        }
    }

    /// Lets a finished sampling or greedy run go on for `count` more tokens from its caches.
    public func extend(by count: Int) throws(GenerationError) {
        guard case .sampling(let d) = decoder else {
            throw .invalidParameter(name: "continue", reason: "a beam search cannot be continued; start a new run")
        }
        guard count > 0 else { throw .invalidParameter(name: "continue", reason: "needs at least one more token") }
        let room = d.model.config.nPositions - plan.tokens.count - parameters.maxLength
        let added = min(count, room)
        guard added > 0 else { throw .invalidParameter(name: "continue", reason: "the context is full") }
        extraTokens += added
        parameters.maxLength += added
        d.extend(by: added)
        for (row, sequences) in rowSequences.enumerated() where d.finishReasons[row] == nil {
            reportedFinished.subtract(sequences)
        }
    }

    /// Ends every running sequence now.
    public func cancel() -> [GenerationEvent] {
        guard !isFinished else { return [] }
        switch decoder {
        case .sampling(let d):
            for row in rowSequences.indices { d.finish(row, reason: .cancelled) }
        case .beam(let d):
            d.cancel()
        }
        var events: [GenerationEvent] = []
        if case .sampling(let d) = decoder {
            for row in rowSequences.indices { events += finishRow(row, decoder: d) }
        }
        return events + closingEvents()
    }

    /// The run as it stands (final once `isFinished`).
    public var result: GenerationResult {
        let sequences: [GeneratedSequence]
        switch decoder {
        case .sampling(let d):
            var perSequence: [(Int, GeneratedSequence)] = []
            for (row, labels) in rowSequences.enumerated() {
                let rowLogprobs = logprobs[row]
                let mean = rowLogprobs.isEmpty ? 0 : rowLogprobs.reduce(0, +) / Float(rowLogprobs.count)
                let sequence = GeneratedSequence(
                    text: texts[row].text, tokenIDs: d.tokens[row], logprobs: rowLogprobs, score: mean,
                    finishReason: d.finishReasons[row] ?? .cancelled)
                perSequence += labels.map { ($0, sequence) }
            }
            sequences = perSequence.sorted { $0.0 < $1.0 }.map(\.1)
        case .beam(let d):
            sequences = d.results(count: parameters.numReturnSequences).map { beamSequence($0) }
        }
        return GenerationResult(
            prompt: prompt, plan: plan, parameters: parameters, seed: seed, sequences: sequences,
            timing: GenerationTiming(
                prefillMilliseconds: prefill.milliseconds, decodeMilliseconds: decode.milliseconds,
                generatedTokens: generatedTokens))
    }

    private var generatedTokens: Int {
        switch decoder {
        case .sampling(let d): return d.tokens.enumerated().reduce(0) { $0 + $1.element.count * rowSequences[$1.offset].count }
        case .beam(let d): return steps * d.numBeams
        }
    }

    private func samplingStep(_ d: SamplingDecoder) -> [GenerationEvent] {
        var events: [GenerationEvent] = []
        for token in d.step() {
            let row = token.sequence
            logprobs[row].append(token.logprob)
            var piece = ""
            if token.id != tokenizer.endOfTextID {
                piece = texts[row].append(characterDecoders[row].append(token.id))
            }
            if texts[row].stopped { d.finish(row, reason: .stop) }
            if d.finishReasons[row] == .endOfText {
                // Nothing can follow: an incomplete character at the end is final (U+FFFD). After
                // the length limit it stays held, since the run may be continued.
                piece += texts[row].append(characterDecoders[row].finish())
            }
            for sequence in rowSequences[row] {
                var labelled = token
                labelled.sequence = sequence
                events.append(.token(labelled, text: piece))
            }
            events += finishRow(row, decoder: d)
        }
        return events
    }

    /// The finish events of a row that just ended (once per sequence).
    private func finishRow(_ row: Int, decoder d: SamplingDecoder) -> [GenerationEvent] {
        guard let reason = d.finishReasons[row] else { return [] }
        let sequences = rowSequences[row].filter { reportedFinished.insert($0).inserted }
        guard !sequences.isEmpty else { return [] }
        let held = texts[row].finish()
        return sequences.map { .sequenceFinished(sequence: $0, reason: reason, text: held) }
    }

    private func beamStep(_ d: BeamSearchDecoder) -> [GenerationEvent] {
        d.step()
        if d.isFinished { return [] }
        let best = d.currentBest.prefix(parameters.numReturnSequences).enumerated().map { i, beam in
            BeamHypothesis(text: text(of: beam.tokens), tokenIDs: beam.tokens, score: beam.score,
                           finished: i < d.finished.count)
        }
        return [.beamHypotheses(Array(best))]
    }

    /// A finished hypothesis as a returned sequence, cut at a stop string.
    private func beamSequence(_ hypothesis: BeamSearchDecoder.Hypothesis) -> GeneratedSequence {
        var text = StoppableText(stops: parameters.stop)
        _ = text.append(self.text(of: hypothesis.tokens))
        _ = text.finish()
        return GeneratedSequence(
            text: text.text, tokenIDs: hypothesis.tokens, logprobs: hypothesis.logprobs, score: hypothesis.score,
            finishReason: text.stopped ? .stop : hypothesis.finishReason)
    }

    private func text(of tokens: [Int32]) -> String {
        tokenizer.decode(tokens.filter { $0 != tokenizer.endOfTextID })
    }

    /// Beam search: the final sequences as token events; then the result.
    private func closingEvents() -> [GenerationEvent] {
        let result = self.result
        var events: [GenerationEvent] = []
        if case .beam = decoder {
            for (s, sequence) in result.sequences.enumerated() {
                for (i, id) in sequence.tokenIDs.enumerated() {
                    let token = GeneratedToken(sequence: s, id: id, logprob: sequence.logprobs[i])
                    events.append(.token(token, text: i == sequence.tokenIDs.count - 1 ? sequence.text : ""))
                }
                events.append(.sequenceFinished(sequence: s, reason: sequence.finishReason, text: ""))
            }
        }
        return events + [.runFinished(result)]
    }
}
