import Foundation

/// A memory-mapped GGUF file (versions 2 and 3, little-endian): the header, the metadata in file
/// order, the tensor infos, and bounds-checked access to each tensor's bytes in the data region.
///
/// Everything but the tensor data is read and validated when the file is opened; a malformed file
/// (truncated anywhere, wrong magic or version, impossible counts or lengths, unknown value or
/// tensor types, sizes that overflow, tensors outside the data region, misaligned or overlapping,
/// duplicate keys or names) is a `ModelFileError` naming the file and the key or tensor.
public struct GGUFFile: Sendable {
    /// "GGUF" as the first four bytes.
    public static let magic: [UInt8] = Array("GGUF".utf8)
    public static let supportedVersions: ClosedRange<UInt32> = 2...3
    public static let defaultAlignment = 32
    /// ggml tensors have at most four dimensions.
    public static let maximumDimensions = 4

    public let url: URL
    public let version: UInt32
    public let metadata: GGUFMetadata
    /// The tensors in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, or 32.
    public let alignment: Int
    /// Where the data region begins in the file.
    public let dataOffset: Int

    let file: MappedFile
    private let indexByName: [String: Int]

    /// Maps the file at `url` and validates everything but the tensor values.
    /// - Throws: `ModelFileError.unreadable`, `.invalidGGUF`, `.invalidMetadata` or `.invalidTensorEntry`.
    public init(url: URL) throws {
        let file = try MappedFile(url: url)
        let contents = try file.unsafeBytes(offset: 0, count: file.size)
        var parser = Parser(path: file.path, bytes: contents)
        let parsed = try parser.parse()
        self.url = url
        self.file = file
        self.version = parsed.version
        self.metadata = parsed.metadata
        self.tensors = parsed.tensors
        self.alignment = parsed.alignment
        self.dataOffset = parsed.dataOffset
        var indexByName: [String: Int] = [:]
        for (index, tensor) in parsed.tensors.enumerated() { indexByName[tensor.name] = index }
        self.indexByName = indexByName
    }

    /// The path, as used in error messages.
    public var path: String { file.path }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The tensor `name` or `ModelFileError.missingTensor`.
    public func requireTensor(_ name: String) throws -> GGUFTensorInfo {
        guard let info = tensor(named: name) else {
            throw ModelFileError.missingTensor(file: path, tensor: name)
        }
        return info
    }

    /// Calls `body` with the raw bytes of `tensor` (any alignment; valid only inside `body`).
    public func withBytes<Result>(of tensor: GGUFTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        try body(try unsafeBytes(of: tensor))
    }

    /// The raw bytes of `tensor` in the mapping, valid as long as `mappedFile` lives.
    func unsafeBytes(of tensor: GGUFTensorInfo) throws -> UnsafeRawBufferPointer {
        let (start, overflow) = dataOffset.addingReportingOverflow(tensor.offset)
        guard !overflow else {
            throw ModelFileError.invalidTensorEntry(file: path, tensor: tensor.name, reason: "its offset is too large")
        }
        return try file.unsafeBytes(offset: start, count: tensor.byteCount)
    }

    /// The memory map, to own data used in place.
    var mappedFile: MappedFile { file }
}

// MARK: - Parsing

