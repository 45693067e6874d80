import Foundation
import GPT2

/// One control of the parameter panel, in the order the panel shows them: what it is called,
/// the numbers it moves over, in which modes it applies, and how it reads and writes its value
/// on `GenerationParameters`. Every write keeps the value inside the panel's range.
public enum ParameterField: String, CaseIterable, Sendable {
    case mode
    case temperature
    case topP
    case topK
    case maxLength
    case numReturnSequences
    case numBeams
    case noRepeatNgramSize
    case repetitionPenalty
    case seed
    case stop

    /// The name shown where there is room.
    public var label: String {
        switch self {
        case .mode: return "Mode"
        case .temperature: return "Temperature"
        case .topP: return "Top-p"
        case .topK: return "Top-k"
        case .maxLength: return "Max length"
        case .numReturnSequences: return "Sequences"
        case .numBeams: return "Beams"
        case .noRepeatNgramSize: return "No-repeat n-gram"
        case .repetitionPenalty: return "Repetition penalty"
        case .seed: return "Seed"
        case .stop: return "Stop strings"
        }
    }

    /// The name shown when each field has one line of a narrow cell.
    public var shortLabel: String {
        switch self {
        case .mode: return "Mode"
        case .temperature: return "Temp"
        case .topP: return "Top-p"
        case .topK: return "Top-k"
        case .maxLength: return "Length"
        case .numReturnSequences: return "Seqs"
        case .numBeams: return "Beams"
        case .noRepeatNgramSize: return "No-rep"
        case .repetitionPenalty: return "Rep-pen"
        case .seed: return "Seed"
        case .stop: return "Stop"
        }
    }

    /// The key of the request JSON (and of preset files) that holds the value.
    public var requestKey: String {
        switch self {
        case .mode: return "mode"
        case .temperature: return "temperature"
        case .topP: return "top_p"
        case .topK: return "top_k"
        case .maxLength: return "max_length"
        case .numReturnSequences: return "num_return_sequences"
        case .numBeams: return "num_beams"
        case .noRepeatNgramSize: return "no_repeat_ngram_size"
        case .repetitionPenalty: return "repetition_penalty"
        case .seed: return "seed"
        case .stop: return "stop"
        }
    }

    /// The slider of a numeric field; nil for the mode, the seed and the stop strings, which
    /// have no track. The playground shows at most 8 columns, and its beam width stops at 16
    /// (always enough to cover the sequences).
    public var scale: SliderScale? {
        switch self {
        case .temperature: return SliderScale(range: 0.05...2, fineStep: 0.05, coarseStep: 0.25, decimals: 2)
        case .topP: return SliderScale(range: 0.01...1, fineStep: 0.01, coarseStep: 0.1, decimals: 2)
        case .topK: return SliderScale(range: 0...500, fineStep: 1, coarseStep: 10, decimals: 0)
        case .maxLength: return SliderScale(range: 1...1024, fineStep: 1, coarseStep: 25, decimals: 0)
        case .numReturnSequences: return SliderScale(range: 1...8, fineStep: 1, coarseStep: 2, decimals: 0)
        case .numBeams: return SliderScale(range: 1...16, fineStep: 1, coarseStep: 4, decimals: 0)
        case .noRepeatNgramSize: return SliderScale(range: 0...10, fineStep: 1, coarseStep: 2, decimals: 0)
        case .repetitionPenalty: return SliderScale(range: 0.5...2, fineStep: 0.05, coarseStep: 0.25, decimals: 2)
        case .mode, .seed, .stop: return nil
        }
    }

    /// The largest seed: what the engine draws at random and what `--seed` takes.
    public static let maximumSeed = UInt64(Int64.max)
    static let seedFineStep: UInt64 = 1
    static let seedCoarseStep: UInt64 = 100

    /// Whether the field changes anything in `mode`. The others are shown dimmed and skipped
    /// by the focus, and "copy as request" leaves them out.
    public func applies(in mode: DecodingMode) -> Bool {
        switch self {
        case .temperature, .seed: return mode.isSampling
        case .topP: return mode == .sampleTopP || mode == .sample
        case .topK: return mode == .sampleTopK || mode == .sample
        case .numBeams: return mode == .beam
        case .mode, .maxLength, .numReturnSequences, .noRepeatNgramSize, .repetitionPenalty, .stop: return true
        }
    }

