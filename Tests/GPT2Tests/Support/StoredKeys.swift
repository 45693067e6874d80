@testable import GPT2

/// One head's keys stored the way the int8 engine's cache stores them (`Q8Kernels.storeKey`),
/// for the attention tests.
final class StoredKeys {
    let pointer: UnsafeMutableRawPointer
    let headDim: Int
    let count: Int

    /// `keys` holds `headDim` floats per position.
    init(_ keys: ArraySlice<Float>, headDim: Int) {
        self.headDim = headDim
        count = headDim == 0 ? 0 : keys.count / headDim
        let bytes = max(Q8Kernels.keyBytes(positions: count, headDim: headDim), 1)
        pointer = .allocate(byteCount: bytes, alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        keys.withUnsafeBufferPointer { keys in
            for t in 0..<count {
                Q8Kernels.storeKey(keys.baseAddress! + t * headDim, at: t, in: pointer, headDim: headDim)
            }
        }
    }

    convenience init(_ keys: [Float], headDim: Int) { self.init(keys[...], headDim: headDim) }

    /// Position t's key as the kernels see it: its Q8_0 values times their scales.
    func dequantized(_ t: Int) -> [Float] {
        let columns = Q8Kernels.keyColumns(headDim: headDim)
        var row = [Float](repeating: 0, count: columns)
        Q8Kernels.dequantizeTiledRow(pointer, row: t, columns: columns, into: &row)
        return Array(row[..<headDim])
    }

    deinit { pointer.deallocate() }
}