extension GGUFFile {
    private struct Parsed {
        var version: UInt32
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    private struct Parser {
        static let alignmentKey = "general.alignment"
        /// The smallest metadata entry: an 8-byte key length, a 1-byte key, a 4-byte type, a 1-byte value.
        static let minimumEntrySize = 14
        /// The smallest tensor info: name length, a 1-byte name, n_dims, type and offset.
        static let minimumTensorInfoSize = 25

        var path: String
        var reader: GGUFByteReader

        init(path: String, bytes: UnsafeRawBufferPointer) {
            self.path = path
            self.reader = GGUFByteReader(bytes: bytes)
        }

        private func invalid(_ reason: String) -> ModelFileError {
            .invalidGGUF(file: path, reason: reason)
        }

        /// Runs `body` on the reader, turning a read failure into `wrap(reason)`.
        private mutating func reading<T>(
            _ wrap: (String) -> ModelFileError, _ body: (inout GGUFByteReader) throws(GGUFReadFailure) -> T
        ) throws -> T {
            do {
                return try body(&reader)
            } catch {
                throw wrap(error.reason)
            }
        }

        mutating func parse() throws -> Parsed {
            let path = path
            let invalid = { (reason: String) in ModelFileError.invalidGGUF(file: path, reason: reason) }
            let header = try reading(invalid) { reader throws(GGUFReadFailure) in
                guard reader.remaining >= 4 else {
                    throw GGUFReadFailure(reason: "the file has \(reader.remaining) bytes, too few for the magic \"GGUF\"")
                }
                let magic = try (0..<4).map { _ throws(GGUFReadFailure) in try reader.read(UInt8.self, "the magic") }
                guard magic == GGUFFile.magic else {
                    let shown = magic.map { String(format: "%02X", $0) }.joined(separator: " ")
                    throw GGUFReadFailure(reason: "the file does not begin with \"GGUF\" (found bytes \(shown))")
                }
                let version = try reader.read(UInt32.self, "the version")
                guard GGUFFile.supportedVersions.contains(version) else {
                    if GGUFFile.supportedVersions.contains(version.byteSwapped) {
                        throw GGUFReadFailure(reason: "big-endian GGUF files are not supported")
                    }
                    throw GGUFReadFailure(reason: "version \(version) is not supported (only 2 and 3)")
                }
                let tensorCount = try reader.read(UInt64.self, "the tensor count")
                let entryCount = try reader.read(UInt64.self, "the metadata count")
                return (version, tensorCount, entryCount)
            }
            let (version, tensorCount, entryCount) = header

            // Each entry and tensor info takes some bytes, so the counts are bounded by the file size.
            guard entryCount <= UInt64(reader.remaining / Self.minimumEntrySize) else {
                throw invalid("the header claims \(entryCount) metadata entries, more than the \(reader.remaining) bytes left could hold")
            }
            guard tensorCount <= UInt64(reader.remaining / Self.minimumTensorInfoSize) else {
                throw invalid("the header claims \(tensorCount) tensors, more than the \(reader.remaining) bytes left could hold")
            }

            let metadata = try parseMetadata(count: Int(entryCount))
            let alignment = try alignment(in: metadata)
            let infos = try parseTensorInfos(count: Int(tensorCount))

            // The data region begins at the next multiple of the alignment after the tensor infos.
            let end = reader.position
            let (padded, overflow) = end.addingReportingOverflow(alignment - 1)
            guard !overflow else { throw invalid("the tensor infos end too late") }
            let dataOffset = padded / alignment * alignment
            let dataSize = max(reader.bytes.count - dataOffset, 0)
            let tensors = try checkLayout(infos, alignment: alignment, dataSize: dataSize)
            return Parsed(version: version, metadata: metadata, tensors: tensors, alignment: alignment, dataOffset: dataOffset)
        }

        private mutating func parseMetadata(count: Int) throws -> GGUFMetadata {
            let path = path
            let invalid = { (reason: String) in ModelFileError.invalidGGUF(file: path, reason: reason) }
            var metadata = GGUFMetadata()
            for index in 0..<count {
                let key = try reading(invalid) { reader throws(GGUFReadFailure) in
                    try reader.readString("the key of metadata entry \(index)")
                }
                guard !key.isEmpty else { throw invalid("metadata entry \(index) has an empty key") }
                let value = try reading({ ModelFileError.invalidMetadata(file: path, key: key, reason: $0) }) {
                    reader throws(GGUFReadFailure) in
                    let type = try reader.readValueType("the value")
                    return try reader.readValue(of: type)
                }
                guard metadata.append(key, value) else {
                    throw ModelFileError.invalidMetadata(file: path, key: key, reason: "the key appears more than once")
                }
            }
            return metadata
        }

        private func alignment(in metadata: GGUFMetadata) throws -> Int {
            guard let value = metadata[Self.alignmentKey] else { return GGUFFile.defaultAlignment }
            guard case .uint32(let alignment) = value else {
                throw ModelFileError.invalidMetadata(
                    file: path, key: Self.alignmentKey, reason: "expected a UINT32, found \(value.typeDescription)")
            }
            guard alignment > 0, alignment & (alignment - 1) == 0 else {
                throw ModelFileError.invalidMetadata(
                    file: path, key: Self.alignmentKey, reason: "\(alignment) is not a power of two")
            }
            return Int(alignment)
        }

        private struct RawTensorInfo {
            var name: String
            var dimensions: [UInt64]
            var type: UInt32
            var offset: UInt64
        }

        private mutating func parseTensorInfos(count: Int) throws -> [RawTensorInfo] {
            let path = path
            let invalid = { (reason: String) in ModelFileError.invalidGGUF(file: path, reason: reason) }
            var infos: [RawTensorInfo] = []
            infos.reserveCapacity(count)
            var names = Set<String>()
            for index in 0..<count {
                let name = try reading(invalid) { reader throws(GGUFReadFailure) in
                    try reader.readString("the name of tensor \(index)")
                }
                let info = try reading({ ModelFileError.invalidTensorEntry(file: path, tensor: name, reason: $0) }) {
                    reader throws(GGUFReadFailure) in
                    let dimensionCount = try reader.read(UInt32.self, "the number of dimensions")
                    guard dimensionCount <= GGUFFile.maximumDimensions else {
                        throw GGUFReadFailure(reason: "\(dimensionCount) dimensions, more than ggml's \(GGUFFile.maximumDimensions)")
                    }
                    var dimensions: [UInt64] = []
                    for _ in 0..<dimensionCount {
                        dimensions.append(try reader.read(UInt64.self, "the dimensions"))
                    }
                    let type = try reader.read(UInt32.self, "the type")
                    let offset = try reader.read(UInt64.self, "the offset")
                    return RawTensorInfo(name: name, dimensions: dimensions, type: type, offset: offset)
                }
                guard names.insert(name).inserted else {
                    throw ModelFileError.invalidTensorEntry(file: path, tensor: name, reason: "the name appears more than once")
                }
                infos.append(info)
            }
            return infos
        }

        /// Checks each tensor's type, size and place, and that no two tensors share bytes.
        private func checkLayout(_ infos: [RawTensorInfo], alignment: Int, dataSize: Int) throws -> [GGUFTensorInfo] {
            var tensors: [GGUFTensorInfo] = []
            tensors.reserveCapacity(infos.count)
            for raw in infos {
                func invalid(_ reason: String) -> ModelFileError {
                    .invalidTensorEntry(file: path, tensor: raw.name, reason: reason)
                }
                let type = GGMLType(rawValue: raw.type)
                guard let blockValues = type.blockValues else {
                    throw invalid("unknown tensor type \(raw.type)")
                }
                var dimensions: [Int] = []
                var elementCount = 1
                for value in raw.dimensions {
                    guard let dimension = Int(exactly: value) else {
                        throw invalid("dimension \(value) is too large")
                    }
                    let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
                    guard !overflow else { throw invalid("dimensions \(raw.dimensions) have too many elements") }
                    elementCount = product
                    dimensions.append(dimension)
                }
                guard (dimensions.first ?? 1) % blockValues == 0 else {
                    throw invalid("ne0 = \(dimensions.first ?? 1) is not a multiple of \(type.name)'s block of \(blockValues)")
                }
                guard let byteCount = type.byteCount(dimensions: dimensions) else {
                    throw invalid("dimensions \(dimensions) of type \(type.name) are too large")
                }
                guard let offset = Int(exactly: raw.offset), offset % alignment == 0 else {
                    throw invalid("offset \(raw.offset) is not a multiple of the alignment \(alignment)")
                }
                let (end, overflow) = offset.addingReportingOverflow(byteCount)
                guard !overflow, end <= dataSize else {
                    throw invalid("its \(byteCount) bytes at offset \(raw.offset) reach past the end of the data region"
                        + " (\(dataSize) bytes)")
                }
                tensors.append(GGUFTensorInfo(
                    name: raw.name, dimensions: dimensions, type: type, offset: offset,
                    elementCount: elementCount, byteCount: byteCount))
            }
            let ordered = tensors.filter { $0.byteCount > 0 }.sorted { $0.offset < $1.offset }
            for (previous, next) in zip(ordered, ordered.dropFirst()) where next.offset < previous.offset + previous.byteCount {
                throw ModelFileError.invalidTensorEntry(
                    file: path, tensor: next.name, reason: "its data overlaps that of tensor \"\(previous.name)\"")
            }
            return tensors
        }
    }
}
