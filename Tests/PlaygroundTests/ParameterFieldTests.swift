import GPT2
import Testing
@testable import Playground

@Suite struct ParameterFieldTests {
    @Test func eachFieldAppliesOnlyInTheModesThatUseIt() {
        func modes(_ field: ParameterField) -> [DecodingMode] { DecodingMode.allCases.filter { field.applies(in: $0) } }
        #expect(modes(.temperature) == [.sampleTopP, .sampleTopK, .sample])
        #expect(modes(.seed) == [.sampleTopP, .sampleTopK, .sample])
        #expect(modes(.topP) == [.sampleTopP, .sample])
        #expect(modes(.topK) == [.sampleTopK, .sample])
        #expect(modes(.numBeams) == [.beam])
        for field: ParameterField in [.mode, .maxLength, .numReturnSequences, .noRepeatNgramSize, .repetitionPenalty, .stop] {
            #expect(modes(field) == DecodingMode.allCases, "\(field)")
        }
        // The panel's idea of top-k and top-p is the generator's.
        for mode in DecodingMode.allCases {
            var p = GenerationParameters()
            p.mode = mode
            #expect(ParameterField.topK.applies(in: mode) == p.usesTopK)
            #expect(ParameterField.topP.applies(in: mode) == p.usesTopP)
        }
    }

    @Test func notApplicableReasonNamesTheModesThatUseTheField() {
        #expect(ParameterField.numBeams.notApplicableReason(in: .greedy) == "num_beams does not apply in greedy mode (only in beam)")
    }

    @Test func fineAndCoarseStepsLandOnTheirGrid() throws {
        var p = GenerationParameters()
        p.temperature = 0.73
        let up = try #require(ParameterField.temperature.stepped(p, direction: 1, size: .fine))
        let down = try #require(ParameterField.temperature.stepped(p, direction: -1, size: .fine))
        let coarse = try #require(ParameterField.temperature.stepped(GenerationParameters(), direction: 1, size: .coarse))
        #expect(up.temperature == 0.75)
        #expect(down.temperature == 0.7)
        #expect(coarse.temperature == 0.75)
        let topK = try #require(ParameterField.topK.stepped(GenerationParameters(), direction: 1, size: .coarse))
        #expect(topK.topK == 60)
        let topP = try #require(ParameterField.topP.stepped(GenerationParameters(), direction: 1, size: .fine))
        #expect(topP.topP == 0.93)
    }

