/// A weight matrix in ggml's Q8_0 format: each row of `columns` values is `columns / 32` blocks
/// of 34 bytes, a little-endian fp16 scale `d` then 32 int8 values `q`, meaning `d × q`. Rows are
/// output features, columns input features, so `y = W · x` reads each row once: the layout
/// llama.cpp's converter gives GPT-2's matrices. The engine multiplies by the same blocks
/// rearranged into tiles of 16 rows (`Layout.tiles`, made by `Q8Arena`).
public struct Q8Matrix: @unchecked Sendable {
    // @unchecked: the bytes are never written after creation, and `owner` keeps them alive.
    public static let blockValues = 32
    public static let blockBytes = 34

    /// Where the blocks are.
    public enum Layout: Sendable {
        /// Row after row, as in a GGUF file.
        case rows
        /// In tiles of 16 rows (`Q8Kernels.tile`), as the matrix product reads them.
        case tiles
    }

    public let rows: Int
    public let columns: Int
    public let layout: Layout
    /// The blocks, `byteCount` bytes.
    public let bytes: UnsafeRawPointer
    /// Whatever owns `bytes`: a memory-mapped file, a buffer made when quantizing, an arena.
    public let owner: AnyObject

    public init(rows: Int, columns: Int, layout: Layout = .rows, bytes: UnsafeRawPointer, owner: AnyObject) {
        precondition(columns % Self.blockValues == 0, "Q8_0 rows are whole blocks of 32")
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.bytes = bytes
        self.owner = owner
    }

    public var blocksPerRow: Int { columns / Self.blockValues }

    public var byteCount: Int {
        switch layout {
        case .rows: rows * blocksPerRow * Self.blockBytes
        case .tiles: Q8Kernels.tiledBytes(rows: rows, columns: columns)
        }
    }

    /// Row `row` as `columns` floats in `y`, `d × q` (exact).
    func dequantize(row: Int, into y: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "row \(row) outside the matrix")
        switch layout {
        case .rows: Q8Kernels.dequantizeRow(bytes + row * blocksPerRow * Self.blockBytes, into: y, columns: columns)
        case .tiles: Q8Kernels.dequantizeTiledRow(bytes, row: row, columns: columns, into: y)
        }
    }
}

/// One transformer block for the int8 engine: matrices in Q8_0 as (out, in), vectors in fp32.
public struct QuantizedLayerWeights: Sendable {
    public var ln1Weight: [Float]     // (nEmbd)
    public var ln1Bias: [Float]       // (nEmbd)
    public var attnQKV: Q8Matrix      // (3*nEmbd, nEmbd)
    public var attnQKVBias: [Float]   // (3*nEmbd)
    public var attnOutput: Q8Matrix   // (nEmbd, nEmbd)
    public var attnOutputBias: [Float] // (nEmbd)
    public var ln2Weight: [Float]     // (nEmbd)
    public var ln2Bias: [Float]       // (nEmbd)
    public var ffnUp: Q8Matrix        // (4*nEmbd, nEmbd)
    public var ffnUpBias: [Float]     // (4*nEmbd)
    public var ffnDown: Q8Matrix      // (nEmbd, 4*nEmbd)
    public var ffnDownBias: [Float]   // (nEmbd)

    public init(
        ln1Weight: [Float], ln1Bias: [Float], attnQKV: Q8Matrix, attnQKVBias: [Float],
        attnOutput: Q8Matrix, attnOutputBias: [Float], ln2Weight: [Float], ln2Bias: [Float],
        ffnUp: Q8Matrix, ffnUpBias: [Float], ffnDown: Q8Matrix, ffnDownBias: [Float]
    ) {
        self.ln1Weight = ln1Weight
        self.ln1Bias = ln1Bias
        self.attnQKV = attnQKV
        self.attnQKVBias = attnQKVBias
        self.attnOutput = attnOutput
        self.attnOutputBias = attnOutputBias
        self.ln2Weight = ln2Weight
        self.ln2Bias = ln2Bias
        self.ffnUp = ffnUp
        self.ffnUpBias = ffnUpBias
        self.ffnDown = ffnDown
        self.ffnDownBias = ffnDownBias
    }
}

/// A whole GPT-2 for the int8 engine.
public struct QuantizedGPT2Weights: Sendable {
    public var config: GPT2Config
    public var tokenEmbedding: Q8Matrix   // (vocabSize, nEmbd): rows looked up by token id
    public var positionEmbedding: [Float] // (nPositions, nEmbd)
    public var layers: [QuantizedLayerWeights]
    public var lnFWeight: [Float]         // (nEmbd)
    public var lnFBias: [Float]           // (nEmbd)
    public var output: Q8Matrix           // (vocabSize, nEmbd): the LM head (GPT-2 ties it to the embedding)

    public init(
        config: GPT2Config, tokenEmbedding: Q8Matrix, positionEmbedding: [Float], layers: [QuantizedLayerWeights],
        lnFWeight: [Float], lnFBias: [Float], output: Q8Matrix
    ) {
        self.config = config
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.layers = layers
        self.lnFWeight = lnFWeight
        self.lnFBias = lnFBias
        self.output = output
    }
}
