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

    static func axpyReference(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count >= 0)
        gpt2_axpy_f32_reference(alpha, x, y, Int64(count))
    }

    /// Attention of one query over `positions` keys and values of one head, stored as fp16 bit
    /// patterns: `scores[t] = softmax_t(scale · q · keys[t·stride ..< t·stride + headDim])` and
    /// `out = Σ_t scores[t] · values[t·stride ..< t·stride + headDim]`, in fp32 (each stored value
    /// widened exactly) with the maximum subtracted first. `scores` (at least `positions` floats) is scratch that ends holding the
    /// softmax weights; `out` (`headDim` floats) is overwritten. With `rest`, positions from
    /// `rest.split` on are read from `rest` instead (the same result as one contiguous cache).
    static func attention(
        query q: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>,
        rest: AttentionRest? = nil, stride: Int, positions: Int, headDim: Int, scale: Float,
        scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>, path: KernelPath? = nil
    ) {
        precondition(positions >= 0 && headDim >= 0 && (positions <= 1 || stride >= headDim))
        let split = Int64(rest?.split ?? positions)
        let keysRest = rest?.keys ?? keys, valuesRest = rest?.values ?? values
        if let path {
            gpt2_attention_f16_on(path.cValue, q, keys, values, split, keysRest, valuesRest,
                                  Int64(stride), Int64(positions), Int64(headDim), scale, scores, out)
        } else {
            gpt2_attention_f16(q, keys, values, split, keysRest, valuesRest,
                               Int64(stride), Int64(positions), Int64(headDim), scale, scores, out)
        }
    }

    /// The plain C attention (libm's expf, sums in order) the fast paths are checked against.
    static func attentionReference(
        query q: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>,
        rest: AttentionRest? = nil, stride: Int, positions: Int, headDim: Int, scale: Float,
        scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        precondition(positions >= 0 && headDim >= 0 && (positions <= 1 || stride >= headDim))
        let split = Int64(rest?.split ?? positions)
        gpt2_attention_f16_reference(q, keys, values, split, rest?.keys ?? keys, rest?.values ?? values,
                                     Int64(stride), Int64(positions), Int64(headDim), scale, scores, out)
    }

    /// One row of `attention(rows:…)`: its query (`headDim` floats), where its positions from the
    /// split on are, how many positions it attends to, and where its output goes.
    typealias AttentionQuery = gpt2_attention_query

    /// `attention` for rows of one head whose caches share their first `split` positions (at
    /// `keys` and `values`), such as sequences continuing one prompt. Each row gets exactly the
    /// bits `attention` gives it alone; the AVX-512 path widens each shared key and value once
    /// for a few rows at a time. Row r's softmax weights go to `scores + r × scoresStride`.
    static func attention(
        rows: UnsafeBufferPointer<AttentionQuery>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>,
        split: Int, stride: Int, headDim: Int, scale: Float, scores: UnsafeMutablePointer<Float>, scoresStride: Int,
        path: KernelPath? = nil
    ) {
        guard let each = rows.baseAddress else { return }
        precondition(headDim >= 0 && split >= 0 && rows.allSatisfy { $0.positions >= 0 })
        precondition(rows.count <= 1 || rows.allSatisfy { $0.positions <= scoresStride }, "rows' scores overlap")
        if let path {
            gpt2_attention_f16_rows_on(path.cValue, Int64(rows.count), each, keys, values, Int64(split), Int64(stride),
                                       Int64(headDim), scale, scores, Int64(scoresStride))
        } else {
            gpt2_attention_f16_rows(Int64(rows.count), each, keys, values, Int64(split), Int64(stride), Int64(headDim),
                                    scale, scores, Int64(scoresStride))
        }
    }

    /// Where the positions from `split` on of a two-part cache are (see `attention`).
    struct AttentionRest {
        var split: Int
        var keys: UnsafePointer<UInt16>
        var values: UnsafePointer<UInt16>
    }

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