    @Test func repeatedStepsCollectNoFloatNoise() throws {
        var p = GenerationParameters()
        p.temperature = 0.05
        for _ in 0..<13 { p = try #require(ParameterField.temperature.stepped(p, direction: 1, size: .fine)) }
        #expect(p.temperature == 0.7)
        #expect(ParameterField.temperature.displayValue(of: p) == "0.70")
    }

    @Test func stepsStopAtTheEndsOfTheRange() throws {
        var p = GenerationParameters()
        p.numReturnSequences = 8
        p.topP = 1
        p.maxLength = 1
        #expect(try #require(ParameterField.numReturnSequences.stepped(p, direction: 1, size: .coarse)).numReturnSequences == 8)
        #expect(try #require(ParameterField.topP.stepped(p, direction: 1, size: .fine)).topP == 1)
        #expect(try #require(ParameterField.maxLength.stepped(p, direction: -1, size: .coarse)).maxLength == 1)
    }

    @Test func modeStepsCycleThroughTheModesBothWays() throws {
        var p = GenerationParameters()
        var seen: [DecodingMode] = []
        for _ in DecodingMode.allCases {
            p = try #require(ParameterField.mode.stepped(p, direction: 1, size: .fine))
            seen.append(p.mode)
        }
        #expect(seen == [.sampleTopK, .sample, .beam, .greedy, .sampleTopP])
        #expect(try #require(ParameterField.mode.stepped(p, direction: -1, size: .fine)).mode == .greedy)
    }

    @Test func seedStepsGoBetweenRandomAndNumbers() throws {
        let random = GenerationParameters()
        let zero = try #require(ParameterField.seed.stepped(random, direction: 1, size: .fine))
        #expect(zero.seed == 0)
        #expect(try #require(ParameterField.seed.stepped(zero, direction: -1, size: .fine)).seed == nil)
        #expect(try #require(ParameterField.seed.stepped(random, direction: -1, size: .fine)).seed == nil)
        #expect(try #require(ParameterField.seed.stepped(zero, direction: 1, size: .coarse)).seed == 100)
        var top = GenerationParameters()
        top.seed = ParameterField.maximumSeed - 1
        #expect(try #require(ParameterField.seed.stepped(top, direction: 1, size: .coarse)).seed == ParameterField.maximumSeed)
        top.seed = 42
        #expect(try #require(ParameterField.seed.stepped(top, direction: -1, size: .coarse)).seed == 0)
    }

    @Test func stopStringsHaveNoSteps() {
        #expect(ParameterField.stop.stepped(GenerationParameters(), direction: 1, size: .fine) == nil)
    }

    @Test func noRepeatNgramSizeShowsTheModesDefaultUntilSet() throws {
        var p = GenerationParameters()
        p.mode = .beam
        #expect(ParameterField.noRepeatNgramSize.displayValue(of: p) == "2")
        p.mode = .greedy
        #expect(ParameterField.noRepeatNgramSize.displayValue(of: p) == "off")
        let set = try #require(ParameterField.noRepeatNgramSize.stepped(p, direction: 1, size: .fine))
        #expect(set.noRepeatNgramSize == 1)
        #expect(ParameterField.noRepeatNgramSize.reset(set).noRepeatNgramSize == nil)
    }

    @Test func valuesAreShownAsThePanelWritesThem() {
        var p = GenerationParameters()
        p.topK = 0
        p.stop = ["\n\n", "a|b"]
        #expect(ParameterField.temperature.displayValue(of: p) == "0.70")
        #expect(ParameterField.topK.displayValue(of: p) == "off")
        #expect(ParameterField.topK.editText(of: p) == "0")
        #expect(ParameterField.seed.displayValue(of: p) == "random")
        #expect(ParameterField.stop.displayValue(of: p) == #"\n\n|a\|b"#)
        #expect(ParameterField.stop.displayValue(of: GenerationParameters()) == "none")
        #expect(ParameterField.stop.editText(of: GenerationParameters()) == "")
        #expect(ParameterField.mode.displayValue(of: p) == "sample-top-p")
        #expect(ParameterField.maxLength.displayValue(of: p) == "100")
    }

    @Test func typedValuesInRangeAreTakenExactly() throws {
        let p = GenerationParameters()
        #expect(try ParameterField.temperature.parse(" 0.735 ", into: p).temperature == 0.735)
        #expect(ParameterField.temperature.displayValue(of: try ParameterField.temperature.parse("0.735", into: p)) == "0.735")
        #expect(try ParameterField.topK.parse("off", into: p).topK == 0)
        #expect(try ParameterField.topK.parse("7", into: p).topK == 7)
        #expect(try ParameterField.maxLength.parse("1024", into: p).maxLength == 1024)
        #expect(try ParameterField.mode.parse("Beam", into: p).mode == .beam)
        #expect(try ParameterField.seed.parse("9223372036854775807", into: p).seed == ParameterField.maximumSeed)
        #expect(try ParameterField.stop.parse(#" The|\n"#, into: p).stop == [" The", "\n"])
        var seeded = p
        seeded.seed = 5
        for random in ["random", "-1", ""] {
            #expect(try ParameterField.seed.parse(random, into: seeded).seed == nil)
        }
    }

    @Test func typedValuesOutsideTheRangeAreRefusedWithTheRange() {
        let p = GenerationParameters()
        let cases: [(ParameterField, String, String)] = [
            (.temperature, "0", "temperature: a number from 0.05 to 2.00"),
            (.temperature, "nan", "temperature: a number from 0.05 to 2.00"),
            (.temperature, "warm", "temperature: a number from 0.05 to 2.00"),
            (.topP, "1.5", "top_p: a number from 0.01 to 1.00"),
            (.topK, "2.5", "top_k: a whole number from 0 to 500"),
            (.numReturnSequences, "9", "num_return_sequences: a whole number from 1 to 8"),
            (.numBeams, "0", "num_beams: a whole number from 1 to 16"),
            (.repetitionPenalty, "inf", "repetition_penalty: a number from 0.50 to 2.00"),
            (.seed, "-2", "seed: random (or -1) or a whole number from 0 to 9223372036854775807"),
            (.seed, "9223372036854775808", "seed: random (or -1) or a whole number from 0 to 9223372036854775807"),
            (.mode, "top-p", "mode: one of sample-top-p, sample-top-k, sample, beam, greedy"),
            (.stop, "a||b", "stop: a stop string is empty (two | in a row, or one at an end?)"),
        ]
        for (field, text, message) in cases {
            #expect(throws: ParameterInputError(message), "\(field) \(text)") { try field.parse(text, into: p) }
        }
    }

    @Test func resetPutsEachFieldBackToItsDefault() {
        var p = GenerationParameters()
        p.mode = .sample
        p.temperature = 1.5
        p.topP = 0.5
        p.topK = 3
        p.maxLength = 7
        p.numReturnSequences = 1
        p.numBeams = 9
        p.noRepeatNgramSize = 4
        p.repetitionPenalty = 1.3
        p.seed = 11
        p.stop = ["x"]
        let reset = ParameterField.allCases.reduce(p) { $1.reset($0) }
        #expect(reset == GenerationParameters())
        #expect(ParameterField.topK.reset(p).topK == 50)
        #expect(ParameterField.topK.reset(p).temperature == 1.5)
    }

    @Test func settingHoldsSliderValuesToTheirRange() {
        let p = GenerationParameters()
        #expect(ParameterField.numReturnSequences.setting(20, in: p).numReturnSequences == 8)
        #expect(ParameterField.topK.setting(-5, in: p).topK == 0)
        #expect(ParameterField.maxLength.setting(10.4, in: p).maxLength == 10)
        #expect(ParameterField.temperature.setting(.nan, in: p).temperature == 0.05)
        #expect(ParameterField.seed.setting(3, in: p) == p)
    }

    @Test func clampingToRangesNamesTheKeysThatMoved() {
        var p = GenerationParameters()
        p.numReturnSequences = 20
        p.numBeams = 32
        p.stop = ["a", ""]
        let (clamped, adjusted) = ParameterField.clampedToRanges(p)
        #expect(adjusted == ["num_return_sequences", "num_beams", "stop"])
        #expect(clamped.numReturnSequences == 8)
        #expect(clamped.numBeams == 16)
        #expect(clamped.stop == ["a"])
        #expect(ParameterField.clampedToRanges(GenerationParameters()).adjusted.isEmpty)
    }

    @Test func everyDefaultLiesInItsSlidersRange() {
        let p = GenerationParameters()
        for field in ParameterField.allCases {
            guard let scale = field.scale, let value = field.number(in: p) else { continue }
            #expect(scale.range.contains(value), "\(field)")
        }
    }
}

@Suite struct SliderScaleTests {
    let scale = SliderScale(range: 0...10, fineStep: 1, coarseStep: 5, decimals: 0)

