/// Why a read from a GGUF file failed, before the reader names the key or tensor it was reading.
struct GGUFReadFailure: Error {
    var reason: String
}

/// A cursor over the bytes of a GGUF file, reading the format's little-endian numbers, strings
/// and metadata values. Every read first checks that the bytes are there, and every count is
/// checked against the bytes left before anything is allocated for it.
struct GGUFByteReader {
    /// Arrays nested deeper than this are refused (real files nest none), so a malicious file
    /// cannot exhaust the stack with thousands of nested array headers.
    static let maximumArrayDepth = 16

    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws(GGUFReadFailure) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw GGUFReadFailure(reason: "the file ends inside \(what()) (\(remaining) of \(size) bytes at offset \(position))")
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }

    /// A count stored as UInt64, refused unless `count × elementSize` bytes can still follow.
    mutating func readCount(elementSize: Int, _ what: @autoclosure () -> String) throws(GGUFReadFailure) -> Int {
        let raw = try read(UInt64.self, "the length of \(what())")
        let limit = remaining / max(elementSize, 1)
        guard raw <= UInt64(limit) else {
            throw GGUFReadFailure(reason: "\(what()) claims \(raw) "
                + (elementSize == 1 ? "bytes" : "elements of at least \(elementSize) bytes")
                + ", but only \(remaining) bytes follow")
        }
        return Int(raw)  // ≤ limit, so it fits
    }

    /// A string: a UInt64 byte length, then that many bytes of UTF-8 (no terminator).
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFReadFailure) -> String {
        let length = try readCount(elementSize: 1, what())
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)])
        let text = String(decoding: utf8, as: UTF8.self)
        // Decoding repairs invalid UTF-8; refuse it instead of changing the text.
        guard text.utf8.count == length, text.utf8.elementsEqual(utf8) else {
            throw GGUFReadFailure(reason: "\(what()) is not valid UTF-8")
        }
        position += length
        return text
    }

    mutating func readValueType(_ what: @autoclosure () -> String) throws(GGUFReadFailure) -> GGUFValueType {
        let raw = try read(UInt32.self, "the type of \(what())")
        guard let type = GGUFValueType(rawValue: raw) else {
            throw GGUFReadFailure(reason: "\(what()) has unknown value type \(raw)")
        }
        return type
    }

    /// A value of `type`; `depth` counts the arrays it is nested in.
    mutating func readValue(of type: GGUFValueType, depth: Int = 0) throws(GGUFReadFailure) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, "the value"))
        case .int8: return .int8(try read(Int8.self, "the value"))
        case .uint16: return .uint16(try read(UInt16.self, "the value"))
        case .int16: return .int16(try read(Int16.self, "the value"))
        case .uint32: return .uint32(try read(UInt32.self, "the value"))
        case .int32: return .int32(try read(Int32.self, "the value"))
        case .uint64: return .uint64(try read(UInt64.self, "the value"))
        case .int64: return .int64(try read(Int64.self, "the value"))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, "the value")))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, "the value")))
        case .bool: return .bool(try readBool())
        case .string: return .string(try readString("the string"))
        case .array: return .array(try readArray(depth: depth + 1))
        }
    }

    private mutating func readBool() throws(GGUFReadFailure) -> Bool {
        let byte = try read(UInt8.self, "the value")
        guard byte <= 1 else { throw GGUFReadFailure(reason: "a bool is \(byte), neither 0 nor 1") }
        return byte == 1
    }

    /// An array: its element type, a UInt64 count, then the elements.
    mutating func readArray(depth: Int) throws(GGUFReadFailure) -> GGUFArray {
        guard depth <= Self.maximumArrayDepth else {
            throw GGUFReadFailure(reason: "arrays are nested more than \(Self.maximumArrayDepth) deep")
        }
        let elementType = try readValueType("the array elements")
        let count = try readCount(elementSize: elementType.minimumEncodedSize, "the array")
        switch elementType {
        case .uint8: return .uint8(try readNumbers(UInt8.self, count: count))
        case .int8: return .int8(try readNumbers(Int8.self, count: count))
        case .uint16: return .uint16(try readNumbers(UInt16.self, count: count))
        case .int16: return .int16(try readNumbers(Int16.self, count: count))
        case .uint32: return .uint32(try readNumbers(UInt32.self, count: count))
        case .int32: return .int32(try readNumbers(Int32.self, count: count))
        case .uint64: return .uint64(try readNumbers(UInt64.self, count: count))
        case .int64: return .int64(try readNumbers(Int64.self, count: count))
        case .float32: return .float32(try readNumbers(UInt32.self, count: count).map { Float(bitPattern: $0) })
        case .float64: return .float64(try readNumbers(UInt64.self, count: count).map { Double(bitPattern: $0) })
        case .bool:
            var values: [Bool] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readBool()) }
            return .bool(values)
        case .string:
            var values: [String] = []
            values.reserveCapacity(count)
            for index in 0..<count { values.append(try readString("array element \(index)")) }
            return .string(values)
        case .array:
            var values: [GGUFArray] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readArray(depth: depth + 1)) }
            return .array(values)
        }
    }

    /// `count` numbers, already checked by `readCount` to fit in the bytes left.
    private mutating func readNumbers<T: FixedWidthInteger>(_ type: T.Type, count: Int) throws(GGUFReadFailure) -> [T] {
        let size = MemoryLayout<T>.size
        guard count <= remaining / size else {
            throw GGUFReadFailure(reason: "the file ends inside an array")
        }
        let start = position
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                buffer[index] = T(littleEndian: bytes.loadUnaligned(fromByteOffset: start + index * size, as: T.self))
            }
            initialized = count
        }
        position += count * size
        return values
    }
}
