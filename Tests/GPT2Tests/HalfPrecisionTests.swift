import Testing
@testable import GPT2

struct HalfPrecisionTests {
    @Test func halfSpecialValuesWidenExactly() {
        let cases: [(bits: UInt16, value: Float)] = [
            (0x0000, 0), (0x3C00, 1), (0xC000, -2), (0x3555, 0x1.554p-2),
            (0x0001, 0x1p-24),                      // smallest subnormal
            (0x8001, -0x1p-24),
            (0x03FF, 0x1.FF8p-15),                  // largest subnormal: 1023 × 2^-24
            (0x0400, 0x1p-14),                      // smallest normal
            (0x7BFF, 65504),                        // largest finite
            (0x7C00, .infinity), (0xFC00, -.infinity),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.float(fromHalfBits: bits).bitPattern == value.bitPattern, "bits \(bits)")
        }
        #expect(HalfPrecision.float(fromHalfBits: 0x8000).bitPattern == (-0.0 as Float).bitPattern)
    }

    @Test func halfNaNsStayNaNWithSignAndPayload() {
        for bits: UInt16 in [0x7E00, 0x7C01, 0x7FFF, 0xFE00, 0xFD55] {
            let value = HalfPrecision.float(fromHalfBits: bits)
            #expect(value.isNaN)
            #expect((value.sign == .minus) == (bits & 0x8000 != 0))
            #expect(value.bitPattern & 0x007F_FFFF == UInt32(bits & 0x3FF) << 13)
        }
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func everyHalfBitPatternWidensLikeFloat16() {
        let mismatches = (0...UInt16.max).filter { raw in
            let ours = HalfPrecision.float(fromHalfBits: raw)
            let reference = Float(Float16(bitPattern: raw))
            return reference.isNaN ? !ours.isNaN : ours.bitPattern != reference.bitPattern
        }
        #expect(mismatches.isEmpty, "first mismatching bit patterns: \(mismatches.prefix(8))")
    }
    #endif

    @Test func bfloat16IsTheTopHalfOfAFloat() {
        let cases: [(bits: UInt16, value: Float)] = [
            (0x0000, 0), (0x3F80, 1), (0xC000, -2), (0x3EAB, 0x1.56p-2),
            (0x0001, Float(bitPattern: 0x0001_0000)),  // subnormal
            (0x0080, 0x1p-126),                        // smallest normal
            (0x7F7F, Float(bitPattern: 0x7F7F_0000)),  // largest finite
            (0x7F80, .infinity), (0xFF80, -.infinity),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.float(fromBFloat16Bits: bits).bitPattern == value.bitPattern, "bits \(bits)")
        }
        #expect(HalfPrecision.float(fromBFloat16Bits: 0x7FC0).isNaN)
        #expect(HalfPrecision.float(fromBFloat16Bits: 0xFF81).isNaN)
    }
}
