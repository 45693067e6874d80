/// The bytes of a Q8_0 matrix quantized in memory: the `owner` of its `Q8Matrix`.
///
/// `@unchecked Sendable`: the buffer is filled once, in `init`, and only read afterwards.
final class Q8Storage: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer
    let count: Int

    /// Allocates `count` bytes and lets `fill` write them.
    init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        self.count = count
        bytes = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        fill(UnsafeMutableRawBufferPointer(start: bytes, count: count))
    }

    deinit {
        bytes.deallocate()
    }
}

extension Q8Matrix {
    /// Quantizes a row-major `rows` × `columns` matrix (`columns` a multiple of 32) row by row.
    public init(quantizing values: [Float], rows: Int, columns: Int) {
        precondition(values.count == rows * columns, "matrix size")
        precondition(columns % Q8_0.blockValues == 0, "Q8_0 rows are whole blocks of 32")
        let storage = Q8Storage(count: Q8_0.byteCount(values: values.count)) { output in
            values.withUnsafeBufferPointer { Q8_0.quantize($0, into: output) }
        }
        self.init(rows: rows, columns: columns, bytes: UnsafeRawPointer(storage.bytes), owner: storage)
    }

    /// The values, dequantized, as a row-major `rows` × `columns` matrix.
    public func dequantized() -> [Float] {
        Q8_0.dequantize(Array(UnsafeRawBufferPointer(start: bytes, count: byteCount)))
    }
}
