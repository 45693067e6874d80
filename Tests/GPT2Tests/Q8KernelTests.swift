import Foundation
import Testing
@testable import GPT2

/// The C kernels on every path against their plain C references. Each call names its path, so
/// nothing here changes the process-wide choice and the tests can run in parallel.
///
/// Tolerance of the matrix product: the paths sum in different orders (fp32 lanes, chunks of
/// blocks, FMA), so each result may differ from the reference by two worst-case recursive
/// summation errors, |Δ| ≤ (blocks + 8) · 2⁻²³ · (|bias| + Σ |d_w · d_x · w_i · x_i|).
/// When every product and partial sum is exact in fp32 (small integers, power-of-two scales),
/// all paths must give exactly the reference's bits. Quantization must give the same bytes.
@Suite struct Q8KernelTests {
    // MARK: Quantization

    @Test(arguments: KernelPath.allCases)
    func quantizationMatchesTheReferenceByteForByte(path: KernelPath) {
        var random = SplitMix64(seed: 11)
        for columns in [32, 96, 768, 3072] {
            for rows in [1, 3] {
                // Magnitudes from 1e-4 to 1e3, and an outlier now and then.
                var x = (0..<rows * columns).map { _ in Float.random(in: -1...1, using: &random) }
                for i in x.indices {
                    let exponent = Float(Int.random(in: -4...3, using: &random))
                    x[i] *= powf(10, exponent)
                    if Int.random(in: 0..<100, using: &random) == 0 { x[i] *= 1000 }
                }
                #expect(quantize(x, rows: rows, columns: columns, path: path) == quantizeReference(x, rows: rows, columns: columns),
                        "\(path) rows \(rows) columns \(columns)")
            }
        }
    }

    @Test(arguments: KernelPath.allCases)
    func quantizationOfSpecialBlocks(path: KernelPath) {
        // d = 127 / 127 = 1 exactly, so the values are the rounding inputs: halves go away from zero.
        var ties = [Float](repeating: 0, count: 32)
        ties.replaceSubrange(0..<10, with: [127, 2.5, -2.5, 0.5, -0.5, 1.4999999, 126.5, -126.5, -127, 63.5])
        let tiesBlock = quantize(ties, rows: 1, columns: 32, path: path)
        #expect(Array(tiesBlock[0..<2]) == [0x00, 0x3C])
        #expect(tiesBlock[2..<12].map { Int8(bitPattern: $0) } == [127, 3, -3, 1, -1, 1, 127, -127, -127, 64])

        // A block of zeros has d = 0 and q = 0 (also when it sits between other blocks).
        var zeros = [Float](repeating: 0, count: 96)
        for i in 0..<32 { zeros[i] = Float(i) - 15.5 }
        for i in 64..<96 { zeros[i] = -Float(i) }
        let zeroBlock = quantize(zeros, rows: 1, columns: 96, path: path)
        #expect(zeroBlock[34..<68].allSatisfy { $0 == 0 })

        // ±max map to ±127; tiny, subnormal-scale and overflowing blocks follow the reference.
        let cases: [[Float]] = [
            (0..<32).map { $0 % 2 == 0 ? 3.75 : -3.75 },
            (0..<32).map { Float($0) * 1e-10 },               // d underflows fp16 to 0
            (0..<32).map { $0 == 0 ? 127 * 0x1p-20 : Float($0 - 16) * 0x1p-20 }, // d = 2⁻²⁰, an fp16 subnormal
            (0..<32).map { Float($0) * 1e6 },                // d overflows fp16 to infinity
            (0..<32).map { $0 == 7 ? -1e-30 : 0 },           // a lone tiny negative value
        ]
        for values in cases {
            #expect(quantize(values, rows: 1, columns: 32, path: path) == quantizeReference(values, rows: 1, columns: 32))
        }
        let extremes = quantize(cases[0], rows: 1, columns: 32, path: path)
        #expect(extremes[2..<34].map { Int8(bitPattern: $0) } == (0..<32).map { $0 % 2 == 0 ? 127 : -127 })
        let subnormal = quantize(cases[2], rows: 1, columns: 32, path: path)
        #expect(UInt16(subnormal[0]) | UInt16(subnormal[1]) << 8 == 0x0010, "d = 16 × 2⁻²⁴")
        let overflow = quantize(cases[3], rows: 1, columns: 32, path: path)
        #expect(UInt16(overflow[0]) | UInt16(overflow[1]) << 8 == 0x7C00, "d = +infinity")
    }

    @Test func dequantizationInvertsQuantizationWithinHalfAStep() {
        var random = SplitMix64(seed: 12)
        let columns = 768
        let x = (0..<columns).map { _ in Float.random(in: -4...4, using: &random) }
        let q = quantize(x, rows: 1, columns: columns, path: .automatic)
        var back = [Float](repeating: .nan, count: columns)
        q.withUnsafeBytes { bytes in
            back.withUnsafeMutableBufferPointer { Q8Kernels.dequantizeRow(bytes.baseAddress!, into: $0.baseAddress!, columns: columns) }
        }
        for b in 0..<columns / 32 {
            let block = x[b * 32..<(b + 1) * 32]
            let amax = block.map(abs).max() ?? 0
            let d = amax / 127
            for i in block.indices {
                // Half a step, plus what storing d in fp16 moves the largest values by.
                #expect(abs(back[i] - x[i]) <= d * 0.57, "block \(b) value \(i)")
                let stored = Q8Kernels.float(fromHalfBits: UInt16(q[b * 34]) | UInt16(q[b * 34 + 1]) << 8)
                #expect(back[i] == stored * Float(Int8(bitPattern: q[b * 34 + 2 + i - b * 32])))
            }
        }
    }

    @Test func halfPrecisionConversionsAreExactAndRoundToNearestEven() {
        var wrongWidening = 0, wrongRoundTrip = 0
        for bits in 0...UInt16.max {
            let value = Q8Kernels.float(fromHalfBits: bits)
            if value.bitPattern != HalfPrecision.float(fromHalfBits: bits).bitPattern { wrongWidening += 1 }
            if !value.isNaN && Q8Kernels.halfBits(value) != bits { wrongRoundTrip += 1 }
        }
        #expect(wrongWidening == 0 && wrongRoundTrip == 0)
        // Midpoints between neighbouring halves round to the even one; just above rounds up.
        let one: UInt16 = 0x3C00
        let midpoint = (Q8Kernels.float(fromHalfBits: one) + Q8Kernels.float(fromHalfBits: one + 1)) / 2
        #expect(Q8Kernels.halfBits(midpoint) == one)
        #expect(Q8Kernels.halfBits(midpoint.nextUp) == one + 1)
        let oddMidpoint = (Q8Kernels.float(fromHalfBits: one + 1) + Q8Kernels.float(fromHalfBits: one + 2)) / 2
        #expect(Q8Kernels.halfBits(oddMidpoint) == one + 2)
        #expect(Q8Kernels.halfBits(65504) == 0x7BFF)
        #expect(Q8Kernels.halfBits(Float(65519.99)) == 0x7BFF)
        #expect(Q8Kernels.halfBits(65520) == 0x7C00)
        #expect(Q8Kernels.halfBits(0x1p-25) == 0x0000, "a tie between 0 and the smallest subnormal")
        #expect(Q8Kernels.halfBits(Float(0x1p-25).nextUp) == 0x0001)
        #expect(Q8Kernels.halfBits(-0x1.8p-24) == 0x8002, "1.5 units rounds to 2")
        #expect(Q8Kernels.halfBits(.infinity) == 0x7C00)
        #expect(Q8Kernels.float(fromHalfBits: Q8Kernels.halfBits(.nan)).isNaN)
    }

    // MARK: Matrix product

    @Test(arguments: KernelPath.allCases)
    func productMatchesTheReferenceOnRandomData(path: KernelPath) {
        var random = SplitMix64(seed: 13)
        var worst: Float = 0
        for columns in [32, 64, 96, 768, 3072] {
            let outputs = 53
            let weights = randomWeights(outputs: outputs, columns: columns, using: &random)
            let weightMagnitudes = magnitudes(weights)
            let bias = (0..<outputs).map { _ in Float.random(in: -2...2, using: &random) }
            for rows in [1, 2, 3, 4, 5, 6, 7, 8, 13, 128] {
                let activations = randomActivations(rows: rows, columns: columns, using: &random)
                let absolute = (weightMagnitudes, magnitudes(activations))
                // Ranges that are not multiples of any tile, a single output, and everything.
                for (range, withBias) in [(3..<50, true), (17..<18, false), (0..<53, false)] {
                    let ratio = checkProduct(
                        weights: weights, activations: activations, bias: withBias ? bias : nil, rows: rows,
                        columns: columns, outputs: outputs, range: range, path: path, magnitudes: absolute)
                    worst = max(worst, ratio)
                }
            }
        }
        // The bound is a worst case; random data stays far below it.
        #expect(worst <= 1, "\(path): largest error is \(worst) × the bound")
    }

    /// Long rows and many activation rows: the kernels then work in chunks of blocks and of
    /// rows (their scratch space is bounded), and the chunks must add up like one pass.
    @Test(arguments: KernelPath.allCases)
    func productOfLongRowsMatchesTheReference(path: KernelPath) {
        var random = SplitMix64(seed: 18)
        let columns = 16_416 // 513 blocks
        let outputs = 20
        let weights = randomWeights(outputs: outputs, columns: columns, using: &random)
        let bias = (0..<outputs).map { _ in Float.random(in: -2...2, using: &random) }
        let activations = randomWeights(outputs: 130, columns: columns, using: &random)
        let absolute = (magnitudes(weights), magnitudes(activations))
        for rows in [1, 2, 3, 130] {
            let ratio = checkProduct(
                weights: weights, activations: activations, bias: bias, rows: rows, columns: columns, outputs: outputs,
                range: 1..<19, path: path, magnitudes: absolute)
            #expect(ratio <= 1)
        }
    }

    @Test(arguments: KernelPath.allCases)
    func productIsExactWhenEveryProductIsExact(path: KernelPath) {
        var random = SplitMix64(seed: 14)
        // Scale 1, weights over the whole int8 range (−128 included), activations ±127 at most,
        // 768 columns: every sum stays below 2^24. Then power-of-two scales with small values.
        let configurations: [(columns: Int, weights: ClosedRange<Int8>, activations: ClosedRange<Int8>, scales: [Float])] = [
            (768, -128...127, -127...127, [1]),
            (3072, -8...8, -8...8, [0.25, 0.5, 1, 2]),
        ]
        for configuration in configurations {
            let outputs = 37
            let columns = configuration.columns
            let weights = exactBlocks(
                rows: outputs, columns: columns, values: configuration.weights, scales: configuration.scales, using: &random)
            let bias = (0..<outputs).map { _ in Float(Int.random(in: -100...100, using: &random)) }
            for rows in [1, 2, 3, 4, 5, 7, 8, 128] {
                let activations = exactBlocks(
                    rows: rows, columns: columns, values: configuration.activations, scales: configuration.scales, using: &random)
                let expected = product(weights, activations, bias: bias, rows: rows, columns: columns, yStride: outputs, range: 1..<36, path: nil)
                let found = product(weights, activations, bias: bias, rows: rows, columns: columns, yStride: outputs, range: 1..<36, path: path)
                #expect(found.map(\.bitPattern) == expected.map(\.bitPattern), "\(path) columns \(columns) rows \(rows)")
            }
        }
        // The extremes: all weights −128 or 127 against activations all ±127.
        let columns = 768
        for (w, x) in [(Int8(-128), Int8(127)), (-128, -127), (127, 127), (127, -127)] {
            let weights = constantBlocks(rows: 20, columns: columns, value: w)
            let activations = constantBlocks(rows: 3, columns: columns, value: x)
            let expected = Float(Int(w) * Int(x) * columns)
            let found = product(weights, activations, bias: nil, rows: 3, columns: columns, yStride: 20, range: 0..<20, path: path)
            #expect(found.allSatisfy { $0 == expected }, "\(path): \(w) × \(x)")
        }
    }

    @Test(arguments: KernelPath.allCases)
    func zeroActivationsGiveTheBias(path: KernelPath) {
        var random = SplitMix64(seed: 15)
        let columns = 96
        let weights = randomWeights(outputs: 40, columns: columns, using: &random)
        let bias = (0..<40).map { _ in Float.random(in: -1...1, using: &random) }
        for rows in [1, 4, 9] {
            let x = [Float](repeating: 0, count: rows * columns)
            let activations = quantize(x, rows: rows, columns: columns, path: path)
            #expect(activations.allSatisfy { $0 == 0 }, "zero blocks have d = 0 and q = 0")
            let y = product(weights, activations, bias: bias, rows: rows, columns: columns, yStride: 40, range: 0..<40, path: path)
            #expect(y == Array((0..<rows).map { _ in bias }.joined()))
        }
        // No columns at all: nothing to sum, the bias (or 0) as the reference gives.
        let empty = product([], [], bias: bias, rows: 2, columns: 0, yStride: 40, range: 5..<9, path: path)
        #expect(Array(empty[5..<9]) == Array(bias[5..<9]))
    }

    @Test func productOfAQ8MatrixWritesOnlyItsRange() {
        var random = SplitMix64(seed: 16)
        let columns = 64
        let bytes = randomWeights(outputs: 30, columns: columns, using: &random)
        let activations = randomActivations(rows: 2, columns: columns, using: &random)
        let storage = Storage(tiled(bytes, columns: columns))
        let matrix = Q8Matrix(rows: 30, columns: columns, layout: .tiles, bytes: UnsafeRawPointer(storage.bytes.baseAddress!), owner: storage)
        var y = [Float](repeating: 42, count: 2 * 30)
        activations.withUnsafeBytes { x in
            y.withUnsafeMutableBufferPointer {
                Q8Kernels.multiply(matrix, activations: x.baseAddress!, rows: 2, bias: nil, into: $0.baseAddress!, yStride: 30, outputs: 10..<20)
            }
        }
        let expected = product(bytes, activations, bias: nil, rows: 2, columns: columns, yStride: 30, range: 10..<20, path: .automatic)
        for r in 0..<2 {
            for o in 0..<30 {
                #expect(y[r * 30 + o] == ((10..<20).contains(o) ? expected[r * 30 + o] : 42))
            }
        }
    }

    // MARK: Tiled layout

    /// Every row read back from the tiles is the row it came from, for row counts on and off
    /// the tile size; padding rows are zero; tiling in parts (as threads do) gives the same bytes.
    @Test func tilesHoldTheRowsTheyCameFrom() {
        var random = SplitMix64(seed: 21)
        for (out, columns) in [(1, 32), (15, 64), (16, 96), (17, 32), (53, 768)] {
            let rows = randomWeights(outputs: out, columns: columns, using: &random)
            let whole = tiled(rows, columns: columns)
            #expect(whole.count == (out + 15) / 16 * 16 * Q8Kernels.rowBytes(columns: columns), "same size as the rows, padded")
            var parts = [UInt8](repeating: 0x55, count: whole.count)
            rows.withUnsafeBytes { w in
                parts.withUnsafeMutableBytes { t in
                    for start in stride(from: 0, to: out, by: 16) {
                        Q8Kernels.tile(w.baseAddress!, into: t.baseAddress!, rows: out, columns: columns,
                                       range: start..<min(start + 16, out))
                    }
                }
            }
            #expect(parts == whole)
            whole.withUnsafeBytes { t in
                rows.withUnsafeBytes { w in
                    var fromTiles = [Float](repeating: .nan, count: columns)
                    var fromRow = [Float](repeating: .nan, count: columns)
                    for row in 0..<((out + 15) / 16 * 16) {
                        fromTiles.withUnsafeMutableBufferPointer {
                            Q8Kernels.dequantizeTiledRow(t.baseAddress!, row: row, columns: columns, into: $0.baseAddress!)
                        }
                        if row < out {
                            fromRow.withUnsafeMutableBufferPointer {
                                Q8Kernels.dequantizeRow(w.baseAddress! + row * Q8Kernels.rowBytes(columns: columns),
                                                        into: $0.baseAddress!, columns: columns)
                            }
                            #expect(fromTiles == fromRow, "row \(row) of \(out)×\(columns)")
                        } else {
                            #expect(fromTiles.allSatisfy { $0 == 0 }, "padding row \(row)")
                        }
                    }
                }
            }
        }
    }

    /// The arena tiles every matrix once (a tied head shares the embedding's copy), on the pool.
    @Test func arenaTilesEachMatrixOnce() {
        var random = SplitMix64(seed: 22)
        let pool = WorkerPool(threadCount: 2)
        let columns = 64
        let first = Q8Matrix(quantizing: (0..<37 * columns).map { _ in Float.random(in: -1...1, using: &random) },
                             rows: 37, columns: columns)
        let second = Q8Matrix(quantizing: (0..<200 * columns).map { _ in Float.random(in: -1...1, using: &random) },
                              rows: 200, columns: columns)
        let tiled = Q8Arena.tile([first, second, first], pool: pool)
        #expect(tiled.map(\.layout) == [.tiles, .tiles, .tiles])
        #expect(tiled[0].bytes == tiled[2].bytes, "one copy of a matrix given twice")
        var expected = [Float](repeating: 0, count: columns), found = expected
        for (original, copy) in zip([first, second], tiled) {
            for row in 0..<original.rows {
                expected.withUnsafeMutableBufferPointer { original.dequantize(row: row, into: $0.baseAddress!) }
                found.withUnsafeMutableBufferPointer { copy.dequantize(row: row, into: $0.baseAddress!) }
                #expect(found == expected)
            }
        }
    }

    // MARK: fp32 helpers

    @Test(arguments: KernelPath.allCases)
    func dotAndAxpyMatchTheReference(path: KernelPath) {
        var random = SplitMix64(seed: 17)
        for count in [0, 1, 5, 8, 16, 31, 64, 65, 100, 768, 1000] {
            let a = (0..<count).map { _ in Float.random(in: -3...3, using: &random) }
            let b = (0..<count).map { _ in Float.random(in: -3...3, using: &random) }
            let alpha = Float.random(in: -2...2, using: &random)
            let fast = Q8Kernels.dot(a, b, count: count, path: path)
            let reference = Q8Kernels.dotReference(a, b, count: count)
            let magnitude = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
            #expect(abs(fast - reference) <= Float(count + 8) * 0x1p-23 * magnitude, "\(path) dot of \(count)")

            var y = b
            var yReference = b
            Q8Kernels.axpy(alpha, a, &y, count: count, path: path)
            Q8Kernels.axpyReference(alpha, a, &yReference, count: count)
            for i in 0..<count {
                #expect(abs(y[i] - yReference[i]) <= 0x1p-22 * (abs(b[i]) + abs(alpha * a[i])), "\(path) axpy of \(count) at \(i)")
            }
        }
        // Small integers: exact on every path.
        let ints = (0..<100).map { Float($0 % 7 - 3) }
        #expect(Q8Kernels.dot(ints, ints, count: 100, path: path) == Q8Kernels.dotReference(ints, ints, count: 100))
    }

    /// The first index of the maximum, NaN skipped, as the plain loop finds it: random values,
    /// many ties (small integers), NaN and infinities anywhere, every length around the vectors.
    @Test(arguments: KernelPath.allCases)
    func argmaxFindsWhatThePlainLoopFinds(path: KernelPath) {
        var random = SplitMix64(seed: 18)
        for count in Array(0...70) + [127, 128, 129, 1000, 50257] {
            for kind in 0..<4 {
                var x = (0..<count).map { _ in
                    kind == 1 ? Float(Int.random(in: -3...3, using: &random)) : Float.random(in: -10...10, using: &random)
                }
                if kind >= 2 {
                    for _ in 0..<max(1, count / 10) where count > 0 {
                        x[Int.random(in: 0..<count, using: &random)] = [Float.nan, -.infinity, .infinity, -0.0][Int.random(in: 0..<4, using: &random)]
                    }
                }
                if kind == 3 && count > 0 { x[0] = .nan }
                let found = Q8Kernels.argmax(x, count: count, path: path)
                #expect(found == Q8Kernels.argmaxReference(x, count: count), "\(path) count \(count) kind \(kind)")
            }
        }
        #expect(Q8Kernels.argmax([-Float.infinity, -.infinity], count: 2, path: path) == 0)
        #expect(Q8Kernels.argmax([0, -0.0, 1, 1], count: 4, path: path) == 2)
        #expect(Q8Kernels.argmax([Float.nan, 5], count: 2, path: path) == 0)
        #expect(Q8Kernels.argmax([1, .nan, 5], count: 3, path: path) == 2)
    }

    // MARK: Dispatch

    @Test func pathsResolveToWhatTheCPUSupports() {
        #expect(Q8Kernels.resolve(.portable) == .portable)
        #expect(Q8Kernels.resolve(.automatic) == Q8Kernels.resolve(.avx512VNNI))
        for path in KernelPath.allCases where path != .automatic {
            let resolved = Q8Kernels.resolve(path)
            #expect(resolved != .automatic && resolved.rawValue <= path.rawValue)
        }
        #if !arch(x86_64)
        #expect(Q8Kernels.resolve(.automatic) == .portable)
        #endif
        // Selecting the automatic path is what every process starts with, so this changes nothing
        // for tests running alongside.
        #expect(Q8Kernels.select(.automatic) == Q8Kernels.resolve(.automatic))
        #expect(Q8Kernels.currentPath == Q8Kernels.resolve(.automatic))
        #expect(KernelPath.allCases.map(\.description) == ["auto", "portable", "avx2", "avx512-vnni"])
    }

    // MARK: Helpers

    /// Owns the bytes of a Q8Matrix made in a test.
    final class Storage: @unchecked Sendable {
        // @unchecked: written once in init, only read afterwards.
        let bytes: UnsafeMutableRawBufferPointer
        init(_ contents: [UInt8]) {
            bytes = .allocate(byteCount: contents.count, alignment: 64)
            contents.withUnsafeBytes { bytes.copyMemory(from: $0) }
        }
        deinit { bytes.deallocate() }
    }

    private func quantize(_ x: [Float], rows: Int, columns: Int, path: KernelPath) -> [UInt8] {
        var y = [UInt8](repeating: 0xAA, count: rows * Q8Kernels.rowBytes(columns: columns))
        y.withUnsafeMutableBytes { Q8Kernels.quantizeRows(x, into: $0.baseAddress!, rows: rows, columns: columns, path: path) }
        return y
    }

    private func quantizeReference(_ x: [Float], rows: Int, columns: Int) -> [UInt8] {
        var y = [UInt8](repeating: 0x55, count: rows * Q8Kernels.rowBytes(columns: columns))
        y.withUnsafeMutableBytes { Q8Kernels.quantizeRowsReference(x, into: $0.baseAddress!, rows: rows, columns: columns) }
        return y
    }

    /// Q8_0 rows with scales like a trained GPT-2's (1e-3 … 2e-2) and values over ±127.
    private func randomWeights(outputs: Int, columns: Int, using random: inout SplitMix64) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(outputs * Q8Kernels.rowBytes(columns: columns))
        for _ in 0..<outputs * columns / 32 {
            let d = Q8Kernels.halfBits(Float.random(in: 1e-3...2e-2, using: &random))
            bytes.append(UInt8(d & 0xFF))
            bytes.append(UInt8(d >> 8))
            for _ in 0..<32 { bytes.append(UInt8(bitPattern: Int8.random(in: -127...127, using: &random))) }
        }
        return bytes
    }

    /// Activations as the engine makes them: fp32 rows (with an outlier here and there) quantized.
    private func randomActivations(rows: Int, columns: Int, using random: inout SplitMix64) -> [UInt8] {
        var x = (0..<rows * columns).map { _ in Float.random(in: -1...1, using: &random) }
        for i in x.indices where Int.random(in: 0..<50, using: &random) == 0 { x[i] *= 30 }
        return quantizeReference(x, rows: rows, columns: columns)
    }

    private func exactBlocks(
        rows: Int, columns: Int, values: ClosedRange<Int8>, scales: [Float], using random: inout SplitMix64
    ) -> [UInt8] {
        var bytes = [UInt8]()
        for _ in 0..<rows * columns / 32 {
            let d = Q8Kernels.halfBits(scales[Int.random(in: 0..<scales.count, using: &random)])
            bytes.append(UInt8(d & 0xFF))
            bytes.append(UInt8(d >> 8))
            for _ in 0..<32 { bytes.append(UInt8(bitPattern: Int8.random(in: values, using: &random))) }
        }
        return bytes
    }

    private func constantBlocks(rows: Int, columns: Int, value: Int8) -> [UInt8] {
        let block = [0x00, 0x3C] + [UInt8](repeating: UInt8(bitPattern: value), count: 32)
        return Array([[UInt8]](repeating: block, count: rows * columns / 32).joined())
    }

    /// The same data with |d| and |q|: its product is Σ |terms|, for the tolerance.
    private func magnitudes(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for block in 0..<bytes.count / 34 {
            result[block * 34 + 1] &= 0x7F
            for i in 2..<34 {
                let q = Int8(bitPattern: bytes[block * 34 + i])
                result[block * 34 + i] = UInt8(q == -128 ? 127 : abs(q))
            }
        }
        return result
    }

    /// y (rows, yStride) filled with a sentinel, then the product over `range`: the reference on
    /// the plain rows when `path` is nil, else that path on the weights tiled.
    private func product(
        _ weights: [UInt8], _ activations: [UInt8], bias: [Float]?, rows: Int, columns: Int, yStride: Int,
        range: Range<Int>, path: KernelPath?
    ) -> [Float] {
        var y = [Float](repeating: 1e30, count: rows * yStride)
        let operand = path == nil ? weights : tiled(weights, columns: columns)
        operand.withUnsafeBytes { w in
            activations.withUnsafeBytes { x in
                y.withUnsafeMutableBufferPointer { out in
                    let wp = w.baseAddress ?? UnsafeRawPointer(out.baseAddress!)
                    let xp = x.baseAddress ?? UnsafeRawPointer(out.baseAddress!)
                    if let path {
                        Q8Kernels.multiply(
                            into: out.baseAddress!, yStride: yStride, weights: wp, activations: xp, bias: bias, rows: rows,
                            columns: columns, outputs: range, path: path)
                    } else {
                        Q8Kernels.multiplyReference(
                            into: out.baseAddress!, yStride: yStride, weights: wp, activations: xp, bias: bias, rows: rows,
                            columns: columns, outputs: range)
                    }
                }
            }
        }
        return y
    }

    /// Q8_0 rows (out, columns) in the tiled layout.
    private func tiled(_ weights: [UInt8], columns: Int) -> [UInt8] {
        guard columns > 0 else { return [] }
        let out = weights.count / Q8Kernels.rowBytes(columns: columns)
        var tiles = [UInt8](repeating: 0xAA, count: Q8Kernels.tiledBytes(rows: out, columns: columns))
        weights.withUnsafeBytes { w in
            tiles.withUnsafeMutableBytes {
                Q8Kernels.tile(w.baseAddress!, into: $0.baseAddress!, rows: out, columns: columns, range: 0..<out)
            }
        }
        return tiles
    }

    /// Checks one product against the reference and the sentinel outside `range`; returns the
    /// largest error as a fraction of the tolerance.
    private func checkProduct(
        weights: [UInt8], activations: [UInt8], bias: [Float]?, rows: Int, columns: Int, outputs: Int,
        range: Range<Int>, path: KernelPath, magnitudes given: (weights: [UInt8], activations: [UInt8])? = nil
    ) -> Float {
        let yStride = outputs + 3
        let expected = product(weights, activations, bias: bias, rows: rows, columns: columns, yStride: yStride, range: range, path: nil)
        let found = product(weights, activations, bias: bias, rows: rows, columns: columns, yStride: yStride, range: range, path: path)
        let absolute = given ?? (magnitudes(weights), magnitudes(activations))
        let bound = product(
            absolute.weights, absolute.activations, bias: bias.map { $0.map(abs) }, rows: rows, columns: columns,
            yStride: yStride, range: range, path: nil)
        let scale = Float(columns / 32 + 8) * 0x1p-23
        var worst: Float = 0
        var failures = 0
        for r in 0..<rows {
            for o in 0..<yStride {
                let i = r * yStride + o
                guard range.contains(o) else {
                    if found[i] != 1e30 { failures += 1 }
                    continue
                }
                let tolerance = scale * bound[i]
                let error = abs(found[i] - expected[i])
                if !(error <= tolerance) { failures += 1 }
                if tolerance > 0 { worst = max(worst, error / tolerance) }
            }
        }
        #expect(failures == 0, "\(path) rows \(rows) columns \(columns) range \(range): \(failures) wrong values")
        return worst
    }
}

