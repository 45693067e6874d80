/// What a GGUF file of GPT-2 stores its weight matrices as (`gpt2-tui quantize --type`).
/// Vectors, norms and the position embedding stay F32 in every case, as llama.cpp's converter keeps them.
public enum GGUFFileType: String, Sendable, CaseIterable {
    case f32
    case f16
    case q8_0

    /// llama.cpp's `llama_ftype` number, stored as `general.file_type`.
    public var fileTypeID: UInt32 {
        switch self {
        case .f32: return 0  // LLAMA_FTYPE_ALL_F32
        case .f16: return 1  // LLAMA_FTYPE_MOSTLY_F16
        case .q8_0: return 7  // LLAMA_FTYPE_MOSTLY_Q8_0
        }
    }

    /// The type of weight matrices whose rows are whole Q8_0 blocks.
    public var matrixType: GGMLType {
        switch self {
        case .f32: return .f32
        case .f16: return .f16
        case .q8_0: return .q8_0
        }
    }

    /// The type llama.cpp's converter gives tensor `name` with `dimensions` (ne0 first) in a file of
    /// this type: F32 for vectors, norms, the position embedding and anything not named `.weight`;
    /// the file's type for other matrices, except that a matrix whose rows are not whole Q8_0 blocks
    /// falls back to F16.
    func tensorType(name: String, dimensions: [Int]) -> GGMLType {
        if dimensions.count <= 1 || name.hasSuffix("_norm.weight") || !name.hasSuffix(".weight")
            || name == GGUFTensorNames.name(of: .wpe) {
            return .f32
        }
        if self == .q8_0, (dimensions.first ?? 0) % Q8_0.blockValues != 0 {
            return .f16
        }
        return matrixType
    }
}
