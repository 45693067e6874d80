import Foundation
import GPT2

/// A tiny GPT-2 checkpoint in transformers' layout, built in memory and written into a folder:
/// 2 layers, 2 heads, 4 embedding dimensions, 6 positions, 10 tokens.
struct TinyCheckpoint {
    static let config = GPT2Config(nLayer: 2, nHead: 2, nEmbd: 4, nPositions: 6, vocabSize: 10, layerNormEpsilon: 1e-5)

    /// "F32", "F16" or "BF16".
    var dtype = "F32"
    /// Whether body tensors are named `transformer.…` (GPT2LMHeadModel) or not (GPT2Model).
    var prefixed = true
    /// Whether an `lm_head.weight` copy of `wte` is stored (filled with different values).
    var includesHead = false
    /// Whether each block stores the old `attn.bias` / `attn.masked_bias` buffers.
    var includesMaskBuffers = false
    /// Tensor names (without prefix) to leave out.
    var omitted: Set<String> = []
    /// Tensors (named without prefix) to store instead of the regular ones.
    var replacements: [String: TestTensor] = [:]
    /// Further tensors, named exactly as given.
    var extras: [TestTensor] = []

    /// The values stored for `tensor`: distinct per tensor, multiples of 1/8 between -3.75 and 3.75,
    /// so exactly representable in F16 and BF16 too.
    static func values(of tensor: GPT2TensorName) -> [Float] {
        let all = GPT2TensorName.all(nLayer: config.nLayer)
        let index = all.firstIndex(of: tensor) ?? 0
        let count = tensor.shape(for: config).reduce(1, *)
        return (0..<count).map { element in Float((index * 13 + element * 7) % 61 - 30) / 8 }
    }

    func tensors() -> [TestTensor] {
        let prefix = prefixed ? "transformer." : ""
        var tensors: [TestTensor] = []
        if includesHead {
            let head = GPT2TensorName.wte
            tensors.append(encode("lm_head.weight", Self.values(of: head).map { $0 + 1 }, shape: head.shape(for: Self.config)))
        }
        for tensor in GPT2TensorName.all(nLayer: Self.config.nLayer) {
            let name = Self.checkpointName(of: tensor)
            if omitted.contains(name) { continue }
            if let replacement = replacements[name] {
                var renamed = replacement
                renamed.name = prefix + name
                tensors.append(renamed)
                continue
            }
            tensors.append(encode(prefix + name, Self.values(of: tensor), shape: tensor.shape(for: Self.config)))
        }
        if includesMaskBuffers {
            let positions = Self.config.nPositions
            for layer in 0..<Self.config.nLayer {
                let mask = (0..<positions * positions).map { UInt8($0 % positions <= $0 / positions ? 1 : 0) }
                tensors.append(TestTensor(
                    name: "\(prefix)h.\(layer).attn.bias", dtype: "BOOL", shape: [1, 1, positions, positions], bytes: mask))
                tensors.append(.f32("\(prefix)h.\(layer).attn.masked_bias", [-1e4], shape: []))
            }
        }
        return tensors + extras
    }

    /// transformers' name for `tensor` (without prefix), spelled out here independently of the
    /// library's table so that the tests check that table.
    static func checkpointName(of tensor: GPT2TensorName) -> String {
        switch tensor {
        case .wte: return "wte.weight"
        case .wpe: return "wpe.weight"
        case .lnFWeight: return "ln_f.weight"
        case .lnFBias: return "ln_f.bias"
        case .layer(let index, let name):
            let suffix: String
            switch name {
            case .ln1Weight: suffix = "ln_1.weight"
            case .ln1Bias: suffix = "ln_1.bias"
            case .attnCAttnWeight: suffix = "attn.c_attn.weight"
            case .attnCAttnBias: suffix = "attn.c_attn.bias"
            case .attnCProjWeight: suffix = "attn.c_proj.weight"
            case .attnCProjBias: suffix = "attn.c_proj.bias"
            case .ln2Weight: suffix = "ln_2.weight"
            case .ln2Bias: suffix = "ln_2.bias"
            case .mlpCFcWeight: suffix = "mlp.c_fc.weight"
            case .mlpCFcBias: suffix = "mlp.c_fc.bias"
            case .mlpCProjWeight: suffix = "mlp.c_proj.weight"
            case .mlpCProjBias: suffix = "mlp.c_proj.bias"
            }
            return "h.\(index).\(suffix)"
        }
    }

