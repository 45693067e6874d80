import Foundation
import Testing
@testable import GPT2

@Suite struct StoppableTextTests {
    @Test func piecesAddUpToTheTextCutBeforeTheStop() {
        var text = StoppableText(stops: ["\n\n", "END"])
        var emitted = ""
        for piece in ["Hello", "\n", "world", "\n", "\nmore"] { emitted += text.append(piece) }
        #expect(text.stopped)
        #expect(text.text == "Hello\nworld")
        #expect(emitted == "Hello\nworld")
    }

    @Test func aPossibleStopBeginningIsHeldBackUntilDecided() {
        var text = StoppableText(stops: ["END"])
        #expect(text.append("the E") == "the ")
        #expect(text.append("N") == "")
        #expect(text.append("d") == "ENd")
        #expect(text.finish() == "")
        #expect(text.text == "the ENd")
    }

    @Test func theEarliestOfSeveralStopsWins() {
        var text = StoppableText(stops: ["b", "a"])
        _ = text.append("xxaab")
        #expect(text.text == "xx")
    }

    @Test func stopsMatchUnicodeScalarsInsideClusters() {
        var text = StoppableText(stops: ["\n"])
        _ = text.append("line\r\nnext")
        #expect(text.text == "line\r")
    }
}

@Suite struct PromptPlanTests {
    @Test func aPromptThatFitsIsKeptWhole() throws {
        let plan = try PromptPlan(promptTokens: [1, 2, 3], maxLength: 5, contextSize: 16, endOfText: 0)
        #expect(plan.tokens == [1, 2, 3] && plan.droppedTokens == 0 && plan.maxNewTokens == 5)
    }

    @Test func theOldestTokensMakeRoomForTheNewOnes() throws {
        let plan = try PromptPlan(promptTokens: Array(1...10), maxLength: 4, contextSize: 8, endOfText: 0)
        #expect(plan.tokens == [7, 8, 9, 10])
        #expect(plan.droppedTokens == 6)
    }

    @Test func tooManyNewTokensAreLoweredToTheContext() throws {
        let plan = try PromptPlan(promptTokens: [1, 2], maxLength: 100, contextSize: 8, endOfText: 0)
        #expect(plan.maxNewTokens == 7)
        #expect(plan.tokens == [2])
    }

    @Test func anEmptyPromptStartsFromEndOfText() throws {
        let plan = try PromptPlan(promptTokens: [], maxLength: 4, contextSize: 8, endOfText: 50256)
        #expect(plan.tokens == [50256])
        #expect(throws: GenerationError.self) { try PromptPlan(promptTokens: [], maxLength: 4, contextSize: 8, endOfText: nil) }
    }
}

@Suite struct GenerationRequestTests {
    @Test func theSeedsRequestShapeIsRead() throws {
        let json = #"{"input": "This is an input text", "max_length": 50, "mode": "sample-top-p", "top_p": 0.92, "top_k": 50, "temperature": 0.7, "num_beams": 5, "no_repeat_ngram_size": 2, "num_return_sequences": 3, "seed": -1}"#
        let request = try GenerationRequest(json: Data(json.utf8))
        #expect(request.input == "This is an input text")
        #expect(request.parameters.maxLength == 50)
        #expect(request.parameters.mode == .sampleTopP)
        #expect(request.parameters.noRepeatNgramSize == 2)
        #expect(request.parameters.seed == nil)
    }