    /// Why the field is dimmed in `mode`, as one line.
    public func notApplicableReason(in mode: DecodingMode) -> String {
        let modes = DecodingMode.allCases.filter { applies(in: $0) }.map(\.rawValue)
        return "\(requestKey) does not apply in \(mode.rawValue) mode (only in \(modes.joined(separator: ", ")))"
    }

    /// `p` with every value held to the panel's ranges (empty stop strings dropped), and the
    /// request keys of the values that had to change.
    public static func clampedToRanges(_ p: GenerationParameters) -> (parameters: GenerationParameters, adjusted: [String]) {
        var clamped = p
        var adjusted: [String] = []
        for field in allCases {
            guard let scale = field.scale, let value = field.number(in: p) else { continue }
            // An unset n-gram size stays unset: it follows the mode.
            if field == .noRepeatNgramSize, p.noRepeatNgramSize == nil { continue }
            if scale.clamped(value) != value {
                clamped = field.setting(value, in: clamped)
                adjusted.append(field.requestKey)
            }
        }
        if let seed = p.seed, seed > maximumSeed {
            clamped.seed = maximumSeed
            adjusted.append(ParameterField.seed.requestKey)
        }
        if clamped.stop.contains(where: \.isEmpty) {
            clamped.stop.removeAll(where: \.isEmpty)
            adjusted.append(ParameterField.stop.requestKey)
        }
        return (clamped, adjusted)
    }

    /// The slider's value; nil for fields without a slider. `no_repeat_ngram_size` reads as
    /// the value in effect (the mode's default when unset).
    public func number(in p: GenerationParameters) -> Double? {
        switch self {
        case .temperature: return p.temperature
        case .topP: return p.topP
        case .topK: return Double(p.topK)
        case .maxLength: return Double(p.maxLength)
        case .numReturnSequences: return Double(p.numReturnSequences)
        case .numBeams: return Double(p.numBeams)
        case .noRepeatNgramSize: return Double(p.effectiveNoRepeatNgramSize)
        case .repetitionPenalty: return p.repetitionPenalty
        case .mode, .seed, .stop: return nil
        }
    }

    /// `p` with the slider set to `value`, kept in range; unchanged for fields without a slider.
    public func setting(_ value: Double, in p: GenerationParameters) -> GenerationParameters {
        guard let scale else { return p }
        let v = scale.clamped(value)
        var p = p
        switch self {
        case .temperature: p.temperature = v
        case .topP: p.topP = v
        case .topK: p.topK = Int(v)
        case .maxLength: p.maxLength = Int(v)
        case .numReturnSequences: p.numReturnSequences = Int(v)
        case .numBeams: p.numBeams = Int(v)
        case .noRepeatNgramSize: p.noRepeatNgramSize = Int(v)
        case .repetitionPenalty: p.repetitionPenalty = v
        case .mode, .seed, .stop: break
        }
        return p
    }

    /// The value as the panel shows it: "0.70", "off" for a top-k or n-gram size of 0,
    /// "random" for no seed, the stop strings as `StopStringsText` writes them ("none" when
    /// there are none).
    public func displayValue(of p: GenerationParameters) -> String {
        switch self {
        case .mode: return p.mode.rawValue
        case .seed: return p.seed.map(String.init) ?? "random"
        case .stop: return p.stop.isEmpty ? "none" : StopStringsText.format(p.stop)
        case .topK, .noRepeatNgramSize:
            let n = number(in: p) ?? 0
            return n == 0 ? "off" : scale?.format(n) ?? ""
        default:
            guard let scale, let n = number(in: p) else { return "" }
            return scale.format(n)
        }
    }

    /// The text a "type an exact value" entry starts from.
    public func editText(of p: GenerationParameters) -> String {
        switch self {
        case .stop: return StopStringsText.format(p.stop)
        case .topK, .noRepeatNgramSize:
            return scale.map { $0.format(number(in: p) ?? 0) } ?? ""
        default: return displayValue(of: p)
        }
    }

