/// Exact widening of 16-bit floats to `Float`, written out on the bit patterns so that it behaves
/// the same on every platform (Swift's `Float16` is missing on Intel Macs). Every half and bfloat16
/// value, subnormals, infinities and NaNs included, is representable in `Float`, so both
/// conversions are exact; a NaN keeps its sign and payload.
enum HalfPrecision {
    /// The IEEE 754 binary16 value with bit pattern `bits`, as a `Float`.
    @inline(__always)
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        if exponent == 0x1F {
            // Infinity (mantissa 0) or NaN (payload moved to the top of the float mantissa).
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent != 0 {
            // Normal: rebias the exponent from 15 to 127.
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
        // Zero or subnormal: mantissa × 2^-24, exact in Float (a normal number there).
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    }

    /// The IEEE 754 binary16 bit pattern nearest to `value`, ties to even (as numpy's
    /// `astype(np.float16)` and ggml's `GGML_FP32_TO_FP16` round): values too large become
    /// infinities, values too small subnormals or zeros, and a NaN stays a NaN with its sign and
    /// the top of its payload (made quiet).
    @inline(__always)
    static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            if mantissa == 0 { return sign | 0x7C00 }
            return sign | 0x7E00 | UInt16(truncatingIfNeeded: mantissa >> 13)
        }
        // The value is m × 2^(e - 23) with m the 24-bit significand (implicit bit included).
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F {
            return sign | 0x7C00
        }
        if halfExponent >= 1 {
            // Normal half: keep the top 10 of 23 mantissa bits and round the other 13.
            var half = UInt32(halfExponent) << 10 | (mantissa >> 13)
            let rest = mantissa & 0x1FFF
            if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) {
                half += 1  // a carry into the exponent is right, up to infinity (0x7C00)
            }
            return sign | UInt16(half)
        }
        // Subnormal half or zero: the result is the significand shifted right by 14 - halfExponent
        // (at least 14), rounded. Shifts of 25 or more leave less than half of the smallest subnormal.
        let shift = 14 - halfExponent
        if shift >= 25 || exponent == 0 {
            return sign  // (float subnormals are far below the half range too)
        }
        let significand = mantissa | 0x80_0000
        var half = significand >> UInt32(shift)
        let rest = significand & ((1 << UInt32(shift)) - 1)
        let halfway = UInt32(1) << UInt32(shift - 1)
        if rest > halfway || (rest == halfway && half & 1 == 1) {
            half += 1  // may become the smallest normal, which has the right bit pattern
        }
        return sign | UInt16(half)
    }

    /// The bfloat16 value with bit pattern `bits`, as a `Float` (bfloat16 is the top half of a `Float`).
    @inline(__always)
    static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
