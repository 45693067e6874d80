import Foundation

/// GPT-2 in fp32: the reference engine, exact against transformers on the same weights.
///
/// One forward pass takes the new tokens of every sequence in the batch as the rows of one
/// matrix `x` (rows, nEmbd): prefill is one sequence with many rows, batched decoding many
/// sequences with one row each, and the same code serves both.
public final class GPT2Model: LanguageModel {
    public let weights: GPT2Weights
    public var config: GPT2Config { weights.config }

    public init(weights: GPT2Weights) {
        self.weights = weights
    }

    public func makeCache(capacity: Int) -> KVCache {
        KVCache(config: config, capacity: capacity)
    }

    public func forward(tokens: [[Int32]], caches: [KVCache]) -> [[Float]] {
        let batch = ForwardBatch(tokens: tokens, caches: caches)
        let e = config.nEmbd
        var x = [Float](repeating: 0, count: batch.rows * e)           // (rows, nEmbd) residual stream
        x.withUnsafeMutableBufferPointer { xBuffer in
            guard let xp = xBuffer.baseAddress else { return }
            embed(tokens: batch.tokens, positions: batch.position, into: xp)
            var scratch = Scratch(rows: batch.rows, config: config)
            for layer in 0..<config.nLayer {
                block(layer, x: xp, batch: batch, scratch: &scratch)
            }
        }
        batch.commit()
        let selected = batch.lastRowOfSequence.flatMap { x[($0 * e)..<(($0 + 1) * e)] }
        return head(selected, count: tokens.count)
    }

    /// Buffers one forward pass needs, sized for its rows.
    private struct Scratch {
        var normed: [Float]     // (rows, nEmbd)
        var qkv: [Float]        // (rows, 3*nEmbd)
        var attention: [Float]  // (rows, nEmbd)
        var projected: [Float]  // (rows, nEmbd)
        var hidden: [Float]     // (rows, 4*nEmbd)
        var scores: [Float]     // (nPositions)

        init(rows: Int, config: GPT2Config) {
            let e = config.nEmbd
            normed = [Float](repeating: 0, count: rows * e)
            qkv = [Float](repeating: 0, count: rows * 3 * e)
            attention = normed
            projected = normed
            hidden = [Float](repeating: 0, count: rows * 4 * e)
            scores = [Float](repeating: 0, count: config.nPositions)
        }
    }

    /// x[r] = wte[token r] + wpe[position r].
    private func embed(tokens: [Int32], positions: [Int], into x: UnsafeMutablePointer<Float>) {
        let e = config.nEmbd
        weights.wte.withUnsafeBufferPointer { wte in
            weights.wpe.withUnsafeBufferPointer { wpe in
                for (r, token) in tokens.enumerated() {
                    let t = Int(token)
                    precondition(t >= 0 && t < config.vocabSize, "token id \(t) outside the vocabulary")
                    for i in 0..<e { x[r * e + i] = wte[t * e + i] + wpe[positions[r] * e + i] }
                }
            }
        }
    }

