/// One GGUF metadata value.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// The value of any integer type, if it fits in `Int`.
    public var integer: Int? {
        switch self {
        case .uint8(let value): return Int(value)
        case .int8(let value): return Int(value)
        case .uint16(let value): return Int(value)
        case .int16(let value): return Int(value)
        case .uint32(let value): return Int(value)
        case .int32(let value): return Int(value)
        case .uint64(let value): return Int(exactly: value)
        case .int64(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// The value of a float32 or float64.
    public var floatingPoint: Double? {
        switch self {
        case .float32(let value): return Double(value)
        case .float64(let value): return value
        default: return nil
        }
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var array: GGUFArray? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The type for messages: `UINT32`, or `ARRAY[STRING]` for arrays.
    public var typeDescription: String {
        if case .array(let array) = self { return "ARRAY[\(array.elementTypeDescription)]" }
        return type.name
    }
}

/// A GGUF metadata array: all elements of one type, which an empty array keeps too.
/// Arrays of arrays hold arrays of possibly different element types, as the format allows.
public enum GGUFArray: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case float32([Float])
    case bool([Bool])
    case string([String])
    case array([GGUFArray])
    case uint64([UInt64])
    case int64([Int64])
    case float64([Double])

    public var elementType: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let values): return values.count
        case .int8(let values): return values.count
        case .uint16(let values): return values.count
        case .int16(let values): return values.count
        case .uint32(let values): return values.count
        case .int32(let values): return values.count
        case .float32(let values): return values.count
        case .bool(let values): return values.count
        case .string(let values): return values.count
        case .array(let values): return values.count
        case .uint64(let values): return values.count
        case .int64(let values): return values.count
        case .float64(let values): return values.count
        }
    }

    public var strings: [String]? {
        if case .string(let values) = self { return values }
        return nil
    }

    /// The elements of an array of any integer type, if each fits in `Int`.
    public var integers: [Int]? {
        switch self {
        case .uint8(let values): return values.map { Int($0) }
        case .int8(let values): return values.map { Int($0) }
        case .uint16(let values): return values.map { Int($0) }
        case .int16(let values): return values.map { Int($0) }
        case .uint32(let values): return values.map { Int($0) }
        case .int32(let values): return values.map { Int($0) }
        case .uint64(let values):
            var result: [Int] = []
            result.reserveCapacity(values.count)
            for value in values {
                guard let exact = Int(exactly: value) else { return nil }
                result.append(exact)
            }
            return result
        case .int64(let values): return values.map { Int($0) }
        default: return nil
        }
    }

    /// `STRING`, or `ARRAY[…]` for arrays of arrays (the first element's type, when there is one).
    var elementTypeDescription: String {
        if case .array(let values) = self {
            return values.first.map { "ARRAY[\($0.elementTypeDescription)]" } ?? "ARRAY"
        }
        return elementType.name
    }
}