    /// `p` with the field reset to the product's default.
    public func reset(_ p: GenerationParameters) -> GenerationParameters {
        let defaults = GenerationParameters()
        var p = p
        switch self {
        case .mode: p.mode = defaults.mode
        case .temperature: p.temperature = defaults.temperature
        case .topP: p.topP = defaults.topP
        case .topK: p.topK = defaults.topK
        case .maxLength: p.maxLength = defaults.maxLength
        case .numReturnSequences: p.numReturnSequences = defaults.numReturnSequences
        case .numBeams: p.numBeams = defaults.numBeams
        case .noRepeatNgramSize: p.noRepeatNgramSize = defaults.noRepeatNgramSize
        case .repetitionPenalty: p.repetitionPenalty = defaults.repetitionPenalty
        case .seed: p.seed = defaults.seed
        case .stop: p.stop = defaults.stop
        }
        return p
    }

    /// `p` moved one fine or coarse step up (`direction` 1) or down (-1): the mode cycles
    /// through the modes, the seed goes from "random" up to 0 and from 0 down to "random".
    /// Nil for the stop strings, which are only typed.
    public func stepped(_ p: GenerationParameters, direction: Int, size: StepSize) -> GenerationParameters? {
        var p = p
        switch self {
        case .stop:
            return nil
        case .mode:
            let modes = DecodingMode.allCases
            let index = modes.firstIndex(of: p.mode) ?? 0
            p.mode = modes[(index + (direction > 0 ? 1 : modes.count - 1)) % modes.count]
            return p
        case .seed:
            let step = size == .fine ? Self.seedFineStep : Self.seedCoarseStep
            switch (p.seed, direction > 0) {
            case (nil, true): p.seed = 0
            case (nil, false): break
            case (0?, false): p.seed = nil
            case (let seed?, true): p.seed = seed > Self.maximumSeed - step ? Self.maximumSeed : seed + step
            case (let seed?, false): p.seed = seed > step ? seed - step : 0
            }
            return p
        default:
            guard let scale, let value = number(in: p) else { return nil }
            let step = size == .fine ? scale.fineStep : scale.coarseStep
            return setting(scale.stepped(value, direction: direction, step: step), in: p)
        }
    }

    /// `p` with the field set from typed text, or why the text was refused.
    /// Numbers must lie in the slider's range ("off" is 0 for top-k and the n-gram size); the
    /// seed takes "random", -1 or a whole number; the mode takes its name; the stop strings
    /// take `StopStringsText`'s line.
    public func parse(_ typed: String, into p: GenerationParameters) throws(ParameterInputError) -> GenerationParameters {
        let text = self == .stop ? typed : typed.trimmingCharacters(in: .whitespaces)
        var p = p
        switch self {
        case .mode:
            guard let mode = DecodingMode(rawValue: text.lowercased()) else {
                throw ParameterInputError("mode: one of \(DecodingMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            p.mode = mode
        case .seed:
            if ["random", "-1", ""].contains(text.lowercased()) {
                p.seed = nil
            } else if let seed = UInt64(text), seed <= Self.maximumSeed {
                p.seed = seed
            } else {
                throw ParameterInputError("seed: random (or -1) or a whole number from 0 to \(Self.maximumSeed)")
            }
        case .stop:
            p.stop = try StopStringsText.parse(text)
        default:
            guard let scale else { return p }
            let value = (self == .topK || self == .noRepeatNgramSize) && text.lowercased() == "off" ? 0 : Double(text)
            let lower = scale.format(scale.range.lowerBound), upper = scale.format(scale.range.upperBound)
            let kind = scale.isWholeNumbers ? "a whole number" : "a number"
            guard let value, value.isFinite, scale.range.contains(value), !scale.isWholeNumbers || value.rounded() == value else {
                throw ParameterInputError("\(requestKey): \(kind) from \(lower) to \(upper)")
            }
            p = setting(value, in: p)
        }
        return p
    }
}

/// How far one press of a step key moves a slider.
public enum StepSize: Sendable, Equatable {
    case fine
    case coarse
}
