import CBLAS

/// Row-major single-precision matrix products, through OpenBLAS.
enum MatrixMultiply {
    /// `c (m, n) = a (m, k) · b (k, n)`, all row-major and densely packed.
    static func multiply(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
    }

    /// `c (m, n) = a (m, k) · bᵀ` where `b` is stored as (n, k): the shape of a tied embedding matrix.
    static func multiplyTransposed(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }

    /// Sets the number of threads OpenBLAS uses for its own products.
    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
