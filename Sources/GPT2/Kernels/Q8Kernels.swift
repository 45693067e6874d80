import CGPT2Kernels

/// A code path of the C kernels. `automatic` is the best one the CPU supports; asking for a path
/// the CPU lacks gives the best supported one below it.
enum KernelPath: Int, CaseIterable, Sendable, CustomStringConvertible {
    case automatic = 0
    case portable = 1
    case avx2 = 2
    case avx512VNNI = 3

    init(_ path: gpt2_kernels_path) {
        switch path {
        case GPT2_KERNELS_PORTABLE: self = .portable
        case GPT2_KERNELS_AVX2: self = .avx2
        case GPT2_KERNELS_AVX512_VNNI: self = .avx512VNNI
        default: self = .automatic
        }
    }

    var cValue: gpt2_kernels_path {
        switch self {
        case .automatic: GPT2_KERNELS_AUTO
        case .portable: GPT2_KERNELS_PORTABLE
        case .avx2: GPT2_KERNELS_AVX2
        case .avx512VNNI: GPT2_KERNELS_AVX512_VNNI
        }
    }

    /// "auto", "portable", "avx2" or "avx512-vnni".
    var description: String { String(cString: gpt2_kernels_path_name(cValue)) }
}

/// The int8 (Q8_0) and fp32 hot loops of CGPT2Kernels (matrix products, attention, GELU).
///
/// Q8_0 is ggml's format: each row of `columns` values (a multiple of 32) is `columns / 32`
/// blocks of 34 bytes, a little-endian fp16 scale `d` then 32 int8 values `q`. Every function
/// takes an optional `path`: `nil` uses the process-wide choice (`currentPath`, the best path
/// unless `select(_:)` changed it), anything else runs that path for this call only.
enum Q8Kernels {
    static let blockValues = Int(GPT2_Q8_0_BLOCK_VALUES)
    static let blockBytes = Int(GPT2_Q8_0_BLOCK_BYTES)

    /// Bytes of one Q8_0 row of `columns` values.
    static func rowBytes(columns: Int) -> Int {
        columns / blockValues * blockBytes
    }

    // MARK: Dispatch

    /// The path `select(wanted)` would use, without changing anything.
    static func resolve(_ wanted: KernelPath) -> KernelPath {
        KernelPath(gpt2_kernels_resolve(wanted.cValue))
    }

    /// Makes `resolve(wanted)` the path of every later call made without an explicit path, in all
    /// threads; returns it.
    @discardableResult
    static func select(_ wanted: KernelPath) -> KernelPath {
        KernelPath(gpt2_kernels_select(wanted.cValue))
    }

    /// The path used by calls made without an explicit path.
    static var currentPath: KernelPath {
        KernelPath(gpt2_kernels_current())
    }

    // MARK: Quantization

    /// `x` (rows, columns) fp32 → `y` (rows × `rowBytes(columns:)` bytes) Q8_0, per block
    /// `d = max|x| / 127` and `q = round(x / d)`, halves away from zero. Every path writes the
    /// same bytes as the reference.
    static func quantizeRows(
        _ x: UnsafePointer<Float>, into y: UnsafeMutableRawPointer, rows: Int, columns: Int, path: KernelPath? = nil
    ) {
        checkShape(rows: rows, columns: columns)
        if let path {
            gpt2_quantize_rows_q8_0_on(path.cValue, x, y, Int64(rows), Int64(columns))
        } else {
            gpt2_quantize_rows_q8_0(x, y, Int64(rows), Int64(columns))
        }
    }

    /// The plain C quantizer the fast paths are checked against.
    static func quantizeRowsReference(_ x: UnsafePointer<Float>, into y: UnsafeMutableRawPointer, rows: Int, columns: Int) {
        checkShape(rows: rows, columns: columns)
        gpt2_quantize_rows_q8_0_reference(x, y, Int64(rows), Int64(columns))
    }

    /// One Q8_0 row `x` → `y` (columns) fp32, `d × q` (exact).
    static func dequantizeRow(_ x: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>, columns: Int) {
        checkShape(rows: 1, columns: columns)
        gpt2_dequantize_row_q8_0(x, y, Int64(columns))
    }

    // MARK: Tiled weights

    /// Rows per tile of the tiled layout (see `tile`).
    static let tileRows = Int(GPT2_Q8_0_TILE_ROWS)

