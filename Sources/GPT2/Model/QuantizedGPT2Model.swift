import Foundation

/// GPT-2 with Q8_0 weights: the engine the playground runs.
///
/// The same steps as `GPT2Model`, but every matrix product multiplies Q8_0 weights by
/// activations quantized to Q8_0 per block of 32, on the worker pool split by output rows, with
/// all rows of the batch sharing each weight load. Buffers are kept between calls, so decoding
/// allocates nothing per token once they have grown to the largest batch seen.
public final class QuantizedGPT2Model: LanguageModel {
    public let weights: QuantizedGPT2Weights
    public let pool: WorkerPool
    public var config: GPT2Config { weights.config }
    private var scratch = QuantizedScratch()

    /// The matrices are copied, tiled, into one arena of anonymous memory first (see `Q8Arena`).
    public init(weights: QuantizedGPT2Weights, threads: Int) {
        pool = WorkerPool(threadCount: threads)
        self.weights = weights.tiledIntoArena(pool: pool)
    }

    /// Keys in Q8_0 and values in fp16 (see `KVCache`).
    public func makeCache(capacity: Int) -> KVCache {
        KVCache(config: config, capacity: capacity, precision: .quantized)
    }

    public func forward(tokens: [[Int32]], caches: [KVCache]) -> [[Float]] {
        let batch = ForwardBatch(tokens: tokens, caches: caches)
        let e = config.nEmbd
        scratch.reserve(rows: batch.rows, config: config, workers: pool.activeThreads)
        let buffers = scratch.pointers
        embed(tokens: batch.tokens, positions: batch.position, into: buffers.x)
        let groups = batch.attentionGroups(limit: Self.attentionRowsPerCall)
        for layer in weights.layers.indices {
            block(layer, batch: batch, groups: groups, buffers: buffers)
        }
        batch.commit()
        // The LM head only for each sequence's last row: gather them, then one product.
        for (i, row) in batch.lastRowOfSequence.enumerated() {
            (buffers.normedInput + i * e).update(from: buffers.x + row * e, count: e)
        }
        return head(count: batch.lastRowOfSequence.count, buffers: buffers)
    }

    private func embed(tokens: [Int32], positions: [Int], into x: UnsafeMutablePointer<Float>) {
        let e = config.nEmbd
        let table = weights.tokenEmbedding
        weights.positionEmbedding.withUnsafeBufferPointer { wpe in
            for (r, token) in tokens.enumerated() {
                let t = Int(token)
                precondition(t >= 0 && t < config.vocabSize, "token id \(t) outside the vocabulary")
                let row = x + r * e
                table.dequantize(row: t, into: row)
                for i in 0..<e { row[i] += wpe[positions[r] * e + i] }
            }
        }
    }

    private func block(_ index: Int, batch: ForwardBatch, groups: [[Int]], buffers: QuantizedScratch.Pointers) {
        let w = weights.layers[index]
        let e = config.nEmbd
        let rows = batch.rows
        let epsilon = config.layerNormEpsilon

        VectorOperations.layerNorm(buffers.x, into: buffers.normed, rows: rows, width: e,
                                   weight: w.ln1Weight, bias: w.ln1Bias, epsilon: epsilon)
        linear(buffers.normed, w.attnQKV, w.attnQKVBias, into: buffers.qkv, rows: rows, buffers: buffers)
        attend(buffers.qkv, into: buffers.attention, layer: index, batch: batch, groups: groups, scores: buffers.scores)
        linear(buffers.attention, w.attnOutput, w.attnOutputBias, into: buffers.projected, rows: rows, buffers: buffers)
        VectorOperations.add(buffers.projected, to: buffers.x, count: rows * e)

        VectorOperations.layerNorm(buffers.x, into: buffers.normed, rows: rows, width: e,
                                   weight: w.ln2Weight, bias: w.ln2Bias, epsilon: epsilon)
        linear(buffers.normed, w.ffnUp, w.ffnUpBias, into: buffers.hidden, rows: rows, buffers: buffers)
        // GELU, then the Q8_0 blocks the down projection reads: each worker on its own part (whole
        // blocks: the parts are multiples of 1024 values, and rows of 4 × nEmbd hold whole blocks).
        pool.parallelFor(rows * 4 * e, granularity: 1024) { range in
            let part = buffers.hidden + range.lowerBound
            Q8Kernels.gelu(part, count: range.count)
            Q8Kernels.quantizeRows(part, into: buffers.quantized + range.lowerBound / Q8Matrix.blockValues * Q8Matrix.blockBytes,
                                   rows: 1, columns: range.count)
        }
        product(w.ffnDown, w.ffnDownBias, into: buffers.projected, rows: rows, buffers: buffers)
        VectorOperations.add(buffers.projected, to: buffers.x, count: rows * e)
    }

