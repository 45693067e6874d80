/// ggml's Q8_0 format: blocks of 32 values stored in 34 bytes, a little-endian fp16 scale `d`
/// then 32 int8 values `q`, meaning `d × q`.
///
/// Quantization is byte-identical to ggml's reference (`quantize_row_q8_0_ref`) and to
/// `gguf.quants.quantize(…, GGMLQuantizationType.Q8_0)` of the `gguf` Python package, all in
/// float32: `d = max|x| / 127`, `id = d == 0 ? 0 : 1 / d`, `q = round(x × id)` with halves rounded
/// away from zero, and `d` stored as fp16 rounded to nearest even. (Note `x × (1/d)`, not `x / d`:
/// the two differ in the last bit often enough to matter.) A product that is not finite — only
/// when a block holds an infinity or a NaN, or is so small that `1/d` overflows — stores 0, as the
/// `gguf` package does on x86-64.
public enum Q8_0 {
    public static let blockValues = 32
    public static let blockBytes = 34

    /// The bytes of `count` values: `count / 32` blocks. `count` must be a multiple of 32.
    public static func byteCount(values count: Int) -> Int {
        count / blockValues * blockBytes
    }

    /// Quantizes `values` (a multiple of 32 of them) into `output`, which must hold
    /// `byteCount(values: values.count)` bytes and may have any alignment.
    public static func quantize(_ values: UnsafeBufferPointer<Float>, into output: UnsafeMutableRawBufferPointer) {
        precondition(values.count % blockValues == 0, "Q8_0 quantizes whole blocks of 32 values")
        precondition(output.count >= byteCount(values: values.count), "the output is too small")
        for block in 0..<(values.count / blockValues) {
            let first = block * blockValues
            var maximum: Float = 0
            for index in first..<(first + blockValues) {
                let magnitude = abs(values[index])
                if magnitude.isNaN {
                    maximum = .nan  // numpy's max propagates a NaN
                    break
                }
                if magnitude > maximum { maximum = magnitude }
            }
            let scale = maximum / 127
            let inverse: Float = scale == 0 ? 0 : 1 / scale
            let base = block * blockBytes
            let halfScale = HalfPrecision.halfBits(from: scale)
            output[base] = UInt8(truncatingIfNeeded: halfScale)
            output[base + 1] = UInt8(truncatingIfNeeded: halfScale >> 8)
            for index in 0..<blockValues {
                let scaled = values[first + index] * inverse
                let rounded: Int8
                if scaled.isFinite {
                    // |scaled| ≤ 127 up to rounding error, so the rounded value fits in Int8.
                    rounded = Int8(scaled.rounded(.toNearestOrAwayFromZero))
                } else {
                    rounded = 0
                }
                output[base + 2 + index] = UInt8(bitPattern: rounded)
            }
        }
    }

    /// The Q8_0 bytes of `values` (a multiple of 32 of them).
    public static func quantize(_ values: [Float]) -> [UInt8] {
        let count = byteCount(values: values.count)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            values.withUnsafeBufferPointer { quantize($0, into: UnsafeMutableRawBufferPointer(buffer)) }
            initialized = count
        }
    }

    /// Dequantizes whole blocks from `blocks` (any alignment) into `output`, 32 values per block:
    /// `Float(d) × Float(q)`, as ggml and the `gguf` package compute it.
    public static func dequantize(_ blocks: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        let blockCount = blocks.count / blockBytes
        precondition(output.count >= blockCount * blockValues, "the output is too small")
        for block in 0..<blockCount {
            let base = block * blockBytes
            let bits = UInt16(blocks[base]) | UInt16(blocks[base + 1]) << 8
            let scale = HalfPrecision.float(fromHalfBits: bits)
            let first = block * blockValues
            for index in 0..<blockValues {
                output[first + index] = Float(Int8(bitPattern: blocks[base + 2 + index])) * scale
            }
        }
    }

    /// The values of Q8_0 `bytes` (whole blocks).
    public static func dequantize(_ bytes: [UInt8]) -> [Float] {
        let count = bytes.count / blockBytes * blockValues
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { dequantize($0, into: buffer) }
            initialized = count
        }
    }
}