    /// Bytes of the tiled layout of an (out, columns) Q8_0 matrix.
    static func tiledBytes(rows out: Int, columns: Int) -> Int {
        checkShape(rows: out, columns: columns)
        return Int(gpt2_q8_0_tiled_bytes(Int64(out), Int64(columns)))
    }

    /// Q8_0 rows `w` (out, columns) → `tiles` (`tiledBytes` bytes), the layout the product reads:
    /// tiles of 16 rows, each block of a tile holding the 16 rows' scales and then their values
    /// interleaved four by four (CGPT2Kernels.h). Only the rows in `range` (whole tiles: bounds at
    /// multiples of 16, or at `out`), so that threads can share the work.
    static func tile(
        _ w: UnsafeRawPointer, into tiles: UnsafeMutableRawPointer, rows out: Int, columns: Int, range: Range<Int>
    ) {
        checkShape(rows: out, columns: columns)
        precondition(range.lowerBound % tileRows == 0 && (range.upperBound % tileRows == 0 || range.upperBound == out)
                     && range.upperBound <= out, "tiling by whole tiles")
        gpt2_tile_q8_0(tiles, w, Int64(out), Int64(columns), Int64(range.lowerBound), Int64(range.upperBound))
    }

    /// Row `row` of a tiled matrix → `y` (columns) fp32, `d × q` (exact).
    static func dequantizeTiledRow(_ tiles: UnsafeRawPointer, row: Int, columns: Int, into y: UnsafeMutablePointer<Float>) {
        checkShape(rows: 1, columns: columns)
        precondition(row >= 0)
        gpt2_dequantize_tiled_row_q8_0(tiles, Int64(row), Int64(columns), y)
    }

    // MARK: Matrix product

    /// `y[r * yStride + o] = bias[o] + Σ_blocks d_w · d_x · Σ w·x` for every activation row
    /// `r < rows` and output `o` in `outputs`:
    /// - `weights` (out, columns) Q8_0 in the tiled layout (`tile`), out ≥ `outputs.upperBound`;
    /// - `activations` (rows, columns) Q8_0 rows;
    /// - `bias` (out) or nil;
    /// - `y` (rows, yStride); only the columns in `outputs` are written.
    /// Pass all the activation rows of a step at once (each weight block loaded serves them all)
    /// and split the work across threads by output range in whole tiles of 16.
    static func multiply(
        into y: UnsafeMutablePointer<Float>, yStride: Int, weights: UnsafeRawPointer, activations: UnsafeRawPointer,
        bias: UnsafePointer<Float>?, rows: Int, columns: Int, outputs: Range<Int>, path: KernelPath? = nil
    ) {
        checkProduct(yStride: yStride, rows: rows, columns: columns, outputs: outputs)
        if let path {
            gpt2_matmul_q8_0_on(
                path.cValue, y, Int64(yStride), weights, activations, bias, Int64(rows), Int64(columns),
                Int64(outputs.lowerBound), Int64(outputs.upperBound))
        } else {
            gpt2_matmul_q8_0(
                y, Int64(yStride), weights, activations, bias, Int64(rows), Int64(columns),
                Int64(outputs.lowerBound), Int64(outputs.upperBound))
        }
    }

    /// `multiply` with a tiled `Q8Matrix` of weights: `activations` (rows, matrix.columns) Q8_0,
    /// `bias` (matrix.rows) or nil, `outputs` within `0..<matrix.rows`.
    static func multiply(
        _ matrix: Q8Matrix, activations: UnsafeRawPointer, rows: Int, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, yStride: Int, outputs: Range<Int>, path: KernelPath? = nil
    ) {
        precondition(matrix.layout == .tiles, "the product reads tiled weights")
        precondition(outputs.lowerBound >= 0 && outputs.upperBound <= matrix.rows, "outputs beyond the matrix")
        multiply(
            into: y, yStride: yStride, weights: matrix.bytes, activations: activations, bias: bias, rows: rows,
            columns: matrix.columns, outputs: outputs, path: path)
    }

