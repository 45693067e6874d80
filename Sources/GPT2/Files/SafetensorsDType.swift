/// The element types a safetensors header may name. All of them are parsed (so the byte size of
/// every tensor can be checked); only `F32`, `F16` and `BF16` can be read as floats.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"
    case c64 = "C64"

    /// The size of one element in bits (sub-byte types pack several elements per byte).
    public var bitSize: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .f64, .i64, .u64, .c64: return 64
        }
    }

    /// Whether `SafetensorsFile.floats(_:)` converts this type.
    public var isReadableAsFloat: Bool {
        switch self {
        case .f32, .f16, .bf16: return true
        default: return false
        }
    }
}
