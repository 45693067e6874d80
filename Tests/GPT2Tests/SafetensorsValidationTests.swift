import Foundation
import Testing
import GPT2

/// Malformed safetensors files must be refused with a `ModelFileError`, never crash.
struct SafetensorsValidationTests {
    private func expectRefusal(_ bytes: [UInt8], as kind: ModelFileErrorKind, mentioning text: String? = nil,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ModelFileError.self, sourceLocation: sourceLocation) { try openSafetensors(bytes) }
        #expect(error?.kind == kind, "\(String(describing: error))", sourceLocation: sourceLocation)
        if let text {
            #expect(error?.description.contains(text) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        }
    }

    private func header(_ entries: String...) -> String {
        "{" + entries.joined(separator: ", ") + "}"
    }

    private func entry(_ name: String = "x", dtype: String = "F32", shape: [Int] = [2], offsets: [Int] = [0, 8]) -> String {
        SafetensorsWriter.entry(name, dtype: dtype, shape: shape, offsets: offsets)
    }

    private let eightBytes = [UInt8](repeating: 0, count: 8)

    @Test func filesShorterThanTheLengthPrefixAreRefused() {
        for size in 0..<8 {
            expectRefusal([UInt8](repeating: 0, count: size), as: .invalidHeader, mentioning: "\(size) bytes")
        }
    }

    @Test func headerLengthLargerThanTheFileIsRefused() {
        let valid = SafetensorsWriter.file([.f32("x", [1, 2], shape: [2])])
        var bytes = valid
        bytes.replaceSubrange(0..<8, with: littleEndianBytes(UInt64(valid.count - 7)))
        expectRefusal(bytes, as: .invalidHeader, mentioning: "exceeds")
        bytes.replaceSubrange(0..<8, with: littleEndianBytes(UInt64.max))
        expectRefusal(bytes, as: .invalidHeader, mentioning: "exceeds")
    }