    /// The plain C product the fast paths are checked against; its `weights` are plain Q8_0 rows.
    static func multiplyReference(
        into y: UnsafeMutablePointer<Float>, yStride: Int, weights: UnsafeRawPointer, activations: UnsafeRawPointer,
        bias: UnsafePointer<Float>?, rows: Int, columns: Int, outputs: Range<Int>
    ) {
        checkProduct(yStride: yStride, rows: rows, columns: columns, outputs: outputs)
        gpt2_matmul_q8_0_reference(
            y, Int64(yStride), weights, activations, bias, Int64(rows), Int64(columns),
            Int64(outputs.lowerBound), Int64(outputs.upperBound))
    }

    // MARK: fp32 helpers

    /// `Σ a[i] · b[i]`, `i < count`.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, path: KernelPath? = nil) -> Float {
        precondition(count >= 0)
        if let path { return gpt2_dot_f32_on(path.cValue, a, b, Int64(count)) }
        return gpt2_dot_f32(a, b, Int64(count))
    }

    static func dotReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count >= 0)
        return gpt2_dot_f32_reference(a, b, Int64(count))
    }

    /// `y[i] += alpha · x[i]`, `i < count`.
    static func axpy(
        _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, path: KernelPath? = nil
    ) {
        precondition(count >= 0)
        if let path {
            gpt2_axpy_f32_on(path.cValue, alpha, x, y, Int64(count))
        } else {
            gpt2_axpy_f32(alpha, x, y, Int64(count))
        }
    }

    /// The index of the largest of `count` values, the first among equal ones, NaN never chosen
    /// (0 when `count` is 0 or `x[0]` is NaN).
    static func argmax(_ x: UnsafePointer<Float>, count: Int, path: KernelPath? = nil) -> Int {
        precondition(count >= 0)
        if let path { return Int(gpt2_argmax_f32_on(path.cValue, x, Int64(count))) }
        return Int(gpt2_argmax_f32(x, Int64(count)))
    }

    static func argmaxReference(_ x: UnsafePointer<Float>, count: Int) -> Int {
        precondition(count >= 0)
        return Int(gpt2_argmax_f32_reference(x, Int64(count)))
    }

    static func axpyReference(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count >= 0)
        gpt2_axpy_f32_reference(alpha, x, y, Int64(count))
    }

    // MARK: Attention over the int8 engine's cache

    /// The largest head the attention kernels take.
    static let maximumHeadDim = Int(GPT2_ATTENTION_MAX_HEAD_DIM)

    /// Columns of one head's keys: `headDim` rounded up to a multiple of 32.
    static func keyColumns(headDim: Int) -> Int { Int(gpt2_key_columns(Int64(headDim))) }

    /// Bytes of one head's keys for `positions` positions: Q8_0 in tiles of 16 positions, the
    /// head's dimensions padded with zeros to a multiple of 32 (see `CGPT2Kernels.h`). Storage
    /// for more positions begins with the same bytes.
    static func keyBytes(positions: Int, headDim: Int) -> Int {
        precondition(positions >= 0 && headDim >= 0 && headDim <= maximumHeadDim)
        return Int(gpt2_key_bytes(Int64(positions), Int64(headDim)))
    }

    /// Quantizes `key` (`headDim` floats) into position `position` of one head's keys.
    static func storeKey(_ key: UnsafePointer<Float>, at position: Int, in keys: UnsafeMutableRawPointer, headDim: Int) {
        precondition(position >= 0 && headDim >= 0 && headDim <= maximumHeadDim)
        gpt2_store_key_q8_0(keys, Int64(position), key, Int64(headDim))
    }

    /// Copies position `from` of `source`'s keys to position `to` of `target`'s.
    static func copyKey(
        from source: UnsafeRawPointer, position from: Int, to target: UnsafeMutableRawPointer, position to: Int,
        headDim: Int
    ) {
        precondition(from >= 0 && to >= 0 && headDim >= 0 && headDim <= maximumHeadDim)
        gpt2_copy_key_q8_0(target, Int64(to), source, Int64(from), Int64(headDim))
    }

    /// Asks for the memory `storeKey` and a value store write for `position` without waiting.
    static func prefetchStore(keys: UnsafeRawPointer, values: UnsafePointer<UInt16>, position: Int, headDim: Int) {
        gpt2_prefetch_kv_store(keys, values, Int64(position), Int64(headDim))
    }

    /// One row of `attention(rows:…)`: its query (`headDim` floats), where its positions from the
    /// split on are (keys and fp16 values), how many positions it attends to, and where its
    /// output goes (`headDim` floats).
    typealias AttentionQuery = gpt2_attention_query

    /// Attention of rows of one head over keys stored by `storeKey` and fp16 values (`headDim`
    /// apart): each row's query is quantized like the keys, its dot products are the Q8_0 product
    /// with them, then softmax (`scale`, maximum subtracted) and the weighted sum of its values.
    /// Positions below `split` are read at `keys` and `values` (shared by the rows, as by
    /// sequences continuing one prompt; one product covers them for all), the others from each
    /// row's own. Row r's softmax weights go to `scores + r × scoresStride`. Each row gets exactly
    /// the bits it gets alone.
    static func attention(
        rows: UnsafeBufferPointer<AttentionQuery>, keys: UnsafeRawPointer, values: UnsafePointer<UInt16>, split: Int,
        headDim: Int, scale: Float, scores: UnsafeMutablePointer<Float>, scoresStride: Int, path: KernelPath? = nil
    ) {
        guard let each = rows.baseAddress else { return }
        precondition(headDim >= 0 && headDim <= maximumHeadDim && split >= 0 && rows.allSatisfy { $0.positions >= 0 })
        precondition(rows.count <= 1 || rows.allSatisfy { $0.positions <= scoresStride }, "rows' scores overlap")
        if let path {
            gpt2_attention_rows_on(path.cValue, Int64(rows.count), each, keys, values, Int64(split), Int64(headDim),
                                   scale, scores, Int64(scoresStride))
        } else {
            gpt2_attention_rows(Int64(rows.count), each, keys, values, Int64(split), Int64(headDim), scale, scores,
                                Int64(scoresStride))
        }
    }

    /// The plain C attention of one row (reference quantizer, integer sums, libm's expf, sums in
    /// order) the fast paths are checked against.
    static func attentionReference(
        row: AttentionQuery, keys: UnsafeRawPointer, values: UnsafePointer<UInt16>, split: Int, headDim: Int,
        scale: Float, scores: UnsafeMutablePointer<Float>
    ) {
        precondition(headDim >= 0 && headDim <= maximumHeadDim && split >= 0 && row.positions >= 0)
        withUnsafePointer(to: row) { row in
            gpt2_attention_reference(row, keys, values, Int64(split), Int64(headDim), scale, scores)
        }
    }

    // MARK: GELU

    /// GPT-2's GELU (tanh form) in place, within 2.85 ulp of the formula evaluated in fp64 (every
    /// float in [−10, 10]); +∞ → +∞, −∞ → −0, NaN → NaN.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, path: KernelPath? = nil) {
        precondition(count >= 0)
        if let path {
            gpt2_gelu_f32_on(path.cValue, x, Int64(count))
        } else {
            gpt2_gelu_f32(x, Int64(count))
        }
    }

    /// The formula in fp32 with libm's tanhf, as `VectorOperations.gelu` computes it.
    static func geluReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count >= 0)
        gpt2_gelu_f32_reference(x, Int64(count))
    }

    // MARK: Half precision

    /// The fp16 bit pattern `bits` as a `Float` (exact).
    static func float(fromHalfBits bits: UInt16) -> Float { gpt2_fp16_to_fp32(bits) }

    /// `value` rounded to the nearest fp16, ties to even, as a bit pattern.
    static func halfBits(_ value: Float) -> UInt16 { gpt2_fp32_to_fp16(value) }

    /// `halfBits` of each of `count` values, vectorized (the same bits on every path).
    static func halfBits(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<UInt16>, count: Int, path: KernelPath? = nil
    ) {
        precondition(count >= 0)
        if let path {
            gpt2_fp32_to_fp16_row_on(path.cValue, x, y, Int64(count))
        } else {
            gpt2_fp32_to_fp16_row(x, y, Int64(count))
        }
    }

    // MARK: Checks

    private static func checkShape(rows: Int, columns: Int) {
        precondition(rows >= 0, "negative row count")
        precondition(columns >= 0 && columns % blockValues == 0, "Q8_0 rows are whole blocks of 32")
    }

    private static func checkProduct(yStride: Int, rows: Int, columns: Int, outputs: Range<Int>) {
        checkShape(rows: rows, columns: columns)
        precondition(outputs.lowerBound >= 0, "negative output index")
        precondition(rows <= 1 || yStride >= outputs.upperBound, "output rows overlap")
    }
}
