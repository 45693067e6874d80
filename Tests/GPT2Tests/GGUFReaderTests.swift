import Foundation
import Testing
@testable import GPT2

/// Reading GGUF files: every value type, tensor infos and data, and a clear error for each way a
/// file can be malformed.
struct GGUFReaderTests {
    static let everyValue: [(String, GGUFValue)] = [
        ("u8", .uint8(200)), ("i8", .int8(-100)), ("u16", .uint16(60000)), ("i16", .int16(-30000)),
        ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)), ("f32", .float32(0.1)),
        ("bool", .bool(true)), ("string", .string("héllo, 世界 🦙")), ("empty string", .string("")),
        ("u64", .uint64(.max)), ("i64", .int64(.min)), ("f64", .float64(-1e300)),
        ("array of u8", .array(.uint8([1, 2, 3]))), ("array of i8", .array(.int8([-1]))),
        ("array of u16", .array(.uint16([7]))), ("array of i16", .array(.int16([-7]))),
        ("array of u32", .array(.uint32([1, 2]))), ("array of i32", .array(.int32([-1, 5]))),
        ("array of f32", .array(.float32([1.5, -0.25]))), ("array of bool", .array(.bool([true, false]))),
        ("array of string", .array(.string(["a", "", "Ġthe"]))), ("array of u64", .array(.uint64([9]))),
        ("array of i64", .array(.int64([-9]))), ("array of f64", .array(.float64([2.5]))),
        ("empty array", .array(.float32([]))),
        ("nested arrays", .array(.array([.int32([1, 2]), .string(["x"]), .array([.bool([true])]), .uint8([])]))),
    ]

    @Test func readsEveryValueTypeInFileOrder() throws {
        var metadata = GGUFMetadata()
        for (key, value) in Self.everyValue { metadata.append(key, value) }
        let bytes = try GGUFWriter(metadata: metadata).headerBytes()
        let file = try openGGUF(bytes)
        #expect(file.version == 3)
        #expect(file.metadata == metadata)
        #expect(file.metadata.keys == Self.everyValue.map(\.0))
        #expect(file.metadata["u64"]?.integer == nil)  // UInt64.max does not fit in Int
        #expect(file.metadata["u32"]?.integer == 4_000_000_000)
        #expect(file.metadata["array of string"]?.array?.strings == ["a", "", "Ġthe"])
        #expect(file.tensors.isEmpty)
        #expect(file.alignment == 32)
    }

    @Test func readsVersion2() throws {
        var raw = RawGGUF()
        raw.version = 2
        raw.entries = [RawGGUF.entry("general.architecture", .string("gpt2"))]
        let file = try openGGUF(raw.bytes())
        #expect(file.version == 2)
        #expect(file.metadata["general.architecture"] == .string("gpt2"))
    }

    @Test func readsTensorInfosAndDataWithACustomAlignment() throws {
        var metadata = GGUFMetadata()
        metadata.append("general.alignment", .uint32(64))
        var writer = GGUFWriter(metadata: metadata)
        let matrix: [Float] = (0..<64).map { Float($0) / 8 - 4 }  // 2 rows of 32, exact in F16 and Q8_0
        try writer.addTensor(name: "a", dimensions: [3], type: .f32) { GGUFTensorEncoding.bytes(of: [1, 2, 3], as: .f32) }
        try writer.addTensor(name: "b", dimensions: [32, 2], type: .f16) { GGUFTensorEncoding.bytes(of: matrix, as: .f16) }
        try writer.addTensor(name: "c", dimensions: [32, 2], type: .q8_0) { GGUFTensorEncoding.bytes(of: matrix, as: .q8_0) }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "t.gguf")
        try writer.write(to: url)
        let file = try GGUFFile(url: url)
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.tensors.map(\.name) == ["a", "b", "c"])
        #expect(file.tensors.map(\.offset) == [0, 64, 192])
        #expect(file.tensors.map(\.byteCount) == [12, 128, 68])
        #expect(try file.floats(named: "a") == [1, 2, 3])
        #expect(try file.floats(named: "b") == matrix)
        #expect(try file.floats(named: "c") == Q8_0.dequantize(Q8_0.quantize(matrix)))
        #expect(try file.withBytes(of: file.requireTensor("c")) { Array($0) } == Q8_0.quantize(matrix))
        #expect(modelFileError { _ = try file.floats(named: "d") } == .missingTensor(file: file.path, tensor: "d"))
    }

    @Test func aTypeThatCannotBeReadIsRefusedByName() throws {
        var raw = RawGGUF()
        raw.tensorInfos = [RawGGUF.tensorInfo("blk.0.ffn_up.weight", dimensions: [256, 1], type: 12, offset: 0)]
        raw.data = [UInt8](repeating: 0, count: 144)
        let file = try openGGUF(raw.bytes())
        #expect(file.tensors.first?.type.name == "Q4_K")
        let error = modelFileError { _ = try file.floats(named: "blk.0.ffn_up.weight") }
        #expect(error?.description == "\(file.path): tensor \"blk.0.ffn_up.weight\" has type Q4_K, which gpt2-tui cannot read;"
            + " supported: F32, F16, Q8_0")
    }

    /// Malformed files, each with the error kind and a phrase the message must contain.
    static let malformed: [(String, RawGGUF, ModelFileErrorKind, String)] = {
        var cases: [(String, RawGGUF, ModelFileErrorKind, String)] = []
        func add(_ name: String, _ kind: ModelFileErrorKind, _ phrase: String, _ change: (inout RawGGUF) -> Void) {
            var raw = RawGGUF()
            change(&raw)
            cases.append((name, raw, kind, phrase))
        }
        let tensor = { (name: String, dims: [UInt64], type: UInt32, offset: UInt64) in
            RawGGUF.tensorInfo(name, dimensions: dims, type: type, offset: offset)
        }
        add("wrong magic", .invalidGGUF, "does not begin with \"GGUF\"") { $0.magic = Array("GGML".utf8) }
        add("version 1", .invalidGGUF, "version 1 is not supported") { $0.version = 1 }
        add("version 4", .invalidGGUF, "version 4 is not supported") { $0.version = 4 }
        add("big-endian", .invalidGGUF, "big-endian") { $0.version = UInt32(3).byteSwapped }
        add("too many entries", .invalidGGUF, "metadata entries") { $0.entryCount = 1 << 60 }
        add("too many tensors", .invalidGGUF, "tensors") { $0.tensorCount = UInt64.max }
        add("entry missing", .invalidGGUF, "more than the 0 bytes left") { $0.entryCount = 1; $0.alignment = 1 }
        add("string too long", .invalidMetadata, "claims") {
            $0.entries = [RawGGUF.entry("k", type: 8, value: RawGGUF.littleEndian(UInt64(1) << 62))]
        }
        add("array too long", .invalidMetadata, "claims") {
            $0.entries = [RawGGUF.entry("k", type: 9, value: RawGGUF.littleEndian(UInt32(5)) + RawGGUF.littleEndian(UInt64.max))]
        }
        add("array of strings too long", .invalidMetadata, "claims") {
            $0.entries = [RawGGUF.entry("k", type: 9, value: RawGGUF.littleEndian(UInt32(8)) + RawGGUF.littleEndian(UInt64(1) << 40))]
        }
        add("unknown value type", .invalidMetadata, "unknown value type 13") {
            $0.entries = [RawGGUF.entry("k", type: 13, value: [0, 0, 0, 0])]
        }
        add("unknown array element type", .invalidMetadata, "unknown value type 99") {
            $0.entries = [RawGGUF.entry("k", type: 9, value: RawGGUF.littleEndian(UInt32(99)) + RawGGUF.littleEndian(UInt64(0)))]
        }
        add("bool neither 0 nor 1", .invalidMetadata, "neither 0 nor 1") {
            $0.entries = [RawGGUF.entry("k", type: 7, value: [2])]
        }
        add("invalid UTF-8", .invalidMetadata, "not valid UTF-8") {
            $0.entries = [RawGGUF.entry("k", type: 8, value: RawGGUF.littleEndian(UInt64(2)) + [0xC3, 0x28])]
        }
        add("invalid UTF-8 key", .invalidGGUF, "not valid UTF-8") {
            $0.entries = [RawGGUF.littleEndian(UInt64(1)) + [0xFF] + RawGGUF.littleEndian(UInt32(0)) + [0]]
        }
        add("empty key", .invalidGGUF, "empty key") { $0.entries = [RawGGUF.entry("", .uint8(1))] }
        add("duplicate key", .invalidMetadata, "more than once") {
            $0.entries = [RawGGUF.entry("k", .uint8(1)), RawGGUF.entry("k", .uint8(2))]
        }
        add("nested too deep", .invalidMetadata, "nested") {
            var value: [UInt8] = []
            for _ in 0..<40 { value += RawGGUF.littleEndian(UInt32(9)) + RawGGUF.littleEndian(UInt64(1)) }
            value += RawGGUF.littleEndian(UInt32(0)) + RawGGUF.littleEndian(UInt64(0))
            $0.entries = [RawGGUF.entry("k", type: 9, value: value)]
        }
        add("alignment of the wrong type", .invalidMetadata, "UINT32") {
            $0.entries = [RawGGUF.entry("general.alignment", .uint64(32))]
        }
        add("alignment not a power of two", .invalidMetadata, "power of two") {
            $0.entries = [RawGGUF.entry("general.alignment", .uint32(24))]
        }
        add("alignment zero", .invalidMetadata, "power of two") {
            $0.entries = [RawGGUF.entry("general.alignment", .uint32(0))]
        }
        add("unknown tensor type", .invalidTensorEntry, "unknown tensor type 77") {
            $0.tensorInfos = [tensor("t", [4], 77, 0)]; $0.data = [UInt8](repeating: 0, count: 32)
        }
        add("removed tensor type", .invalidTensorEntry, "unknown tensor type 4") {
            $0.tensorInfos = [tensor("t", [32], 4, 0)]; $0.data = [UInt8](repeating: 0, count: 32)
        }
        add("five dimensions", .invalidTensorEntry, "5 dimensions") {
            $0.tensorInfos = [tensor("t", [1, 1, 1, 1, 1], 0, 0)]; $0.data = [UInt8](repeating: 0, count: 32)
        }
        add("dimension beyond Int", .invalidTensorEntry, "too large") {
            $0.tensorInfos = [tensor("t", [UInt64.max], 0, 0)]
        }
        add("dimensions that overflow", .invalidTensorEntry, "too many elements") {
            $0.tensorInfos = [tensor("t", [1 << 32, 1 << 32, 4], 0, 0)]
        }
        add("byte size that overflows", .invalidTensorEntry, "too large") {
            $0.tensorInfos = [tensor("t", [1 << 62], 0, 0)]
        }
        add("row not whole blocks", .invalidTensorEntry, "multiple of Q8_0's block of 32") {
            $0.tensorInfos = [tensor("t", [48, 2], 8, 0)]; $0.data = [UInt8](repeating: 0, count: 128)
        }
        add("misaligned offset", .invalidTensorEntry, "not a multiple of the alignment 32") {
            $0.tensorInfos = [tensor("t", [4], 0, 4)]; $0.data = [UInt8](repeating: 0, count: 64)
        }
        add("data past the end", .invalidTensorEntry, "reach past the end") {
            $0.tensorInfos = [tensor("t", [16], 0, 0)]; $0.data = [UInt8](repeating: 0, count: 32)
        }
        add("offset far past the end", .invalidTensorEntry, "reach past the end") {
            $0.tensorInfos = [tensor("t", [4], 0, UInt64(1) << 62)]; $0.data = [UInt8](repeating: 0, count: 32)
        }
        add("offset beyond Int", .invalidTensorEntry, "offset") {
            $0.tensorInfos = [tensor("t", [4], 0, UInt64.max - 31)]; $0.data = [UInt8](repeating: 0, count: 32)
        }
        add("duplicate tensor", .invalidTensorEntry, "more than once") {
            $0.tensorInfos = [tensor("t", [4], 0, 0), tensor("t", [4], 0, 32)]; $0.data = [UInt8](repeating: 0, count: 64)
        }
        add("overlapping tensors", .invalidTensorEntry, "overlaps") {
            $0.tensorInfos = [tensor("a", [16], 0, 0), tensor("b", [4], 0, 32)]; $0.data = [UInt8](repeating: 0, count: 64)
        }
        add("tensor info cut short", .invalidTensorEntry, "the file ends inside") {
            $0.tensorInfos = [Array(tensor("t", [4, 4], 0, 0).dropLast(12))]; $0.alignment = 1
        }
        return cases
    }()

    @Test(arguments: 0..<malformed.count)
    func malformedFilesAreRefusedWithAClearError(index: Int) throws {
        let (name, raw, kind, phrase) = Self.malformed[index]
        let error = modelFileError { _ = try openGGUF(raw.bytes()) }
        #expect(error?.kind == kind, "\(name): \(String(describing: error))")
        #expect(error?.description.contains(phrase) == true, "\(name): \(String(describing: error))")
        #expect(error?.description.contains("model.gguf") == true, "\(name): the message names the file")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func errorsNameTheKeyOrTensor() throws {
        var raw = RawGGUF()
        raw.entries = [RawGGUF.entry("general.name", .string("x")), RawGGUF.entry("tokenizer.ggml.tokens", type: 7, value: [9])]
        #expect(modelFileError { _ = try openGGUF(raw.bytes()) }?.description.contains("GGUF key \"tokenizer.ggml.tokens\"") == true)
        raw = RawGGUF()
        raw.tensorInfos = [RawGGUF.tensorInfo("blk.3.attn_qkv.weight", dimensions: [4], type: 0, offset: 64)]
        raw.data = [UInt8](repeating: 0, count: 32)
        #expect(modelFileError { _ = try openGGUF(raw.bytes()) }?.description.contains("tensor \"blk.3.attn_qkv.weight\"") == true)
    }

    @Test func emptyAndMissingFilesAreRefused() throws {
        #expect(modelFileError { _ = try openGGUF([]) }?.kind == .invalidGGUF)
        #expect(modelFileError { _ = try GGUFFile(url: URL(fileURLWithPath: "/nonexistent/x.gguf")) }?.kind == .unreadable)
    }
}
