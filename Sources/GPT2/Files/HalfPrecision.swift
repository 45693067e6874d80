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

    /// The bfloat16 value with bit pattern `bits`, as a `Float` (bfloat16 is the top half of a `Float`).
    @inline(__always)
    static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
