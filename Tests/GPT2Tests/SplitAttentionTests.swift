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
                let scale = 1 / Float(headDim).squareRoot()
                let whole = attentionOfOneRow(q: q, keys: keys, values: values, headDim: headDim, scale: scale, path: path)
                for split in Set([0, 1, 3, positions / 2, positions - 1, positions, 16]) where split <= positions {
                    let parts = attentionOfOneRow(q: q, keys: keys, values: values, split: split, headDim: headDim,
                                                  scale: scale, path: path)
                    let label = "\(path.map(String.init(describing:)) ?? "reference") split \(split) of \(positions)"
                    #expect(parts.scores.map(\.bitPattern) == whole.scores.map(\.bitPattern), "\(label)")
                    #expect(parts.out.map(\.bitPattern) == whole.out.map(\.bitPattern), "\(label)")
                }
            }
        }
    }

    /// Several rows over one shared first part (as sequences continuing one prompt), each with
    /// its own rest and length, some shorter than the shared part: every row gets exactly the
    /// bits it gets alone on the same path.
    @Test(arguments: KernelPath.allCases)
    func rowsSharingTheirFirstPositionsGetTheBitsTheyGetAlone(path: KernelPath) {
        var random = SplitMix64(seed: 78)
        for headDim in [17, 64, 80] {
            for split in [0, 1, 6, 9, 40] {
                for lengths in [[split + 1], [split + 3, split + 1, split + 8], [split + 2, max(split - 2, 0), split, split + 5, split + 1]] {
                    func floats(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -2...2, using: &random) } }
                    func halves(_ count: Int) -> [UInt16] { floats(count).map(Q8Kernels.halfBits) + [0] }
                    let keys = StoredKeys(floats(split * headDim), headDim: headDim), values = halves(split * headDim)
                    let restKeys = lengths.map { StoredKeys(floats(max($0 - split, 0) * headDim), headDim: headDim) }
                    let restValues = lengths.map { halves(max($0 - split, 0) * headDim) }
                    let queries = lengths.map { _ in floats(headDim) }
                    let scale = 1 / Float(headDim).squareRoot()
                    let scoresStride = (lengths.max() ?? 1) + 3
                    let rows = lengths.count
                    var scores = [Float](repeating: .nan, count: rows * scoresStride)
                    var outs = [[Float]](repeating: [Float](repeating: .nan, count: headDim), count: rows)
                    var alone = outs
                    var aloneScores = [[Float]](repeating: [Float](repeating: .nan, count: scoresStride), count: rows)
                    withQueries(queries, lengths, restKeys, restValues, &outs) { each in
                        Q8Kernels.attention(rows: each, keys: keys.pointer, values: values, split: split,
                                            headDim: headDim, scale: scale, scores: &scores,
                                            scoresStride: scoresStride, path: path)
                    }
                    for r in 0..<rows {
                        withQueries([queries[r]], [lengths[r]], [restKeys[r]], [restValues[r]], &alone[r..<r + 1]) { each in
                            Q8Kernels.attention(rows: each, keys: keys.pointer, values: values, split: split,
                                                headDim: headDim, scale: scale, scores: &aloneScores[r],
                                                scoresStride: scoresStride, path: path)
                        }
                        let label = "\(path) head \(headDim) split \(split) lengths \(lengths) row \(r)"
                        #expect(outs[r].map(\.bitPattern) == alone[r].map(\.bitPattern), "\(label)")
                        let found = scores[(r * scoresStride)..<(r * scoresStride + lengths[r])]
                        #expect(found.map(\.bitPattern) == aloneScores[r].prefix(lengths[r]).map(\.bitPattern), "\(label)")
                    }
                }
            }
        }
    }

    /// The kernel's rows for `queries` (each with its length and its rest of keys and values),
    /// writing to `outs`.
    private func withQueries<Outs: MutableCollection>(
        _ queries: [[Float]], _ lengths: [Int], _ restKeys: [StoredKeys], _ restValues: [[UInt16]], _ outs: inout Outs,
        _ body: (UnsafeBufferPointer<Q8Kernels.AttentionQuery>) -> Void
    ) where Outs.Element == [Float] {
        let q = queries.map(copy), rv = restValues.map(copy), out = outs.map(copy)
        let each = queries.indices.map { r in
            Q8Kernels.AttentionQuery(q: q[r], keys_rest: restKeys[r].pointer, values_rest: rv[r],
                                     positions: Int64(lengths[r]), out: out[r])
        }
        each.withUnsafeBufferPointer(body)
        for (r, index) in outs.indices.enumerated() {
            outs[index] = Array(UnsafeBufferPointer(start: out[r], count: outs[index].count))
        }
        q.forEach { $0.deallocate() }
        rv.forEach { $0.deallocate() }
        out.forEach { $0.deallocate() }
    }

    private func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
        p.initialize(from: values, count: values.count)
        return p
    }
}
