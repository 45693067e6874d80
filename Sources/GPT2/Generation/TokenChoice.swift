import Foundation

/// Picking the next token from processed scores.
public enum TokenChoice {
    /// The id with the highest score; the lowest id among equal scores (as `argmax` does).
    public static func argmax(_ scores: [Float]) -> Int {
        scores.withUnsafeBufferPointer { scores in
            guard let base = scores.baseAddress else { return 0 }
            return Q8Kernels.argmax(base, count: scores.count)
        }
    }

    /// Softmax of scores; −∞ scores get probability 0.
    public static func probabilities(_ scores: [Float]) -> [Float] {
        var p = scores
        p.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { VectorOperations.softmax(base, count: buffer.count) }
        }
        return p
    }

    /// Draws an id from the distribution `softmax(scores)` by inverting its cumulative sum in id
    /// order with one uniform number from `random`.
    public static func sample(_ scores: [Float], using random: inout RandomSource) -> Int {
        let p = probabilities(scores)
        var total: Double = 0
        for v in p { total += Double(v) }
        let target = random.nextUnitInterval() * total
        var cumulative: Double = 0
        var last = 0
        for (i, v) in p.enumerated() where v > 0 {
            cumulative += Double(v)
            last = i
            if cumulative > target { return i }
        }
        return last
    }

    /// log_softmax of the raw logits, at every id.
    public static func logSoftmax(_ logits: [Float]) -> [Float] {
        var maximum = -Float.infinity
        for v in logits where v > maximum { maximum = v }
        var sum: Double = 0
        for v in logits { sum += Double(expf(v - maximum)) }
        let logSum = Float(log(sum))
        return logits.map { $0 - maximum - logSum }
    }
}
