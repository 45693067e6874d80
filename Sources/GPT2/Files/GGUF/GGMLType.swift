/// A ggml tensor type, by the number GGUF files store. Every type ggml defines is known by name
/// and block layout, so the byte size of any tensor can be checked; only `F32`, `F16` and `Q8_0`
/// can be read as numbers here.
public struct GGMLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let f32 = GGMLType(rawValue: 0)
    public static let f16 = GGMLType(rawValue: 1)
    public static let q8_0 = GGMLType(rawValue: 8)

    /// The types gpt2-tui reads, in the order messages list them.
    public static let readable: [GGMLType] = [.f32, .f16, .q8_0]
    static let readableTypeNames = readable.map(\.name).joined(separator: ", ")

    public var isReadable: Bool { Self.readable.contains(self) }

    /// Name, values per block and bytes per block of each type ggml defines (ggml.h's `ggml_type`
    /// and gguf-py's `GGML_QUANT_SIZES`). Numbers missing here were removed from ggml.
    private static let layouts: [UInt32: (name: String, blockValues: Int, blockBytes: Int)] = [
        0: ("F32", 1, 4),
        1: ("F16", 1, 2),
        2: ("Q4_0", 32, 18),
        3: ("Q4_1", 32, 20),
        6: ("Q5_0", 32, 22),
        7: ("Q5_1", 32, 24),
        8: ("Q8_0", 32, 34),
        9: ("Q8_1", 32, 36),
        10: ("Q2_K", 256, 84),
        11: ("Q3_K", 256, 110),
        12: ("Q4_K", 256, 144),
        13: ("Q5_K", 256, 176),
        14: ("Q6_K", 256, 210),
        15: ("Q8_K", 256, 292),
        16: ("IQ2_XXS", 256, 66),
        17: ("IQ2_XS", 256, 74),
        18: ("IQ3_XXS", 256, 98),
        19: ("IQ1_S", 256, 50),
        20: ("IQ4_NL", 32, 18),
        21: ("IQ3_S", 256, 110),
        22: ("IQ2_S", 256, 82),
        23: ("IQ4_XS", 256, 136),
        24: ("I8", 1, 1),
        25: ("I16", 1, 2),
        26: ("I32", 1, 4),
        27: ("I64", 1, 8),
        28: ("F64", 1, 8),
        29: ("IQ1_M", 256, 56),
        30: ("BF16", 1, 2),
        34: ("TQ1_0", 256, 54),
        35: ("TQ2_0", 256, 66),
        39: ("MXFP4", 32, 17),
        40: ("NVFP4", 64, 36),
        41: ("Q1_0", 128, 18),
        42: ("Q2_0", 64, 18),
    ]

    /// Whether ggml defines this type number.
    public var isKnown: Bool { Self.layouts[rawValue] != nil }

    /// `Q8_0`, or `type 77` for a number ggml does not define.
    public var name: String { Self.layouts[rawValue]?.name ?? "type \(rawValue)" }

    public var description: String { name }

    /// Values per block (1 for plain number types); nil for an unknown type.
    public var blockValues: Int? { Self.layouts[rawValue]?.blockValues }

    /// Bytes per block; nil for an unknown type.
    public var blockBytes: Int? { Self.layouts[rawValue]?.blockBytes }

    /// The bytes of a tensor of this type with `dimensions` (ne0 first), or nil when the type is
    /// unknown, a dimension is negative, ne0 is not a whole number of blocks, or the size
    /// overflows `Int`.
    public func byteCount(dimensions: [Int]) -> Int? {
        guard let layout = Self.layouts[rawValue] else { return nil }
        guard dimensions.allSatisfy({ $0 >= 0 }) else { return nil }
        let rowValues = dimensions.first ?? 1
        guard rowValues % layout.blockValues == 0 else { return nil }
        var size = rowValues / layout.blockValues
        for dimension in dimensions.dropFirst() {
            let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            size = product
        }
        let (bytes, overflow) = size.multipliedReportingOverflow(by: layout.blockBytes)
        return overflow ? nil : bytes
    }
}
