import Foundation
import Testing
@testable import GPT2

/// The attention over the int8 engine's cache (keys in Q8_0 tiles, fp16 values) and the GELU
/// kernels on every path against their plain C references (and the GELU against the formula
/// evaluated in fp64). Values are drawn as fp16 values, so the bounds below see exactly what the
/// kernels read. Each call names its path, so the tests can run in parallel with anything else.
///
/// Attention tolerance: every path makes the same integer sums of the quantized query and keys;
/// they scale and add them, and sum the softmax and the values, in other orders, with a
/// polynomial exp. With k̂ and q̂ the keys and query as quantized (values times scales),
///   D  = max_t (blocks + 8) · 2⁻²³ · scale · Σ_i |q̂_i · k̂_ti|   (the dot products' bound),
///   εp = 2D + (positions + 16) · 2⁻²³                          (relative, per softmax weight),
/// each weight may differ by εp · p_t and each output by (εp + (positions + 8) · 2⁻²³) · Σ_t p_t |v_ti|.
@Suite struct AttentionKernelTests {
    // MARK: Attention

    @Test(arguments: KernelPath.allCases)
    func attentionMatchesTheReference(path: KernelPath) {
        var random = SplitMix64(seed: 31)
        var worst: Float = 0
        for headDim in [1, 17, 32, 64, 80, 128, 200] {
            for positions in [1, 2, 3, 5, 17, 64, 1024] {
                // Typical logits, and sharp ones (a few positions take almost all the weight).
                for sharpness: Float in [1, 12] {
                    let ratio = checkAttention(
                        headDim: headDim, positions: positions, sharpness: sharpness, path: path, using: &random)
                    worst = max(worst, ratio)
                }
            }
        }
        // The bound is a worst case; random data stays far below it.
        #expect(worst <= 1, "\(path): largest error is \(worst) × the bound")
    }

    @Test(arguments: KernelPath.allCases)
    func attentionToOnePositionCopiesItsValues(path: KernelPath) {
        var random = SplitMix64(seed: 32)
        for headDim in [24, 32, 64, 80, 128] {
            let q = (0..<headDim).map { _ in Float.random(in: -3...3, using: &random) }
            let keys = (0..<headDim).map { _ in Float.random(in: -3...3, using: &random) }
            let values = (0..<headDim).map { _ in Self.half(Float.random(in: -3...3, using: &random)) }
            let (scores, out) = attention(
                q: q, keys: keys, values: values, positions: 1, headDim: headDim, scale: 0.125, path: path)
            #expect(scores == [1], "\(path) head \(headDim)")
            #expect(out == values, "\(path) head \(headDim)")
        }
    }

    @Test(arguments: KernelPath.allCases)
    func equalKeysGiveEqualWeights(path: KernelPath) {
        var random = SplitMix64(seed: 33)
        let headDim = 64, positions = 17
        let q = (0..<headDim).map { _ in Float.random(in: -3...3, using: &random) }
        let key = (0..<headDim).map { _ in Float.random(in: -3...3, using: &random) }
        let keys = Array((0..<positions).map { _ in key }.joined())
        // Values are small integers: with weights 1/17 every path gets the mean within rounding.
        let values = (0..<positions * headDim).map { _ in Float(Int.random(in: -8...8, using: &random)) }
        let (scores, out) = attention(
            q: q, keys: keys, values: values, positions: positions, headDim: headDim, scale: 0.125, path: path)
        let (expectedScores, expectedOut) = attentionReference(
            q: q, keys: keys, values: values, positions: positions, headDim: headDim, scale: 0.125)
        #expect(scores == expectedScores)
        #expect(Set(scores) == [1 / Float(17)])
        for i in 0..<headDim {
            #expect(abs(out[i] - expectedOut[i]) <= 1e-5, "\(path) dimension \(i)")
        }
    }

    /// A stored key holds the bytes the reference quantizer makes of it, padded with zeros to a
    /// multiple of 32, whatever its position in its tile; a copied key is the same key.
    @Test func storedKeysAreTheReferenceQuantizationOfTheKeys() {
        var random = SplitMix64(seed: 36)
        for headDim in [1, 8, 24, 32, 64, 80] {
            let columns = Q8Kernels.keyColumns(headDim: headDim)
            #expect(columns % 32 == 0 && columns >= headDim && columns - headDim < 32)
            let positions = 37
            let keys = (0..<positions * headDim).map { _ in Float.random(in: -4...4, using: &random) }
            let stored = StoredKeys(keys, headDim: headDim)
            let copy = StoredKeys([Float](repeating: 0, count: positions * headDim), headDim: headDim)
            for t in 0..<positions {
                var padded = [Float](repeating: 0, count: columns)
                padded.replaceSubrange(0..<headDim, with: keys[t * headDim..<(t + 1) * headDim])
                var bytes = [UInt8](repeating: 0, count: Q8Kernels.rowBytes(columns: columns))
                var expected = [Float](repeating: 0, count: columns)
                Q8Kernels.quantizeRowsReference(padded, into: &bytes, rows: 1, columns: columns)
                Q8Kernels.dequantizeRow(bytes, into: &expected, columns: columns)
                #expect(stored.dequantized(t) == Array(expected[..<headDim]), "head \(headDim) position \(t)")
                Q8Kernels.copyKey(from: stored.pointer, position: t, to: copy.pointer, position: positions - 1 - t,
                                  headDim: headDim)
            }
            for t in 0..<positions {
                #expect(copy.dequantized(positions - 1 - t) == stored.dequantized(t), "head \(headDim) copy \(t)")
            }
        }
    }

