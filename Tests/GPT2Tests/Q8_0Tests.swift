import Testing
@testable import GPT2

/// Q8_0 quantization against the `gguf` Python package (fixture made by make_gguf_fixtures.py).
struct Q8_0Tests {
    @Test func quantizationIsByteIdenticalToTheGGUFPackage() throws {
        let cases = try GGUFFixtures.cases()
        #expect(cases.q8_0.count >= 10)
        for block in cases.q8_0 {
            let values = block.input_bits.map { Float(bitPattern: $0) }
            #expect(Q8_0.quantize(values) == hexBytes(block.q8_0), "\(block.name)")
        }
    }

    @Test func dequantizationIsScaleTimesValue() throws {
        for block in try GGUFFixtures.cases().q8_0 {
            let bytes = hexBytes(block.q8_0)
            let values = Q8_0.dequantize(bytes)
            #expect(values.count == block.input_bits.count)
            for (blockIndex, chunk) in stride(from: 0, to: bytes.count, by: 34).enumerated() {
                let scale = HalfPrecision.float(fromHalfBits: UInt16(bytes[chunk]) | UInt16(bytes[chunk + 1]) << 8)
                for index in 0..<32 {
                    let expected = Float(Int8(bitPattern: bytes[chunk + 2 + index])) * scale
                    let value = values[blockIndex * 32 + index]
                    #expect(value == expected || (value.isNaN && expected.isNaN), "\(block.name)")
                }
            }
        }
    }

    @Test func roundTripErrorIsAtMostHalfAStep() {
        var random = SplitMix64(seed: 11)
        let values = (0..<(32 * 64)).map { _ in Float.random(in: -3...3, using: &random) }
        let back = Q8_0.dequantize(Q8_0.quantize(values))
        for block in 0..<64 {
            let slice = values[(block * 32)..<(block * 32 + 32)]
            let step = (slice.map(abs).max() ?? 0) / 127
            for index in slice.indices {
                // Half a step, plus the fp16 rounding of the scale times up to 127 steps.
                #expect(abs(back[index] - values[index]) <= step * 0.5 + step * 127 * 0x1p-11 + 1e-6)
            }
        }
    }

    @Test func floatToHalfRoundsLikeNumpy() throws {
        let cases = try GGUFFixtures.cases().f16
        #expect(cases.count >= 50)
        for item in cases {
            #expect(HalfPrecision.halfBits(from: Float(bitPattern: item.input_bits)) == item.f16_bits,
                    "float bits \(item.input_bits)")
        }
        #expect(HalfPrecision.halfBits(from: .nan) & 0x7E00 == 0x7E00)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Every half value, its float neighbours, and the exact midpoints between halves (ties) with
    /// their neighbours: the places where rounding can go wrong, against Swift's Float16.
    @Test func floatToHalfRoundsLikeFloat16AtEveryBoundary() {
        var mismatches: [UInt32] = []
        func check(_ value: Float) {
            let ours = HalfPrecision.halfBits(from: value)
            let reference = Float16(value)
            if reference.isNaN ? !Float(Float16(bitPattern: ours)).isNaN : ours != reference.bitPattern {
                mismatches.append(value.bitPattern)
            }
        }
        for raw in UInt16.min...UInt16.max {
            let value = Float(Float16(bitPattern: raw))
            guard value.isFinite else { continue }
            check(value)
            check(value.nextUp)
            check(value.nextDown)
            let next = Float(Float16(bitPattern: raw &+ 1))
            if next.isFinite, raw & 0x7FFF != 0x7BFF {
                let middle = (value + next) / 2  // exact: halves have 11 significant bits
                check(middle)
                check(middle.nextUp)
                check(middle.nextDown)
            }
        }
        for value: Float in [65504, 65519.996, 65520, 1e10, .infinity, 0x1p-25, 0x1.8p-25, 0x1p-26, 0x1p-140] {
            check(value)
            check(-value)
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(8))")
    }
    #endif

    @Test func q8MatrixQuantizesRowByRow() {
        var random = SplitMix64(seed: 3)
        let values = (0..<(4 * 64)).map { _ in Float.random(in: -1...1, using: &random) }
        let matrix = Q8Matrix(quantizing: values, rows: 4, columns: 64)
        #expect(matrix.blocksPerRow == 2)
        #expect(matrix.byteCount == 4 * 2 * 34)
        let bytes = Array(UnsafeRawBufferPointer(start: matrix.bytes, count: matrix.byteCount))
        #expect(bytes == Q8_0.quantize(values))
        #expect(matrix.dequantized() == Q8_0.dequantize(bytes))
    }
}
