/// The validated JSON header of a safetensors file: each tensor's dtype, shape and place in the
/// data region, and the optional string-to-string `__metadata__`.
struct SafetensorsHeader: Sendable {
    static let metadataKey = "__metadata__"

    var tensors: [String: SafetensorsTensorInfo]
    var metadata: [String: String]

    /// Parses and validates `json`, the header of `file`, whose data region is `dataSize` bytes.
    ///
    /// Checks that the header is a JSON object; that every entry has a known `dtype`, a `shape` of
    /// non-negative integers and two `data_offsets` with begin ≤ end ≤ `dataSize`; that the shape's
    /// byte size (overflow-checked) equals end − begin; and that the tensors, in offset order, cover
    /// the data region exactly, without overlaps or gaps (as the safetensors reference does).
    init(json: [UInt8], dataSize: Int, file: String) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(json)
        } catch {
            throw ModelFileError.invalidHeader(file: file, reason: error.reason)
        }
        guard case .object(let entries) = root else {
            throw ModelFileError.invalidHeader(file: file, reason: "the header is \(root.kindDescription), not a JSON object")
        }

        var metadata: [String: String] = [:]
        var tensors: [String: SafetensorsTensorInfo] = [:]
        for name in entries.keys.sorted() {
            guard let value = entries[name] else { continue }
            if name == Self.metadataKey {
                metadata = try Self.parseMetadata(value, file: file)
            } else {
                tensors[name] = try Self.parseEntry(value, name: name, dataSize: dataSize, file: file)
            }
        }
        try Self.checkLayout(tensors, dataSize: dataSize, file: file)
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws -> [String: String] {
        guard case .object(let fields) = value else {
            throw ModelFileError.invalidHeader(
                file: file, reason: "\"\(metadataKey)\" is \(value.kindDescription), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, field) in fields {
            guard case .string(let text) = field else {
                throw ModelFileError.invalidHeader(
                    file: file, reason: "\"\(metadataKey)\" field \"\(key)\" is \(field.kindDescription), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseEntry(
        _ value: JSONValue, name: String, dataSize: Int, file: String
    ) throws -> SafetensorsTensorInfo {
        func invalid(_ reason: String) -> ModelFileError {
            .invalidTensorEntry(file: file, tensor: name, reason: reason)
        }
        guard case .object(let fields) = value else {
            throw invalid("the header entry is \(value.kindDescription), not an object")
        }

        guard let dtypeValue = fields["dtype"] else { throw invalid("\"dtype\" is missing") }
        guard case .string(let dtypeName) = dtypeValue else {
            throw invalid("\"dtype\" is \(dtypeValue.kindDescription), not a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw invalid("unknown dtype \"\(dtypeName)\"")
        }

        guard let shapeValue = fields["shape"] else { throw invalid("\"shape\" is missing") }
        guard case .array(let dimensionValues) = shapeValue else {
            throw invalid("\"shape\" is \(shapeValue.kindDescription), not an array")
        }
        var shape: [Int] = []
        shape.reserveCapacity(dimensionValues.count)
        for dimensionValue in dimensionValues {
            guard case .integer(let dimension) = dimensionValue, dimension >= 0 else {
                throw invalid("\"shape\" must hold non-negative integers, found \(dimensionValue.kindDescription)"
                    + Self.integerSuffix(dimensionValue))
            }
            shape.append(dimension)
        }

        guard let offsetsValue = fields["data_offsets"] else { throw invalid("\"data_offsets\" is missing") }
        guard case .array(let offsetValues) = offsetsValue, offsetValues.count == 2 else {
            throw invalid("\"data_offsets\" must be an array of two integers [begin, end]")
        }
        guard case .integer(let begin) = offsetValues[0], case .integer(let end) = offsetValues[1],
              begin >= 0, end >= 0 else {
            throw invalid("\"data_offsets\" must hold two non-negative integers")
        }
        guard begin <= end else {
            throw invalid("\"data_offsets\" [\(begin), \(end)] end before they begin")
        }
        guard end <= dataSize else {
            throw invalid("\"data_offsets\" [\(begin), \(end)] reach past the end of the data (\(dataSize) bytes)")
        }

        var elementCount = 1
        for dimension in shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("shape \(shape) has too many elements") }
            elementCount = product
        }
        let (bitCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.bitSize)
        guard !overflow else { throw invalid("shape \(shape) is too large for dtype \(dtype.rawValue)") }
        guard bitCount % 8 == 0 else {
            throw invalid("shape \(shape) of dtype \(dtype.rawValue) does not fill a whole number of bytes")
        }
        let byteCount = bitCount / 8
        guard byteCount == end - begin else {
            throw invalid("shape \(shape) of dtype \(dtype.rawValue) needs \(byteCount) bytes,"
                + " but \"data_offsets\" [\(begin), \(end)] span \(end - begin)")
        }
        return SafetensorsTensorInfo(dtype: dtype, shape: shape, elementCount: elementCount, dataOffsets: begin..<end)
    }

    /// The tensors, sorted by offsets, must tile the data region: each one begins where the
    /// previous one ended, and the last one ends at the end of the file.
    private static func checkLayout(_ tensors: [String: SafetensorsTensorInfo], dataSize: Int, file: String) throws {
        let ordered = tensors.sorted { left, right in
            let a = left.value.dataOffsets
            let b = right.value.dataOffsets
            if a.lowerBound != b.lowerBound { return a.lowerBound < b.lowerBound }
            if a.upperBound != b.upperBound { return a.upperBound < b.upperBound }
            return left.key < right.key
        }
        var position = 0
        var previous: String?
        for (name, info) in ordered {
            let begin = info.dataOffsets.lowerBound
            if begin < position {
                throw ModelFileError.invalidTensorEntry(
                    file: file, tensor: name, reason: "its data overlaps that of tensor \"\(previous ?? "")\"")
            }
            if begin > position {
                throw ModelFileError.invalidTensorEntry(
                    file: file, tensor: name,
                    reason: "its data begins at \(begin), leaving unused bytes from \(position)")
            }
            position = info.dataOffsets.upperBound
            previous = name
        }
        guard position == dataSize else {
            throw ModelFileError.invalidHeader(
                file: file,
                reason: "the tensors cover \(position) bytes of data, but the file holds \(dataSize) after the header")
        }
    }

    private static func integerSuffix(_ value: JSONValue) -> String {
        if case .integer(let number) = value { return " \(number)" }
        return ""
    }
}
