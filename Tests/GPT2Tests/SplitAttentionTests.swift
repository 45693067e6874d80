import Testing
@testable import GPT2

/// The attention kernels over a cache stored in two parts (a shared prefix, then a sequence's
/// own positions) give exactly what they give over the same cache in one part.
@Suite struct SplitAttentionTests {
    @Test(arguments: [nil] + KernelPath.allCases.map(Optional.some))
    func splittingTheCacheChangesNoBitOfTheResult(path: KernelPath?) {
        var random = SplitMix64(seed: 77)
        for headDim in [17, 64, 200] {
            for positions in [1, 2, 5, 17, 64] {
                let q = (0..<headDim).map { _ in Float.random(in: -3...3, using: &random) }
                let keys = (0..<positions * headDim).map { _ in Float.random(in: -2...2, using: &random) }
                let values = (0..<positions * headDim).map { _ in Float.random(in: -2...2, using: &random) }
                let whole = Self.attention(q: q, keys: keys, values: values, split: nil, headDim: headDim, path: path)
                for split in Set([0, 1, 3, positions / 2, positions - 1, positions]) where split <= positions {
                    let parts = Self.attention(q: q, keys: keys, values: values, split: split, headDim: headDim, path: path)
                    #expect(parts.scores == whole.scores, "\(path.map(String.init(describing:)) ?? "reference") split \(split) of \(positions)")
                    #expect(parts.out == whole.out, "\(path.map(String.init(describing:)) ?? "reference") split \(split) of \(positions)")
                }
            }
        }
    }

    /// Several rows over one shared first part (as sequences continuing one prompt), each with
    /// its own rest and length, some shorter than the shared part: every row gets exactly the
    /// bits of the one-row kernel on the same path.
    @Test(arguments: KernelPath.allCases)
    func rowsSharingTheirFirstPositionsGetTheBitsTheyGetAlone(path: KernelPath) {
        var random = SplitMix64(seed: 78)
        for headDim in [17, 64, 80] {
            for split in [0, 1, 6, 9, 40] {
                for lengths in [[split + 1], [split + 3, split + 1, split + 8], [split + 2, max(split - 2, 0), split, split + 5, split + 1]] {
                    let rows = lengths.count
                    let stride = headDim
                    func halves(_ count: Int) -> [UInt16] {
                        (0..<max(count, 1)).map { _ in Q8Kernels.halfBits(Float.random(in: -2...2, using: &random)) }
                    }
                    let keys = halves(split * stride), values = halves(split * stride)
                    let restKeys = lengths.map { halves(max($0 - split, 0) * stride) }
                    let restValues = lengths.map { halves(max($0 - split, 0) * stride) }
                    let queries = lengths.map { _ in (0..<headDim).map { _ in Float.random(in: -3...3, using: &random) } }
                    let scale = 1 / Float(headDim).squareRoot()
                    let scoresStride = (lengths.max() ?? 1) + 3
                    var scores = [Float](repeating: .nan, count: rows * scoresStride)
                    var outs = [[Float]](repeating: [Float](repeating: .nan, count: headDim), count: rows)
                    withPointers(queries, restKeys, restValues, &outs) { q, rk, rv, out in
                        let each = (0..<rows).map {
                            Q8Kernels.AttentionQuery(q: q[$0], keys_rest: rk[$0], values_rest: rv[$0],
                                                     positions: Int64(lengths[$0]), out: out[$0])
                        }
                        each.withUnsafeBufferPointer { each in
                            Q8Kernels.attention(rows: each, keys: keys, values: values, split: split, stride: stride,
                                                headDim: headDim, scale: scale, scores: &scores,
                                                scoresStride: scoresStride, path: path)
                        }
                    }
                    for r in 0..<rows {
                        var alone = [Float](repeating: .nan, count: headDim)
                        var aloneScores = [Float](repeating: .nan, count: max(lengths[r], 1))
                        restKeys[r].withUnsafeBufferPointer { k in restValues[r].withUnsafeBufferPointer { v in
                            Q8Kernels.attention(
                                query: queries[r], keys: keys, values: values,
                                rest: Q8Kernels.AttentionRest(split: split, keys: k.baseAddress!, values: v.baseAddress!),
                                stride: stride, positions: lengths[r], headDim: headDim, scale: scale, scores: &aloneScores,
                                into: &alone, path: path)
                        }}
                        let label = "\(path) head \(headDim) split \(split) lengths \(lengths) row \(r)"
                        #expect(outs[r].map(\.bitPattern) == alone.map(\.bitPattern), "\(label)")
                        let found = Array(scores[(r * scoresStride)..<(r * scoresStride + lengths[r])])
                        #expect(found.map(\.bitPattern) == aloneScores.prefix(lengths[r]).map(\.bitPattern), "\(label)")
                    }
                }
            }
        }
    }

