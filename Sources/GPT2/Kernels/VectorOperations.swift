import Foundation

/// The element-wise steps of the forward pass, on fp32 rows.
enum VectorOperations {
    /// Layer norm of each of `rows` rows of width `width`, in place into `output`:
    /// `(x − mean) / sqrt(var + eps) · weight + bias`, with the biased variance as PyTorch uses.
    static func layerNorm(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float
    ) {
        for r in 0..<rows {
            let x = input + r * width
            let y = output + r * width
            let mean = doubleSum(x, count: width) { $0 } / Double(width)
            let squares = doubleSum(x, count: width) { ($0 - mean) * ($0 - mean) }
            let inverseDeviation = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
            let m = Float(mean)
            let s = Float(inverseDeviation)
            for i in 0..<width { y[i] = (x[i] - m) * s * weight[i] + bias[i] }
        }
    }

    /// Σ term(Double(x[i])) in fp64 over eight partial sums: one chain of dependent additions
    /// would wait out the adder's latency at every element.
    @inline(__always)
    private static func doubleSum(_ x: UnsafePointer<Float>, count: Int, _ term: (Double) -> Double) -> Double {
        var partial = SIMD8<Double>()
        var i = 0
        while i + 8 <= count {
            partial += SIMD8<Double>(term(Double(x[i])), term(Double(x[i + 1])), term(Double(x[i + 2])),
                                     term(Double(x[i + 3])), term(Double(x[i + 4])), term(Double(x[i + 5])),
                                     term(Double(x[i + 6])), term(Double(x[i + 7])))
            i += 8
        }
        var sum = partial.sum()
        while i < count {
            sum += term(Double(x[i]))
            i += 1
        }
        return sum
    }

    /// GPT-2's GELU, the tanh approximation (transformers' "gelu_new"), in place.
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let c = Float((2.0 / Double.pi).squareRoot())
        for i in 0..<count {
            let x = values[i]
            values[i] = 0.5 * x * (1 + tanhf(c * (x + 0.044715 * x * x * x)))
        }
    }

    /// Adds `bias` (width) to each of `rows` rows.
    static func addBias(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = values + r * width
            for i in 0..<width { row[i] += bias[i] }
        }
    }

    /// `accumulator += values`, element-wise.
    static func add(_ values: UnsafePointer<Float>, to accumulator: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { accumulator[i] += values[i] }
    }

    /// Softmax of `count` values in place, subtracting the maximum first.
    static func softmax(_ values: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var maximum = -Float.infinity
        for i in 0..<count where values[i] > maximum { maximum = values[i] }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(values[i] - maximum)
            values[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<count { values[i] *= inverse }
    }

    /// Dot product of two fp32 vectors.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for i in 0..<count { sum += a[i] * b[i] }
        return sum
    }
}