    @Test func maxNewTokensIsAnAliasAndStopMayBeOneString() throws {
        let request = try GenerationRequest(json: Data(#"{"input": "x", "max_new_tokens": 7, "stop": "\n", "seed": 3}"#.utf8))
        #expect(request.parameters.maxLength == 7)
        #expect(request.parameters.stop == ["\n"])
        #expect(request.parameters.seed == 3)
    }

    @Test(arguments: [
        (#"{"input": 3}"#, "request key \"input\" must be a string"),
        (#"{"max_length": 3}"#, "request key \"input\" is required"),
        (#"{"input": "x", "mode": "fast"}"#, "request key \"mode\" must be one of sample-top-p, sample-top-k, sample, beam, greedy, got \"fast\""),
        (#"{"input": "x", "top_k": 2.5}"#, "request key \"top_k\" must be an integer"),
        (#"{"input": "x", "temperature": true}"#, "request key \"temperature\" must be a number"),
        (#"{"input": "x", "topp": 0.5}"#, "request key \"topp\" is not a known request key"),
        (#"{"input": "x", "seed": -2}"#, "request key \"seed\" must be -1 (random) or a non-negative integer, got -2"),
        (#"[1, 2]"#, "the request must be a JSON object"),
        (#"{"input": "#, "the request is not valid JSON"),
    ])
    func badRequestsAreNamedByKey(json: String, message: String) {
        #expect(throws: RequestError.self) { try GenerationRequest(json: Data(json.utf8)) }
        do {
            _ = try GenerationRequest(json: Data(json.utf8))
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func outOfRangeValuesAreNamed() {
        var p = GenerationParameters()
        p.topP = 0
        #expect(throws: GenerationError.invalidParameter(name: "top_p", reason: "must be in (0, 1], got 0.0")) { try p.validate() }
        p = GenerationParameters()
        p.mode = .beam
        p.numBeams = 2
        p.numReturnSequences = 3
        #expect(throws: GenerationError.self) { try p.validate() }
    }
}

@Suite struct TextGeneratorTests {
    static func generator() throws -> TextGenerator {
        TextGenerator(model: try GoldenFixtures.model("tiny-a"), tokenizer: try GoldenFixtures.tokenizer("tiny-a"))
    }

    @Test(arguments: DecodingMode.allCases)
    func streamedPiecesAddUpToTheFinalTexts(mode: DecodingMode) throws {
        var p = GenerationParameters()
        p.mode = mode
        p.maxLength = 25
        p.numReturnSequences = 2
        p.numBeams = 3
        p.seed = 1
        var pieces = ["", ""]
        var finished = [false, false]
        let result = try Self.generator().generate(prompt: "KING RICHARD III:\n", parameters: p) { event in
            switch event {
            case let .token(token, text): pieces[token.sequence] += text
            case let .sequenceFinished(sequence, _, text):
                pieces[sequence] += text
                finished[sequence] = true
            default: break
            }
        }
        #expect(pieces == result.sequences.map(\.text))
        #expect(finished == [true, true])
    }

    @Test func aStopStringEndsTheSequenceAndStaysOut() throws {
        var p = GenerationParameters()
        p.mode = .greedy
        p.maxLength = 60
        p.numReturnSequences = 1
        let free = try Self.generator().generate(prompt: "ROMEO:", parameters: p)
        let text = free.sequences[0].text
        // Stop at the second character of the free-running text: the stop must be cut out.
        let stop = String(text.dropFirst(3).prefix(2))
        try #require(stop.count == 2)
        p.stop = [stop]
        let stopped = try Self.generator().generate(prompt: "ROMEO:", parameters: p)
        #expect(stopped.sequences[0].finishReason == .stop)
        #expect(!stopped.sequences[0].text.contains(stop))
        #expect(text.hasPrefix(stopped.sequences[0].text))
    }

    @Test func aLongPromptIsTruncatedFromTheLeftAndSaysSo() throws {
        var p = GenerationParameters()
        p.mode = .greedy
        p.maxLength = 10
        p.numReturnSequences = 1
        let prompt = String(repeating: "To be, or not to be: that is the question. ", count: 40)
        let result = try Self.generator().generate(prompt: prompt, parameters: p)
        #expect(result.plan.droppedTokens > 0)
        #expect(result.plan.tokens.count + 10 == 128)
        #expect(result.sequences[0].tokenIDs.count == 10)
    }
}