    @Test func headerLengthAboveTheLimitIsRefusedEvenIfTheFileIsThatLarge() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write(littleEndianBytes(UInt64(SafetensorsFile.maximumHeaderSize + 1)), to: "big.safetensors")
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(SafetensorsFile.maximumHeaderSize + 64))  // sparse
        try handle.close()
        let error = #expect(throws: ModelFileError.self) { try SafetensorsFile(url: url) }
        #expect(error?.kind == .invalidHeader)
        #expect(error?.description.contains("limit") == true)
    }

    @Test(arguments: ["", "not json", "{\"x\": ", "{}}", "\u{0}{}", "{'x': 1}"])
    func headersThatAreNotJSONAreRefused(text: String) {
        expectRefusal(SafetensorsWriter.file(header: text, data: []), as: .invalidHeader, mentioning: "JSON")
    }

    @Test(arguments: ["[]", "1", "\"text\"", "null", "true"])
    func headersThatAreNotObjectsAreRefused(text: String) {
        expectRefusal(SafetensorsWriter.file(header: text, data: []), as: .invalidHeader, mentioning: "not a JSON object")
    }

    @Test func headerThatIsNotUTF8IsRefused() {
        var bytes = SafetensorsWriter.file(header: "{\"x\": 1}", data: [])
        bytes[10] = 0xFF
        expectRefusal(bytes, as: .invalidHeader)
    }

    @Test func deeplyNestedHeaderIsRefusedWithoutCrashing() {
        let depth = 100_000
        let text = "{\"x\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        expectRefusal(SafetensorsWriter.file(header: text, data: []), as: .invalidHeader)
    }

    @Test(arguments: [
        ("{\"x\": 5}", "not an object"),
        ("{\"x\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", "\"dtype\" is missing"),
        ("{\"x\": {\"dtype\": 32, \"shape\": [2], \"data_offsets\": [0, 8]}}", "\"dtype\" is an integer"),
        ("{\"x\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", "\"shape\" is missing"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": \"2\", \"data_offsets\": [0, 8]}}", "\"shape\" is a string"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 8]}}", "non-negative integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [true], \"data_offsets\": [0, 8]}}", "non-negative integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", "non-negative integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2]}}", "\"data_offsets\" is missing"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8, 8]}}", "two integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": 8}}", "two integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [\"0\", \"8\"]}}", "two non-negative integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [-8, 0]}}", "two non-negative integers"),
        ("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 1e30]}}", "two non-negative integers"),
    ])
    func malformedEntriesAreRefusedNamingTensorAndField(text: String, reason: String) {
        expectRefusal(SafetensorsWriter.file(header: text, data: eightBytes), as: .invalidTensorEntry, mentioning: reason)
        expectRefusal(SafetensorsWriter.file(header: text, data: eightBytes), as: .invalidTensorEntry, mentioning: "\"x\"")
    }

    @Test(arguments: ["F33", "f32", "FLOAT", "", "Q8_0"])
    func unknownDTypesAreRefused(dtype: String) {
        let bytes = SafetensorsWriter.file(header: header(entry(dtype: dtype)), data: eightBytes)
        expectRefusal(bytes, as: .invalidTensorEntry, mentioning: "unknown dtype")
    }

    @Test func offsetsOutsideTheDataRegionAreRefused() {
        expectRefusal(SafetensorsWriter.file(header: header(entry(offsets: [8, 16])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "past the end")
        expectRefusal(SafetensorsWriter.file(header: header(entry(offsets: [Int.max - 7, Int.max])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "past the end")
    }

    @Test func tensorNamedTwiceIsRefused() {
        let text = header(entry("a", offsets: [0, 8]), entry("a", offsets: [8, 16]))
        expectRefusal(SafetensorsWriter.file(header: text, data: eightBytes + eightBytes),
                      as: .invalidHeader, mentioning: "duplicate key \"a\"")
    }

    @Test func reversedOffsetsAreRefused() {
        expectRefusal(SafetensorsWriter.file(header: header(entry(offsets: [8, 0])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "end before they begin")
    }

    @Test func overlappingTensorsAreRefused() {
        let text = header(entry("a", offsets: [0, 8]), entry("b", offsets: [4, 12]))
        expectRefusal(SafetensorsWriter.file(header: text, data: eightBytes + [0, 0, 0, 0]),
                      as: .invalidTensorEntry, mentioning: "overlaps that of tensor \"a\"")
        let same = header(entry("a", offsets: [0, 8]), entry("b", offsets: [0, 8]))
        expectRefusal(SafetensorsWriter.file(header: same, data: eightBytes), as: .invalidTensorEntry, mentioning: "overlaps")
    }

    @Test func gapsAndTrailingBytesInTheDataRegionAreRefused() {
        let gap = header(entry("a", offsets: [0, 8]), entry("b", offsets: [12, 20]))
        expectRefusal(SafetensorsWriter.file(header: gap, data: eightBytes + eightBytes + [0, 0, 0, 0]),
                      as: .invalidTensorEntry, mentioning: "unused bytes")
        expectRefusal(SafetensorsWriter.file(header: header(entry()), data: eightBytes + [0]),
                      as: .invalidHeader, mentioning: "cover 8 bytes")
    }

    @Test func elementCountThatDisagreesWithTheByteCountIsRefused() {
        expectRefusal(SafetensorsWriter.file(header: header(entry(shape: [3])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "needs 12 bytes")
        expectRefusal(SafetensorsWriter.file(header: header(entry(dtype: "F16", shape: [2])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "needs 4 bytes")
    }

    @Test func shapesWhoseSizeOverflowsAreRefused() {
        let huge = 1 << 40
        expectRefusal(SafetensorsWriter.file(header: header(entry(shape: [huge, huge])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "too many elements")
        expectRefusal(SafetensorsWriter.file(header: header(entry(dtype: "F64", shape: [1 << 61])), data: eightBytes),
                      as: .invalidTensorEntry, mentioning: "too large")
        expectRefusal(SafetensorsWriter.file(header: header(entry(shape: [huge, huge, 0], offsets: [0, 0])), data: []),
                      as: .invalidTensorEntry, mentioning: "too many elements")
    }

    @Test func metadataMustMapStringsToStrings() {
        expectRefusal(SafetensorsWriter.file(header: "{\"__metadata__\": {\"format\": 1}}", data: []),
                      as: .invalidHeader, mentioning: "\"format\"")
        expectRefusal(SafetensorsWriter.file(header: "{\"__metadata__\": [\"pt\"]}", data: []),
                      as: .invalidHeader, mentioning: "__metadata__")
    }

    @Test func everyTruncationOfAValidFileIsRefused() throws {
        let tensors: [TestTensor] = [
            .f32("a", [1, 2, 3], shape: [3]),
            .f16("b", bits: [0x3C00], shape: [1]),
            .bf16("c", bits: [0x3F80, 0x4000], shape: [2]),
        ]
        let valid = SafetensorsWriter.file(tensors, metadata: ["format": "pt"])
        #expect(try openSafetensors(valid).tensorNames == ["a", "b", "c"])
        for length in 0..<valid.count {
            #expect(throws: ModelFileError.self, "length \(length)") { try openSafetensors(Array(valid.prefix(length))) }
        }
    }
}