    /// One transformer block, updating the residual stream `x` (rows, nEmbd) in place.
    private func block(_ index: Int, x: UnsafeMutablePointer<Float>, batch: ForwardBatch, scratch: inout Scratch) {
        let w = weights.layers[index]
        let rows = batch.rows
        let e = config.nEmbd
        let epsilon = config.layerNormEpsilon
        scratch.normed.withUnsafeMutableBufferPointer { normed in
        scratch.qkv.withUnsafeMutableBufferPointer { qkv in
        scratch.attention.withUnsafeMutableBufferPointer { attention in
        scratch.projected.withUnsafeMutableBufferPointer { projected in
        scratch.hidden.withUnsafeMutableBufferPointer { hidden in
        scratch.scores.withUnsafeMutableBufferPointer { scores in
            guard let normed = normed.baseAddress, let qkv = qkv.baseAddress,
                  let attention = attention.baseAddress, let projected = projected.baseAddress,
                  let hidden = hidden.baseAddress, let scores = scores.baseAddress else { return }

            // Attention: ln1 → c_attn → causal self-attention over the cache → c_proj → residual.
            VectorOperations.layerNorm(x, into: normed, rows: rows, width: e,
                                       weight: w.ln1Weight, bias: w.ln1Bias, epsilon: epsilon)
            linear(normed, w.attnCAttnWeight, w.attnCAttnBias, into: qkv, rows: rows, inputs: e, outputs: 3 * e)
            for head in 0..<config.nHead { batch.storeKeysAndValues(qkv, head: head, layer: index, width: e) }
            attend(qkv, into: attention, layer: index, batch: batch, scores: scores)
            linear(attention, w.attnCProjWeight, w.attnCProjBias, into: projected, rows: rows, inputs: e, outputs: e)
            VectorOperations.add(projected, to: x, count: rows * e)

            // MLP: ln2 → c_fc → GELU → c_proj → residual.
            VectorOperations.layerNorm(x, into: normed, rows: rows, width: e,
                                       weight: w.ln2Weight, bias: w.ln2Bias, epsilon: epsilon)
            linear(normed, w.mlpCFcWeight, w.mlpCFcBias, into: hidden, rows: rows, inputs: e, outputs: 4 * e)
            VectorOperations.gelu(hidden, count: rows * 4 * e)
            linear(hidden, w.mlpCProjWeight, w.mlpCProjBias, into: projected, rows: rows, inputs: 4 * e, outputs: e)
            VectorOperations.add(projected, to: x, count: rows * e)
        }}}}}}
    }

    /// y (rows, outputs) = x (rows, inputs) · weight (inputs, outputs) + bias (outputs).
    private func linear(
        _ x: UnsafePointer<Float>, _ weight: [Float], _ bias: [Float], into y: UnsafeMutablePointer<Float>,
        rows: Int, inputs: Int, outputs: Int
    ) {
        weight.withUnsafeBufferPointer { wp in
            guard let wp = wp.baseAddress else { return }
            MatrixMultiply.multiply(x, wp, into: y, m: rows, n: outputs, k: inputs)
        }
        VectorOperations.addBias(y, rows: rows, width: outputs, bias: bias)
    }

    /// For each row and head: softmax(q · Kᵀ / sqrt(headDim)) · V over positions 0...row's position.
    private func attend(
        _ qkv: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, layer: Int, batch: ForwardBatch,
        scores: UnsafeMutablePointer<Float>
    ) {
        let e = config.nEmbd
        let d = config.headDim
        let scale = 1 / Float(d).squareRoot()
        for r in 0..<batch.rows {
            let visible = batch.position[r] + 1
            let cache = batch.caches[batch.sequence[r]]
            for h in 0..<config.nHead {
                let stored = cache.head(h, layer: layer)
                let q = qkv + r * 3 * e + h * d
                for t in 0..<visible {
                    scores[t] = VectorOperations.dot(q, stored.floatKey(t), count: d) * scale
                }
                VectorOperations.softmax(scores, count: visible)
                let out = output + r * e + h * d
                out.update(repeating: 0, count: d)
                for t in 0..<visible {
                    let p = scores[t]
                    let v = stored.floatValue(t)
                    for i in 0..<d { out[i] += p * v[i] }
                }
            }
        }
    }

    /// Final layer norm and the tied language-model head, for the selected rows only.
    private func head(_ rows: [Float], count: Int) -> [[Float]] {
        let e = config.nEmbd
        let v = config.vocabSize
        var normed = [Float](repeating: 0, count: count * e)
        var logits = [Float](repeating: 0, count: count * v)
        rows.withUnsafeBufferPointer { input in
            normed.withUnsafeMutableBufferPointer { normed in
                logits.withUnsafeMutableBufferPointer { logits in
                    weights.wte.withUnsafeBufferPointer { wte in
                        guard let input = input.baseAddress, let normed = normed.baseAddress,
                              let logits = logits.baseAddress, let wte = wte.baseAddress else { return }
                        VectorOperations.layerNorm(input, into: normed, rows: count, width: e,
                                                   weight: weights.lnFWeight, bias: weights.lnFBias,
                                                   epsilon: config.layerNormEpsilon)
                        MatrixMultiply.multiplyTransposed(normed, wte, into: logits, m: count, n: v, k: e)
                    }
                }
            }
        }
        return (0..<count).map { Array(logits[($0 * v)..<(($0 + 1) * v)]) }
    }
}
