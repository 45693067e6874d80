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