    /// The cache's fp32 → fp16 conversion: the same bits as the scalar rounding on every path,
    /// ties to even, overflow to infinity, subnormals, NaN kept NaN.
    @Test(arguments: KernelPath.allCases)
    func rowConversionToHalvesRoundsLikeTheScalarOne(path: KernelPath) {
        var random = SplitMix64(seed: 34)
        var x = (0..<1000).map { _ in Float.random(in: -70_000...70_000, using: &random) / Float(1 << Int.random(in: 0...30, using: &random)) }
        x += [0, -0, 65504, 65520, -65520, 0x1p-24, 0x1p-25, 0x1.8p-24, .infinity, -.infinity, .nan, 1 + 0x1p-11, 1 + 0x1.8p-11]
        for count in [0, 1, 7, 8, 9, x.count] {
            var found = [UInt16](repeating: 0xAAAA, count: count)
            x.withUnsafeBufferPointer { Q8Kernels.halfBits($0.baseAddress!, into: &found, count: count, path: path) }
            let expected = x[..<count].map(Q8Kernels.halfBits)
            #expect(found == expected, "\(path) count \(count)")
        }
    }

    @Test(arguments: KernelPath.allCases)
    func attentionOverNoPositionsGivesZeros(path: KernelPath) {
        let (scores, out) = attention(
            q: [Float](repeating: 1, count: 64), keys: [], values: [], positions: 0, headDim: 64, scale: 1, path: path)
        #expect(scores.isEmpty)
        #expect(out == [Float](repeating: 0, count: 64))
    }

    // MARK: GELU

    @Test(arguments: KernelPath.allCases)
    func geluMatchesTheReference(path: KernelPath) {
        var random = SplitMix64(seed: 34)
        // Magnitudes from 1e-6 to 1e3, both signs; the reference loses up to ~|x| · 2⁻²⁴ to the
        // cancellation of 1 + tanh for negative x, so the tolerance is relative to |x|.
        var x = (0..<100_003).map { _ in Float.random(in: -1...1, using: &random) }
        for i in x.indices { x[i] *= powf(10, Float(Int.random(in: -6...3, using: &random))) }
        var fast = x
        var reference = x
        Q8Kernels.gelu(&fast, count: fast.count, path: path)
        Q8Kernels.geluReference(&reference, count: reference.count)
        var failures = 0
        for i in x.indices where !(abs(fast[i] - reference[i]) <= 0x1p-20 * abs(x[i]) + 0x1p-126) {
            failures += 1
        }
        #expect(failures == 0, "\(path): \(failures) values off the reference")
    }

    /// Within 4 ulp of the formula evaluated in fp64 (written as x / (1 + e^(−2u)), which is the
    /// same function without the cancellation) over a dense sweep of [−10, 10]; the measured
    /// worst case over every float in that range is 2.85 ulp.
    @Test(arguments: KernelPath.allCases)
    func geluIsWithinAFewUlpOfTheFormulaInDoublePrecision(path: KernelPath) {
        let count = 2_000_001
        var x = (0..<count).map { Float(-10 + 20 * Double($0) / Double(count - 1)) }
        // And around zero, where the values are tiny.
        x += (0..<2000).map { Float($0 - 1000) * 1e-6 }
        var y = x
        Q8Kernels.gelu(&y, count: y.count, path: path)
        var worst = 0.0
        var worstAt: Float = 0
        for i in x.indices {
            let ulps = Self.ulps(y[i], from: Self.geluInDouble(x[i]))
            if ulps > worst { (worst, worstAt) = (ulps, x[i]) }
        }
        #expect(worst <= 4, "\(path): \(worst) ulp at \(worstAt)")
    }

    @Test(arguments: KernelPath.allCases)
    func geluOfSpecialValues(path: KernelPath) {
        let x: [Float] = [.infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, -0.0,
                          1e-30, -1e-30, 20, -20, 1e20, -1e20]
        var y = x
        Q8Kernels.gelu(&y, count: y.count, path: path)
        #expect(y[0] == .infinity)
        #expect(y[1] == 0 && y[1].sign == .minus, "the limit at −∞")
        #expect(y[2].isNaN)
        #expect(y[3] == .greatestFiniteMagnitude)
        #expect(y[4] == 0)
        #expect(y[5] == 0 && y[6] == 0)
        #expect(y[7] == 5e-31 && y[8] == -5e-31)
        #expect(y[9] == 20 && y[10] == 0)
        #expect(y[11] == 1e20 && y[12] == 0)
    }

