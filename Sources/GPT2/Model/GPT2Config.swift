/// The hyper-parameters of a GPT-2 checkpoint, as `config.json` (or GGUF metadata) states them.
public struct GPT2Config: Sendable, Equatable, Codable {
    public var nLayer: Int
    public var nHead: Int
    public var nEmbd: Int
    /// Context size: positions the model has embeddings for (`n_positions`).
    public var nPositions: Int
    public var vocabSize: Int
    public var layerNormEpsilon: Float

    public init(nLayer: Int, nHead: Int, nEmbd: Int, nPositions: Int, vocabSize: Int, layerNormEpsilon: Float = 1e-5) {
        self.nLayer = nLayer
        self.nHead = nHead
        self.nEmbd = nEmbd
        self.nPositions = nPositions
        self.vocabSize = vocabSize
        self.layerNormEpsilon = layerNormEpsilon
    }

    public var headDim: Int { nEmbd / nHead }
}