    /// y (rows, w.rows) = x (rows, w.columns) · Wᵀ + bias, with x quantized to Q8_0 first.
    private func linear(
        _ x: UnsafeMutablePointer<Float>, _ w: Q8Matrix, _ bias: [Float], into y: UnsafeMutablePointer<Float>,
        rows: Int, buffers: QuantizedScratch.Pointers
    ) {
        Q8Kernels.quantizeRows(x, into: buffers.quantized, rows: rows, columns: w.columns)
        product(w, bias, into: y, rows: rows, buffers: buffers)
    }

    /// y (rows, w.rows) = x · Wᵀ + bias for x already quantized in `buffers.quantized`, on the pool.
    private func product(
        _ w: Q8Matrix, _ bias: [Float], into y: UnsafeMutablePointer<Float>, rows: Int,
        buffers: QuantizedScratch.Pointers
    ) {
        bias.withUnsafeBufferPointer { bias in
            pool.parallelFor(w.rows, granularity: 4 * Q8Kernels.tileRows) { range in
                Q8Kernels.multiply(w, activations: buffers.quantized, rows: rows, bias: bias.baseAddress,
                                   into: y, yStride: w.rows, outputs: range)
            }
        }
    }

    /// Rows of a group that one attention call takes (the scratch holds their scores).
    static let attentionRowsPerCall = 3

    /// Causal self-attention over the quantized cache, the heads spread over the pool: each worker
    /// stores its heads' new keys and values (from `qkv`) in the caches, then attends with every
    /// row of those heads, a group of rows at a time. The rows of a group share their caches'
    /// first positions (sequences continuing one prompt), which the kernel reads once for all.
    private func attend(
        _ qkv: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>, layer: Int, batch: ForwardBatch,
        groups: [[Int]], scores: UnsafeMutablePointer<Float>
    ) {
        let e = config.nEmbd
        let d = config.headDim
        let heads = config.nHead
        let positions = config.nPositions
        let scale = 1 / Float(d).squareRoot()
        let perCall = Self.attentionRowsPerCall
        pool.run { worker in
            let workers = pool.activeThreads
            let myScores = scores + worker * perCall * positions
            let mine = (heads * worker / workers)..<(heads * (worker + 1) / workers)
            let rows = batch.rows
            // Each row's cache for each of my heads, looked up once; every store's memory is asked
            // for before any is written, so that their misses overlap.
            var cached: [KVHead] = []
            cached.reserveCapacity(mine.count * rows)
            for h in mine {
                for r in 0..<rows {
                    let head = batch.caches[batch.sequence[r]].head(h, layer: layer)
                    head.prefetchStore(position: batch.position[r])
                    cached.append(head)
                }
            }
            withUnsafeTemporaryAllocation(of: Q8Kernels.AttentionQuery.self, capacity: perCall) { queries in
                for (index, h) in mine.enumerated() {
                    let own = cached[(index * rows)..<((index + 1) * rows)]
                    for (r, head) in zip(0..<rows, own) {
                        let row = qkv + r * 3 * e + h * d
                        head.store(key: row + e, value: row + 2 * e, position: batch.position[r])
                    }
                    for group in groups {
                        let shared = own[own.startIndex + group[0]]
                        for (i, r) in group.enumerated() {
                            let head = own[own.startIndex + r]
                            queries[i] = Q8Kernels.AttentionQuery(
                                q: qkv + r * 3 * e + h * d, keys_rest: head.ownKeys, values_rest: head.ownHalfValues,
                                positions: Int64(batch.position[r] + 1), out: output + r * e + h * d)
                        }
                        Q8Kernels.attention(
                            rows: UnsafeBufferPointer(rebasing: queries[..<group.count]), keys: shared.keys,
                            values: shared.halfValues, split: shared.split, headDim: d, scale: scale,
                            scores: myScores, scoresStride: positions)
                    }
                }
            }
        }
    }

