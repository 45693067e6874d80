import Foundation

/// A memory-mapped safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// describing the tensors, then the data region. The header is validated completely when the file
/// is opened; tensor data is read, and converted to `Float`, only when asked for.
///
/// Data offsets in safetensors need not be aligned, so every read copies or loads unaligned.
public struct SafetensorsFile: Sendable {
    /// The largest header accepted, as in the safetensors reference implementation.
    public static let maximumHeaderSize = 100_000_000

    public let url: URL
    /// The string-to-string `__metadata__` of the header (empty if there is none).
    public let metadata: [String: String]
    /// The names of all tensors, sorted.
    public let tensorNames: [String]

    private let file: MappedFile
    private let tensors: [String: SafetensorsTensorInfo]
    private let dataStart: Int

    /// Maps the file at `url` and validates its header.
    /// - Throws: `ModelFileError.unreadable` when the file cannot be read, `.invalidHeader` or
    ///   `.invalidTensorEntry` when the header is malformed.
    public init(url: URL) throws {
        let file = try MappedFile(url: url)
        let path = file.path
        let lengthSize = MemoryLayout<UInt64>.size
        guard file.size >= lengthSize else {
            throw ModelFileError.invalidHeader(
                file: path, reason: "the file has \(file.size) bytes, too few for the 8-byte header length")
        }
        let declaredLength = try file.littleEndianUInt64(at: 0)
        let available = file.size - lengthSize
        guard declaredLength <= UInt64(available) else {
            throw ModelFileError.invalidHeader(
                file: path, reason: "the header length \(declaredLength) exceeds the \(available) bytes after it")
        }
        guard declaredLength <= UInt64(Self.maximumHeaderSize) else {
            throw ModelFileError.invalidHeader(
                file: path,
                reason: "the header length \(declaredLength) exceeds the limit of \(Self.maximumHeaderSize) bytes")
        }
        let headerLength = Int(declaredLength)  // ≤ available, so it fits
        let json = try file.bytes(offset: lengthSize, count: headerLength)
        let dataStart = lengthSize + headerLength
        let header = try SafetensorsHeader(json: json, dataSize: file.size - dataStart, file: path)

        self.url = url
        self.file = file
        self.dataStart = dataStart
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.tensorNames = header.tensors.keys.sorted()
    }

    /// The dtype, shape and location of tensor `name`, or nil if the file has no such tensor.
    public func info(_ name: String) -> SafetensorsTensorInfo? {
        tensors[name]
    }

    /// The elements of tensor `name` in row-major order, converted exactly to `Float`.
    /// - Throws: `ModelFileError.missingTensor` when there is no such tensor,
    ///   `.unsupportedDType` when its dtype is not F32, F16 or BF16.
    public func floats(_ name: String) throws -> [Float] {
        guard let info = tensors[name] else {
            throw ModelFileError.missingTensor(file: file.path, tensor: name)
        }
        guard info.dtype.isReadableAsFloat else {
            throw ModelFileError.unsupportedDType(file: file.path, tensor: name, dtype: info.dtype.rawValue)
        }
        let count = info.elementCount
        let dtype = info.dtype
        // The header check guarantees count × element size == the byte count, which lies inside the file.
        return try file.withBytes(offset: dataStart + info.dataOffsets.lowerBound, count: info.dataOffsets.count) { raw in
            [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
                Self.convert(raw, dtype: dtype, into: buffer, count: count)
                initializedCount = count
            }
        }
    }

    private static func convert(
        _ raw: UnsafeRawBufferPointer, dtype: SafetensorsDType, into buffer: UnsafeMutableBufferPointer<Float>, count: Int
    ) {
        switch dtype {
        case .f32:
            #if _endian(little)
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            #else
            for index in 0..<count {
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                buffer[index] = Float(bitPattern: bits)
            }
            #endif
        case .f16:
            for index in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                buffer[index] = HalfPrecision.float(fromHalfBits: bits)
            }
        case .bf16:
            for index in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                buffer[index] = HalfPrecision.float(fromBFloat16Bits: bits)
            }
        default:
            break  // refused by the caller
        }
    }
}
