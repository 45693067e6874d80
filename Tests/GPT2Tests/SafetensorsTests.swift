import Foundation
import Testing
import GPT2

struct SafetensorsReadingTests {
    @Test func f32TensorsRoundTripBitForBitIncludingSpecialValues() throws {
        let values: [Float] = [
            0, -0.0, 1, -1.5, .pi, .infinity, -.infinity, .nan, -.nan,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        ]
        let file = try openSafetensors(SafetensorsWriter.file([.f32("x", values, shape: [values.count])]))
        let read = try file.floats("x")
        #expect(read.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func f16TensorsConvertExactlyIncludingSubnormalsInfinitiesAndNaN() throws {
        let bits: [UInt16] = [0x0000, 0x8000, 0x3C00, 0xC000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0xFC00, 0x7E00]
        let expected: [Float] = [0, -0.0, 1, -2, 0x1p-24, 0x1.FF8p-15, 0x1p-14, 65504, .infinity, -.infinity]
        let file = try openSafetensors(SafetensorsWriter.file([.f16("h", bits: bits, shape: [11])]))
        let read = try file.floats("h")
        #expect(read.count == 11)
        #expect(read.prefix(10).map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(read[10].isNaN)
    }

    @Test func bf16TensorsConvertExactlyIncludingSubnormalsInfinitiesAndNaN() throws {
        let bits: [UInt16] = [0x0000, 0x8000, 0x3F80, 0xC040, 0x0001, 0x0080, 0x7F7F, 0x7F80, 0xFF80, 0x7FC0]
        let file = try openSafetensors(SafetensorsWriter.file([.bf16("b", bits: bits, shape: [2, 5])]))
        let read = try file.floats("b")
        #expect(read.prefix(9).map(\.bitPattern) == bits.prefix(9).map { UInt32($0) << 16 })
        #expect(read[9].isNaN)
        #expect(read[2] == 1 && read[3] == -3)
    }

    @Test func tensorsAtUnalignedOffsetsReadCorrectly() throws {
        // 3 bytes of U8 first, and a header length that is odd, so no tensor after it is aligned.
        let tensors: [TestTensor] = [
            TestTensor(name: "a_bytes", dtype: "U8", shape: [3], bytes: [1, 2, 3]),
            .f32("b_f32", [1.25, -2.5, 1e-30, 7], shape: [2, 2]),
            TestTensor(name: "c_byte", dtype: "I8", shape: [1], bytes: [0xFF]),
            .f16("d_f16", bits: [0x3C00, 0xBC00, 0x0001], shape: [3]),
            .bf16("e_bf16", bits: [0x4040, 0xC0A0], shape: [2]),
        ]
        for padding in 0..<4 {
            let file = try openSafetensors(SafetensorsWriter.file(tensors, headerPadding: padding))
            #expect(try file.floats("b_f32") == [1.25, -2.5, 1e-30, 7])
            #expect(try file.floats("d_f16") == [1, -1, 0x1p-24])
            #expect(try file.floats("e_bf16") == [3, -5])
        }
    }

    @Test func namesShapesDTypesAndMetadataAreExposed() throws {
        let tensors: [TestTensor] = [
            .f32("layer.weight", [1, 2, 3, 4, 5, 6], shape: [2, 3]),
            .f16("layer.bias", bits: [0, 0, 0], shape: [3]),
            TestTensor(name: "steps", dtype: "I64", shape: [], bytes: littleEndianBytes(Int64(42))),
        ]
        let file = try openSafetensors(SafetensorsWriter.file(tensors, metadata: ["format": "pt"]))
        #expect(file.tensorNames == ["layer.bias", "layer.weight", "steps"])
        #expect(file.metadata == ["format": "pt"])
        let weight = try #require(file.info("layer.weight"))
        #expect(weight.dtype == .f32)
        #expect(weight.shape == [2, 3])
        #expect(weight.elementCount == 6)
        #expect(file.info("steps")?.dtype == .i64)
        #expect(file.info("steps")?.shape == [])
        #expect(file.info("absent") == nil)
    }

    @Test func emptyHeaderWithoutDataIsAnEmptyFile() throws {
        let file = try openSafetensors(SafetensorsWriter.file(header: "{}", data: []))
        #expect(file.tensorNames.isEmpty)
        #expect(file.metadata.isEmpty)
    }

    @Test func scalarAndZeroSizedTensorsAreAccepted() throws {
        let tensors: [TestTensor] = [
            .f32("empty", [], shape: [0, 5]),
            .f32("scalar", [2.5], shape: []),
        ]
        let file = try openSafetensors(SafetensorsWriter.file(tensors))
        #expect(try file.floats("empty") == [])
        #expect(try file.floats("scalar") == [2.5])
    }

    @Test(arguments: ["I64", "U8", "BOOL", "F64", "I32", "F8_E4M3"])
    func nonFloatTensorsAreParsedButRefusedAsFloatsNamingTensorAndDType(dtype: String) throws {
        let size = SafetensorsDType(rawValue: dtype)?.bitSize ?? 0
        let tensor = TestTensor(name: "counts", dtype: dtype, shape: [2], bytes: [UInt8](repeating: 1, count: size / 4))
        let file = try openSafetensors(SafetensorsWriter.file([tensor]))
        #expect(file.info("counts")?.dtype.rawValue == dtype)
        let error = #expect(throws: ModelFileError.self) { try file.floats("counts") }
        #expect(error == .unsupportedDType(file: file.url.path, tensor: "counts", dtype: dtype))
        #expect(error?.description.contains("\"counts\" has dtype \(dtype)") == true)
    }

    @Test func subByteDTypesAreSizedInBits() throws {
        let tensor = TestTensor(name: "packed", dtype: "F4", shape: [6], bytes: [0, 0, 0])
        let file = try openSafetensors(SafetensorsWriter.file([tensor]))
        #expect(file.info("packed")?.dtype == .f4)
        let odd = SafetensorsWriter.file(header: "{\(SafetensorsWriter.entry("odd", dtype: "F4", shape: [3], offsets: [0, 2]))}", data: [0, 0])
        let error = #expect(throws: ModelFileError.self) { try openSafetensors(odd) }
        #expect(error?.kind == .invalidTensorEntry)
    }

    @Test func readingAnAbsentTensorNamesIt() throws {
        let file = try openSafetensors(SafetensorsWriter.file([.f32("x", [1], shape: [1])]))
        let error = #expect(throws: ModelFileError.self) { try file.floats("y") }
        #expect(error == .missingTensor(file: file.url.path, tensor: "y"))
    }
}