    /// Final layer norm and the LM head over the gathered rows in `normedInput`: one product for
    /// all of them, so each weight is read once. With several rows, each worker then copies its
    /// part of every row's logits, still in its cache, into that row's own array.
    private func head(count: Int, buffers: QuantizedScratch.Pointers) -> [[Float]] {
        let e = config.nEmbd
        let v = config.vocabSize
        VectorOperations.layerNorm(buffers.normedInput, into: buffers.normed, rows: count, width: e,
                                   weight: weights.lnFWeight, bias: weights.lnFBias, epsilon: config.layerNormEpsilon)
        Q8Kernels.quantizeRows(buffers.normed, into: buffers.quantized, rows: count, columns: e)
        func product(into y: UnsafeMutablePointer<Float>, outputs: Range<Int>) {
            Q8Kernels.multiply(weights.output, activations: buffers.quantized, rows: count, bias: nil,
                               into: y, yStride: v, outputs: outputs)
        }
        let granularity = 4 * Q8Kernels.tileRows
        // Every logit is written by the product, so no array is zeroed first.
        if count == 1 {
            return Self.uninitializedArrays(1, length: v) { rows in
                pool.parallelFor(v, granularity: granularity) { product(into: rows[0], outputs: $0) }
            }
        }
        let all = UnsafeMutablePointer<Float>.allocate(capacity: count * v)
        defer { all.deallocate() }
        return Self.uninitializedArrays(count, length: v) { rows in
            pool.parallelFor(v, granularity: granularity) { range in
                product(into: all, outputs: range)
                for (r, row) in rows.enumerated() {
                    (row + range.lowerBound).update(from: all + r * v + range.lowerBound, count: range.count)
                }
            }
        }
    }

    /// `count` arrays of `length` (at least 1) floats, left uninitialized for `fill`, which must
    /// write every element of each.
    private static func uninitializedArrays(
        _ count: Int, length: Int, fill: ([UnsafeMutablePointer<Float>]) -> Void
    ) -> [[Float]] {
        precondition(length > 0)
        func make(_ made: [UnsafeMutablePointer<Float>], _ fill: ([UnsafeMutablePointer<Float>]) -> Void) -> [[Float]] {
            guard made.count < count else {
                fill(made)
                return []
            }
            var rest: [[Float]] = []
            let array = [Float](unsafeUninitializedCapacity: length) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                rest = make(made + [base], fill)
                initialized = length
            }
            return [array] + rest
        }
        return make([], fill)
    }
}

/// The int8 engine's working memory, grown to the largest batch seen and then reused.
private struct QuantizedScratch {
    struct Pointers {
        var x: UnsafeMutablePointer<Float>            // (rows, nEmbd) residual stream
        var normed: UnsafeMutablePointer<Float>       // (rows, nEmbd)
        var normedInput: UnsafeMutablePointer<Float>  // (rows, nEmbd) rows gathered for the head
        var qkv: UnsafeMutablePointer<Float>          // (rows, 3*nEmbd)
        var attention: UnsafeMutablePointer<Float>    // (rows, nEmbd)
        var projected: UnsafeMutablePointer<Float>    // (rows, nEmbd)
        var hidden: UnsafeMutablePointer<Float>       // (rows, 4*nEmbd)
        var quantized: UnsafeMutableRawPointer        // (rows, 4*nEmbd / 32) Q8_0 blocks
        var scores: UnsafeMutablePointer<Float>       // (workers, attentionRowsPerCall, nPositions)
    }

    private var storage = ScratchStorage()
    private(set) var rows = 0

    var pointers: Pointers { storage.pointers }

    mutating func reserve(rows needed: Int, config: GPT2Config, workers: Int) {
        guard needed > rows else { return }
        let grown = max(needed, rows * 2)
        storage = ScratchStorage(rows: grown, config: config, workers: workers)
        rows = grown
    }
}

/// Owns the scratch allocations (one class so they are freed together).
private final class ScratchStorage {
    let pointers: QuantizedScratch.Pointers
    private let allocations: [UnsafeMutableRawPointer]

    convenience init() {
        self.init(rows: 0, config: GPT2Config(nLayer: 0, nHead: 1, nEmbd: 32, nPositions: 1, vocabSize: 1), workers: 1)
    }

    init(rows: Int, config: GPT2Config, workers: Int) {
        let e = config.nEmbd
        var allocations: [UnsafeMutableRawPointer] = []
        func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
            allocations.append(raw)
            return raw.bindMemory(to: Float.self, capacity: max(count, 1))
        }
        let quantized = UnsafeMutableRawPointer.allocate(
            byteCount: max(rows * 4 * e / Q8Matrix.blockValues * Q8Matrix.blockBytes, 1), alignment: 64)
        allocations.append(quantized)
        pointers = QuantizedScratch.Pointers(
            x: floats(rows * e), normed: floats(rows * e), normedInput: floats(rows * e),
            qkv: floats(rows * 3 * e), attention: floats(rows * e), projected: floats(rows * e),
            hidden: floats(rows * 4 * e), quantized: quantized,
            scores: floats(workers * QuantizedGPT2Model.attentionRowsPerCall * config.nPositions))
        self.allocations = allocations
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }
}