    /// Stable pointers to each row's query, rest of keys and values, and output.
    private func withPointers(
        _ queries: [[Float]], _ restKeys: [[UInt16]], _ restValues: [[UInt16]], _ outs: inout [[Float]],
        _ body: ([UnsafePointer<Float>], [UnsafePointer<UInt16>], [UnsafePointer<UInt16>], [UnsafeMutablePointer<Float>]) -> Void
    ) {
        let q = queries.map { copy($0) }, rk = restKeys.map { copy($0) }, rv = restValues.map { copy($0) }
        let out = outs.map { row -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: row.count)
            p.initialize(from: row, count: row.count)
            return p
        }
        body(q.map { UnsafePointer($0) }, rk.map { UnsafePointer($0) }, rv.map { UnsafePointer($0) }, out)
        for r in outs.indices { outs[r] = Array(UnsafeBufferPointer(start: out[r], count: outs[r].count)) }
        q.forEach { $0.deallocate() }
        rk.forEach { $0.deallocate() }
        rv.forEach { $0.deallocate() }
        out.forEach { $0.deallocate() }
    }

    private func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
        p.initialize(from: values, count: values.count)
        return p
    }

    /// Attention over (positions, headDim) keys and values, in one part or copied into two at
    /// `split`; `path` nil is the reference.
    private static func attention(
        q: [Float], keys: [Float], values: [Float], split: Int?, headDim: Int, path: KernelPath?
    ) -> (scores: [Float], out: [Float]) {
        let positions = keys.count / headDim
        let cut = (split ?? positions) * headDim
        let keys = keys.map(Q8Kernels.halfBits), values = values.map(Q8Kernels.halfBits)
        let firstKeys = Array(keys[..<cut]) + [0], restKeys = Array(keys[cut...]) + [0]
        let firstValues = Array(values[..<cut]) + [0], restValues = Array(values[cut...]) + [0]
        var scores = [Float](repeating: .nan, count: positions)
        var out = [Float](repeating: .nan, count: headDim)
        firstKeys.withUnsafeBufferPointer { fk in restKeys.withUnsafeBufferPointer { rk in
        firstValues.withUnsafeBufferPointer { fv in restValues.withUnsafeBufferPointer { rv in
            guard let fk = fk.baseAddress, let rk = rk.baseAddress, let fv = fv.baseAddress, let rv = rv.baseAddress
            else { return }
            let rest = split.map { Q8Kernels.AttentionRest(split: $0, keys: rk, values: rv) }
            let scale = 1 / Float(headDim).squareRoot()
            if let path {
                Q8Kernels.attention(query: q, keys: fk, values: fv, rest: rest, stride: headDim, positions: positions,
                                    headDim: headDim, scale: scale, scores: &scores, into: &out, path: path)
            } else {
                Q8Kernels.attentionReference(query: q, keys: fk, values: fv, rest: rest, stride: headDim,
                                             positions: positions, headDim: headDim, scale: scale, scores: &scores,
                                             into: &out)
            }
        }}}}
        return (scores, out)
    }
}