    /// Every length: the vector loop and its masked tail give the same values, and nothing past
    /// `count` is written.
    @Test(arguments: KernelPath.allCases)
    func geluOfEveryLengthTouchesOnlyItsValues(path: KernelPath) {
        var random = SplitMix64(seed: 35)
        let x = (0..<40).map { _ in Float.random(in: -6...6, using: &random) }
        var whole = x
        Q8Kernels.gelu(&whole, count: x.count, path: path)
        for count in 0...33 {
            var y = x
            Q8Kernels.gelu(&y, count: count, path: path)
            #expect(Array(y[0..<count]) == Array(whole[0..<count]), "\(path) count \(count)")
            #expect(Array(y[count...]) == Array(x[count...]), "\(path) count \(count)")
        }
    }

    // MARK: Helpers

    private static func geluInDouble(_ x: Float) -> Double {
        let v = Double(x)
        let u = (2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)
        return v / (1 + exp(-2 * u))
    }

    /// |found − expected| in units in the last place of `expected` as a Float.
    private static func ulps(_ found: Float, from expected: Double) -> Double {
        let magnitude = Float(abs(expected))
        let ulp = magnitude == 0 ? Double(Float.leastNonzeroMagnitude) : Double(magnitude.ulp)
        return abs(Double(found) - expected) / ulp
    }

    /// `value` rounded to fp16 and back.
    static func half(_ value: Float) -> Float { Q8Kernels.float(fromHalfBits: Q8Kernels.halfBits(value)) }

    private func attention(
        q: [Float], keys: [Float], values: [Float], positions: Int, headDim: Int, scale: Float, path: KernelPath?
    ) -> (scores: [Float], out: [Float]) {
        attentionOfOneRow(q: q, keys: keys, values: values, headDim: headDim, scale: scale, path: path)
    }

    private func attentionReference(
        q: [Float], keys: [Float], values: [Float], positions: Int, headDim: Int, scale: Float
    ) -> (scores: [Float], out: [Float]) {
        attention(q: q, keys: keys, values: values, positions: positions, headDim: headDim, scale: scale, path: nil)
    }

    /// `x` as the kernels quantize a query: padded to whole blocks, Q8_0, values times scales.
    private static func quantized(_ x: [Float]) -> [Float] {
        let columns = Q8Kernels.keyColumns(headDim: x.count)
        var padded = x + [Float](repeating: 0, count: columns - x.count)
        var bytes = [UInt8](repeating: 0, count: Q8Kernels.rowBytes(columns: columns))
        Q8Kernels.quantizeRowsReference(&padded, into: &bytes, rows: 1, columns: columns)
        Q8Kernels.dequantizeRow(bytes, into: &padded, columns: columns)
        return Array(padded[..<x.count])
    }

    /// One random attention (keys and values exactly as long as the positions need) against the
    /// reference; returns the largest error as a fraction of the tolerance.
    private func checkAttention(
        headDim: Int, positions: Int, sharpness: Float, path: KernelPath, using random: inout SplitMix64
    ) -> Float {
        let q = (0..<headDim).map { _ in Float.random(in: -1...1, using: &random) * sharpness }
        let keys = (0..<positions * headDim).map { _ in Float.random(in: -2...2, using: &random) }
        let values = (0..<positions * headDim).map { _ in Self.half(Float.random(in: -2...2, using: &random)) }
        let scale = 1 / Float(headDim).squareRoot()
        let (scores, out) = attention(
            q: q, keys: keys, values: values, positions: positions, headDim: headDim, scale: scale, path: path)
        let (expectedScores, expectedOut) = attentionReference(
            q: q, keys: keys, values: values, positions: positions, headDim: headDim, scale: scale)
        let unit: Float = 0x1p-23
        let stored = StoredKeys(keys, headDim: headDim)
        let qHat = Self.quantized(q)
        let blocks = Q8Kernels.keyColumns(headDim: headDim) / 32
        var dotBound: Float = 0
        for t in 0..<positions {
            let kHat = stored.dequantized(t)
            var magnitude: Float = 0
            for i in 0..<headDim { magnitude += abs(qHat[i] * kHat[i]) }
            dotBound = max(dotBound, Float(blocks + 8) * unit * scale * magnitude)
        }
        let weightError = 2 * dotBound + Float(positions + 16) * unit
        var worst: Float = 0
        var failures = 0
        for t in 0..<positions {
            let tolerance = weightError * expectedScores[t] + 0x1p-126
            let error = abs(scores[t] - expectedScores[t])
            if !(error <= tolerance) { failures += 1 }
            worst = max(worst, error / tolerance)
        }
        for i in 0..<headDim {
            var magnitude: Float = 0
            for t in 0..<positions { magnitude += expectedScores[t] * abs(values[t * headDim + i]) }
            let tolerance = (weightError + Float(positions + 8) * unit) * magnitude + 0x1p-126
            let error = abs(out[i] - expectedOut[i])
            if !(error <= tolerance) { failures += 1 }
            worst = max(worst, error / tolerance)
        }
        #expect(failures == 0, "\(path) head \(headDim) positions \(positions) sharpness \(sharpness): \(failures) wrong")
        return worst
    }
}
