import Foundation

/// One tensor to write: its declared dtype and shape and its raw little-endian bytes.
struct TestTensor {
    var name: String
    var dtype: String
    var shape: [Int]
    var bytes: [UInt8]

    static func f32(_ name: String, _ values: [Float], shape: [Int]) -> TestTensor {
        TestTensor(name: name, dtype: "F32", shape: shape, bytes: values.flatMap { littleEndianBytes($0.bitPattern) })
    }

    static func f16(_ name: String, bits: [UInt16], shape: [Int]) -> TestTensor {
        TestTensor(name: name, dtype: "F16", shape: shape, bytes: bits.flatMap { littleEndianBytes($0) })
    }

    static func bf16(_ name: String, bits: [UInt16], shape: [Int]) -> TestTensor {
        TestTensor(name: name, dtype: "BF16", shape: shape, bytes: bits.flatMap { littleEndianBytes($0) })
    }
}

func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// Writes safetensors files the way the format describes them, with knobs for breaking them.
enum SafetensorsWriter {
    /// A well-formed file: tensors laid out back to back in the given order.
    /// `headerPadding` spaces are appended to the JSON (which moves the data region's alignment).
    static func file(_ tensors: [TestTensor], metadata: [String: String]? = nil, headerPadding: Int = 0) -> [UInt8] {
        var entries: [String] = []
        if let metadata {
            let fields = metadata.keys.sorted().map { "\(quoted($0)): \(quoted(metadata[$0] ?? ""))" }
            entries.append("\"__metadata__\": {\(fields.joined(separator: ", "))}")
        }
        var offset = 0
        var data: [UInt8] = []
        for tensor in tensors {
            let end = offset + tensor.bytes.count
            entries.append(entry(tensor.name, dtype: tensor.dtype, shape: tensor.shape, offsets: [offset, end]))
            data += tensor.bytes
            offset = end
        }
        let header = "{" + entries.joined(separator: ", ") + "}" + String(repeating: " ", count: headerPadding)
        return file(header: header, data: data)
    }

    /// A file with a hand-written header: the length prefix (the header's true length unless
    /// `declaredLength` says otherwise), the header bytes and the data.
    static func file(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let headerBytes = Array(header.utf8)
        return littleEndianBytes(declaredLength ?? UInt64(headerBytes.count)) + headerBytes + data
    }

    /// One header entry as JSON text.
    static func entry(_ name: String, dtype: String, shape: [Int], offsets: [Int]) -> String {
        "\(quoted(name)): {\"dtype\": \(quoted(dtype)), \"shape\": \(shape), \"data_offsets\": \(offsets)}"
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
