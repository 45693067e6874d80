import Foundation

/// Writes GGUF version 3 files, laid out as the `gguf` Python package's `GGUFWriter` lays them out:
/// the header, the metadata in insertion order, the tensor infos in insertion order with offsets
/// packed one after another (each tensor padded to the alignment), zero padding up to the
/// alignment, then the tensor data.
///
/// The alignment is `general.alignment` when the metadata has it (a UINT32 power of two), else 32.
/// Tensor data is produced one tensor at a time while writing, so a large model never needs all of
/// it in memory. The file is written atomically (`AtomicFileOutput`).
public struct GGUFWriter {
    public static let version: UInt32 = 3

    /// A tensor to write: its info and a function that produces its bytes when they are needed.
    public struct Tensor {
        public var name: String
        /// ggml order, ne0 first.
        public var dimensions: [Int]
        public var type: GGMLType
        public var byteCount: Int
        var bytes: () throws -> [UInt8]
    }

    public var metadata: GGUFMetadata
    public private(set) var tensors: [Tensor] = []
    private var names = Set<String>()

    public init(metadata: GGUFMetadata = GGUFMetadata()) {
        self.metadata = metadata
    }

    /// Adds a tensor after the others. `bytes` is called once, by `write`, and must return exactly
    /// the byte size the type and dimensions give (for F32 and F16 little-endian numbers).
    /// - Throws: `ModelFileError.invalidTensorEntry` (file "GGUFWriter") for a repeated name, an
    ///   unknown type, more than four dimensions, or dimensions the type cannot hold.
    public mutating func addTensor(
        name: String, dimensions: [Int], type: GGMLType, bytes: @escaping () throws -> [UInt8]
    ) throws {
        func invalid(_ reason: String) -> ModelFileError {
            .invalidTensorEntry(file: "GGUFWriter", tensor: name, reason: reason)
        }
        guard !names.contains(name) else { throw invalid("the name is used twice") }
        guard type.isKnown else { throw invalid("unknown tensor type \(type.rawValue)") }
        guard dimensions.count <= GGUFFile.maximumDimensions else {
            throw invalid("\(dimensions.count) dimensions, more than ggml's \(GGUFFile.maximumDimensions)")
        }
        guard let byteCount = type.byteCount(dimensions: dimensions) else {
            throw invalid("dimensions \(dimensions) do not fit type \(type.name)")
        }
        names.insert(name)
        tensors.append(Tensor(name: name, dimensions: dimensions, type: type, byteCount: byteCount, bytes: bytes))
    }

    /// Removes the tensor `name`, if there is one.
    public mutating func removeTensor(named name: String) {
        tensors.removeAll { $0.name == name }
        names.remove(name)
    }

    /// The alignment the file will use.
    public func alignment() throws -> Int {
        guard let value = metadata["general.alignment"] else { return GGUFFile.defaultAlignment }
        guard case .uint32(let alignment) = value, alignment > 0, alignment & (alignment - 1) == 0 else {
            throw ModelFileError.invalidMetadata(
                file: "GGUFWriter", key: "general.alignment", reason: "must be a UINT32 power of two")
        }
        return Int(alignment)
    }

    /// The bytes before the data region: header, metadata, tensor infos and the padding after them.
    public func headerBytes() throws -> [UInt8] {
        let alignment = try alignment()
        var encoder = GGUFEncoder()
        encoder.bytes.append(contentsOf: GGUFFile.magic)
        encoder.append(Self.version)
        encoder.append(UInt64(tensors.count))
        encoder.append(UInt64(metadata.count))
        for entry in metadata.entries {
            encoder.append(entry.key)
            encoder.append(entry.value.type.rawValue)
            encoder.append(entry.value)
        }
        var offset = 0
        for tensor in tensors {
            encoder.append(tensor.name)
            encoder.append(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { encoder.append(UInt64(dimension)) }
            encoder.append(tensor.type.rawValue)
            encoder.append(UInt64(offset))
            offset += Self.padded(tensor.byteCount, to: alignment)
        }
        encoder.bytes.append(contentsOf: repeatElement(0, count: Self.padded(encoder.bytes.count, to: alignment) - encoder.bytes.count))
        return encoder.bytes
    }

    /// The size of the data region (every tensor padded to the alignment).
    public func dataByteCount() throws -> Int {
        let alignment = try alignment()
        return tensors.reduce(0) { $0 + Self.padded($1.byteCount, to: alignment) }
    }

    /// Writes the file to `url` atomically. `progress` is called after the header and after each
    /// tensor with the bytes written so far and the file's total size.
    /// - Throws: `ModelFileError.unwritable`, whatever a tensor's `bytes` throws, or
    ///   `.invalidTensorEntry` when it returns the wrong number of bytes. The destination is then
    ///   left as it was.
    public func write(to url: URL, progress: ((_ written: Int, _ total: Int) -> Void)? = nil) throws {
        let alignment = try alignment()
        let header = try headerBytes()
        let total = header.count + (try dataByteCount())
        let output = try AtomicFileOutput(destination: url)
        defer { output.discard() }
        try output.write(header)
        var written = header.count
        progress?(written, total)
        for tensor in tensors {
            let bytes = try tensor.bytes()
            guard bytes.count == tensor.byteCount else {
                throw ModelFileError.invalidTensorEntry(
                    file: url.path, tensor: tensor.name,
                    reason: "\(bytes.count) bytes were produced for a tensor of \(tensor.byteCount)")
            }
            let padded = Self.padded(bytes.count, to: alignment)
            try output.write(bytes)
            try output.writeZeros(padded - bytes.count)
            written += padded
            progress?(written, total)
        }
        try output.commit()
    }

    /// `size` rounded up to a multiple of `alignment` (sizes here are far from `Int.max`).
    static func padded(_ size: Int, to alignment: Int) -> Int {
        (size + alignment - 1) / alignment * alignment
    }
}

/// Little-endian encoding of GGUF numbers, strings and values.
struct GGUFEncoder {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ string: String) {
        append(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    mutating func append(_ value: GGUFValue) {
        switch value {
        case .uint8(let number): append(number)
        case .int8(let number): append(number)
        case .uint16(let number): append(number)
        case .int16(let number): append(number)
        case .uint32(let number): append(number)
        case .int32(let number): append(number)
        case .uint64(let number): append(number)
        case .int64(let number): append(number)
        case .float32(let number): append(number.bitPattern)
        case .float64(let number): append(number.bitPattern)
        case .bool(let flag): append(UInt8(flag ? 1 : 0))
        case .string(let text): append(text)
        case .array(let array): append(array)
        }
    }

    /// An array: element type, count, elements (nested arrays the same way, without a type tag each).
    mutating func append(_ array: GGUFArray) {
        append(array.elementType.rawValue)
        append(UInt64(array.count))
        switch array {
        case .uint8(let values): bytes.append(contentsOf: values)
        case .int8(let values): values.forEach { append($0) }
        case .uint16(let values): values.forEach { append($0) }
        case .int16(let values): values.forEach { append($0) }
        case .uint32(let values): values.forEach { append($0) }
        case .int32(let values): values.forEach { append($0) }
        case .uint64(let values): values.forEach { append($0) }
        case .int64(let values): values.forEach { append($0) }
        case .float32(let values): values.forEach { append($0.bitPattern) }
        case .float64(let values): values.forEach { append($0.bitPattern) }
        case .bool(let values): values.forEach { append(UInt8($0 ? 1 : 0)) }
        case .string(let values): values.forEach { append($0) }
        case .array(let values): values.forEach { append($0) }
        }
    }
}
