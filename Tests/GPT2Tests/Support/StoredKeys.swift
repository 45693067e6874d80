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

/// One row's attention over `keys` and `values` (`headDim` floats per position, values rounded
/// to fp16) stored as the int8 engine's cache stores them, in two parts cut at `split` (the
/// whole cache in the first by default); `path` nil is the reference.
func attentionOfOneRow(
    q: [Float], keys: [Float], values: [Float], split: Int? = nil, headDim: Int, scale: Float, path: KernelPath?
) -> (scores: [Float], out: [Float]) {
    let positions = headDim == 0 ? 0 : keys.count / headDim
    let split = split ?? positions
    let cut = split * headDim
    let firstKeys = StoredKeys(keys[..<cut], headDim: headDim), restKeys = StoredKeys(keys[cut...], headDim: headDim)
    let halves = values.map(Q8Kernels.halfBits)
    let firstValues = Array(halves[..<cut]) + [0], restValues = Array(halves[cut...]) + [0]
    var scores = [Float](repeating: .nan, count: max(positions, 1))
    var out = [Float](repeating: .nan, count: headDim)
    q.withUnsafeBufferPointer { q in firstValues.withUnsafeBufferPointer { fv in
    restValues.withUnsafeBufferPointer { rv in out.withUnsafeMutableBufferPointer { o in
        let row = Q8Kernels.AttentionQuery(q: q.baseAddress!, keys_rest: restKeys.pointer, values_rest: rv.baseAddress!,
                                           positions: Int64(positions), out: o.baseAddress!)
        if let path {
            [row].withUnsafeBufferPointer { rows in
                Q8Kernels.attention(rows: rows, keys: firstKeys.pointer, values: fv.baseAddress!, split: split,
                                    headDim: headDim, scale: scale, scores: &scores, scoresStride: positions, path: path)
            }
        } else {
            Q8Kernels.attentionReference(row: row, keys: firstKeys.pointer, values: fv.baseAddress!, split: split,
                                         headDim: headDim, scale: scale, scores: &scores)
        }
    }}}}
    return (Array(scores[..<positions]), out)
}
