/// Floats to the bytes of a GGUF tensor of type F32 (little-endian), F16 (rounded to nearest
/// even, as numpy's `astype(np.float16)`) or Q8_0 (`Q8_0.quantize`).
enum GGUFTensorEncoding {
    static func bytes(of values: [Float], as type: GGMLType) -> [UInt8] {
        switch type {
        case .f16:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 2)
            for value in values {
                let bits = HalfPrecision.halfBits(from: value)
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            }
            return bytes
        case .q8_0:
            return Q8_0.quantize(values)
        default:
            precondition(type == .f32, "only F32, F16 and Q8_0 are written")
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 4)
            for value in values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            return bytes
        }
    }
}