/// Single-threaded speed of the matrix product on GPT-2 124M's shapes, per path: int8 GOP/s
/// (2 × rows × out × columns per second) and the weights read per second. Measured only when
/// GPT2_KERNEL_BENCH is set, in a release build:
/// `GPT2_KERNEL_BENCH=1 swift test -c release --filter Q8KernelBenchmark`.
/// Times are thread CPU time (other processes disturb them less), best and median of many runs;
/// for 1, 3 and 8 rows (decode) the weights rotate through 512 MB of copies, far beyond the caches.
@Suite struct Q8KernelBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GPT2_KERNEL_BENCH"] != nil,
                   "set GPT2_KERNEL_BENCH=1 to measure the kernels"))
    func matrixProductSpeed() {
        let shapes = [(768, 2304), (768, 768), (768, 3072), (3072, 768), (768, 50257)]
        let paths = [KernelPath.avx512VNNI, .avx2, .portable].filter { Q8Kernels.resolve($0) == $0 }
        var random = SplitMix64(seed: 99)
        print("path          columns→out   rows   GOP/s best (median)   weights GB/s best (median)")
        for (columns, outputs) in shapes {
            var matrix = (0..<outputs * Q8Kernels.rowBytes(columns: columns)).map { _ in UInt8.random(in: 0...255, using: &random) }
            for block in 0..<matrix.count / 34 { matrix[block * 34 + 1] &= 0x1F } // small positive scales
            var tiles = [UInt8](repeating: 0, count: Q8Kernels.tiledBytes(rows: outputs, columns: columns))
            matrix.withUnsafeBytes { w in
                tiles.withUnsafeMutableBytes {
                    Q8Kernels.tile(w.baseAddress!, into: $0.baseAddress!, rows: outputs, columns: columns, range: 0..<outputs)
                }
            }
            let matrixBytes = tiles.count
            let copies = max(1, (512 << 20) / matrixBytes + 1)
            let weights = Array([[UInt8]](repeating: tiles, count: copies).joined())
            let x = (0..<128 * columns).map { _ in Float.random(in: -1...1, using: &random) }
            var activations = [UInt8](repeating: 0, count: 128 * Q8Kernels.rowBytes(columns: columns))
            activations.withUnsafeMutableBytes { Q8Kernels.quantizeRows(x, into: $0.baseAddress!, rows: 128, columns: columns) }
            var y = [Float](repeating: 0, count: 128 * outputs)
            for rows in [1, 3, 8, 128] {
                for path in paths {
                    let rotation = rows == 128 ? 1 : copies
                    var call = 0
                    let times = Self.times(budget: path == .portable ? 1 : 0.6) {
                        weights.withUnsafeBytes { w in
                            activations.withUnsafeBytes { a in
                                y.withUnsafeMutableBufferPointer { out in
                                    Q8Kernels.multiply(
                                        into: out.baseAddress!, yStride: outputs,
                                        weights: w.baseAddress! + (call % rotation) * matrixBytes,
                                        activations: a.baseAddress!, bias: nil, rows: rows, columns: columns,
                                        outputs: 0..<outputs, path: path)
                                }
                            }
                        }
                        call += 1
                    }
                    let operations = 2 * Double(rows * outputs * columns) / 1e9
                    let gigabytes = Double(matrixBytes) / 1e9
                    let name = path.description.padding(toLength: 12, withPad: " ", startingAt: 0)
                    print(name + String(
                        format: "  %5d→%-6d %4d  %7.1f (%7.1f)       %6.1f (%6.1f)", columns, outputs, rows,
                        operations / times.best, operations / times.median, gigabytes / times.best, gigabytes / times.median))
                }
            }
        }
    }

    /// The best and median durations of repeated runs of `body`, run for about `budget` seconds
    /// of thread CPU time (at least five times).
    private static func times(budget: Double, _ body: () -> Void) -> (best: Double, median: Double) {
        var durations: [Double] = []
        let start = threadTime()
        while durations.count < 5 || threadTime() - start < budget {
            let before = threadTime()
            body()
            durations.append(threadTime() - before)
        }
        durations.sort()
        return (durations[0], durations[durations.count / 2])
    }

    private static func threadTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }
}