    @Test func trackEndsStandForTheRangeEnds() {
        #expect(scale.value(atPosition: 0, trackWidth: 11) == 0)
        #expect(scale.value(atPosition: 10, trackWidth: 11) == 10)
        #expect(scale.value(atPosition: 5, trackWidth: 11) == 5)
        #expect(scale.value(atPosition: -3, trackWidth: 11) == 0)
        #expect(scale.value(atPosition: 99, trackWidth: 11) == 10)
    }

    @Test func trackValuesSnapToTheFineStep() {
        let temperature = SliderScale(range: 0.05...2, fineStep: 0.05, coarseStep: 0.25, decimals: 2)
        for position in 0..<20 {
            let value = temperature.value(atPosition: position, trackWidth: 20)
            #expect(abs((value / 0.05).rounded() * 0.05 - value) < 1e-9)
        }
    }

    @Test func knobPositionRoundTripsThroughTheTrack() {
        for position in 0..<11 {
            #expect(scale.position(of: scale.value(atPosition: position, trackWidth: 11), trackWidth: 11) == position)
        }
        #expect(scale.position(of: 100, trackWidth: 11) == 10)
        #expect(scale.position(of: 5, trackWidth: 1) == 0)
        #expect(scale.position(of: 5, trackWidth: 0) == 0)
    }

    @Test func formatShowsMoreDecimalsOnlyWhenTheValueHasThem() {
        let two = SliderScale(range: 0...2, fineStep: 0.05, coarseStep: 0.25, decimals: 2)
        #expect(two.format(0.7) == "0.70")
        #expect(two.format(0.735) == "0.735")
        #expect(two.format(0.123456) == "0.1235")
        #expect(scale.format(3) == "3")
    }
}

@Suite struct StopStringsTextTests {
    @Test func stopStringsSurviveTheLineBothWays() throws {
        let cases: [[String]] = [
            [], ["END"], ["\n\n", " The"], ["a|b", #"back\slash"#, "tab\there"], ["日本", "👍🏽", "e\u{301}"],
            ["\u{1B}[0m", "\r\n"], ["|"], ["\\"],
        ]
        for stops in cases {
            #expect(try StopStringsText.parse(StopStringsText.format(stops)) == stops)
        }
    }

    @Test func theLineUsesBarsAndEscapes() {
        #expect(StopStringsText.format(["\n\n", "a|b", "\u{1B}"]) == #"\n\n|a\|b|\u{1B}"#)
    }

    @Test func malformedLinesAreRefusedInOneLine() throws {
        let cases: [(String, String)] = [
            ("a|", "stop: a stop string is empty (two | in a row, or one at an end?)"),
            ("|a", "stop: a stop string is empty (two | in a row, or one at an end?)"),
            (#"a\"#, #"stop: the line ends in a lone \ (write \\ for a backslash)"#),
            (#"\q"#, #"stop: unknown escape \q (use \| \\ \n \t \r or \u{hex})"#),
            (#"\u{zz}"#, #"stop: write a code point as \u{hex}, for example \u{1B}"#),
            (#"\u{41"#, #"stop: write a code point as \u{hex}, for example \u{1B}"#),
            (#"\u41"#, #"stop: write a code point as \u{hex}, for example \u{1B}"#),
            (#"\u{D800}"#, #"stop: write a code point as \u{hex}, for example \u{1B}"#),
        ]
        for (line, message) in cases {
            #expect(throws: ParameterInputError(message), "\(line)") { try StopStringsText.parse(line) }
        }
        #expect(try StopStringsText.parse(#"\u{41}"#) == ["A"])
    }
}