    func safetensorsBytes() -> [UInt8] {
        SafetensorsWriter.file(tensors())
    }

    /// Writes `config.json` and `model.safetensors` into `directory`.
    func write(to directory: TemporaryDirectory, configChanges: [String: String?] = [:]) throws {
        try directory.write(Self.configJSON(changing: configChanges), to: "config.json")
        try directory.write(safetensorsBytes(), to: "model.safetensors")
    }

    private func encode(_ name: String, _ values: [Float], shape: [Int]) -> TestTensor {
        switch dtype {
        case "F16": return .f16(name, bits: values.map(halfBits(exactly:)), shape: shape)
        case "BF16": return .bf16(name, bits: values.map { UInt16($0.bitPattern >> 16) }, shape: shape)
        default: return .f32(name, values, shape: shape)
        }
    }

    /// A transformers-style `config.json` for `config`, with fields replaced (raw JSON text) or,
    /// for nil, removed.
    static func configJSON(changing changes: [String: String?] = [:]) -> String {
        var fields: [String: String] = [
            "activation_function": "\"gelu_new\"",
            "architectures": "[\"GPT2LMHeadModel\"]",
            "attn_pdrop": "0.1",
            "bos_token_id": "9",
            "eos_token_id": "9",
            "initializer_range": "0.02",
            "layer_norm_epsilon": "1e-05",
            "model_type": "\"gpt2\"",
            "n_embd": "4",
            "n_head": "2",
            "n_inner": "null",
            "n_layer": "2",
            "n_positions": "6",
            "reorder_and_upcast_attn": "false",
            "scale_attn_by_inverse_layer_idx": "false",
            "scale_attn_weights": "true",
            "transformers_version": "\"5.0.0\"",
            "use_cache": "true",
            "vocab_size": "10",
        ]
        for (field, value) in changes {
            if let value {
                fields[field] = value
            } else {
                fields.removeValue(forKey: field)
            }
        }
        let lines = fields.keys.sorted().map { "  \"\($0)\": \(fields[$0] ?? "null")" }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }
}

/// The binary16 bit pattern of `value`, which must be zero or a normal half with at most 10
/// significant mantissa bits (true of every value the tests store as F16).
func halfBits(exactly value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    if value == 0 { return sign }
    let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
    let mantissa = UInt16((bits >> 13) & 0x3FF)
    return sign | UInt16(exponent) << 10 | mantissa
}

extension GPT2Weights {
    /// The array holding `tensor`, for comparisons in tests.
    func array(_ tensor: GPT2TensorName) -> [Float] {
        switch tensor {
        case .wte: return wte
        case .wpe: return wpe
        case .lnFWeight: return lnFWeight
        case .lnFBias: return lnFBias
        case .layer(let index, let name):
            let layer = layers[index]
            switch name {
            case .ln1Weight: return layer.ln1Weight
            case .ln1Bias: return layer.ln1Bias
            case .attnCAttnWeight: return layer.attnCAttnWeight
            case .attnCAttnBias: return layer.attnCAttnBias
            case .attnCProjWeight: return layer.attnCProjWeight
            case .attnCProjBias: return layer.attnCProjBias
            case .ln2Weight: return layer.ln2Weight
            case .ln2Bias: return layer.ln2Bias
            case .mlpCFcWeight: return layer.mlpCFcWeight
            case .mlpCFcBias: return layer.mlpCFcBias
            case .mlpCProjWeight: return layer.mlpCProjWeight
            case .mlpCProjBias: return layer.mlpCProjBias
            }
        }
    }
}
