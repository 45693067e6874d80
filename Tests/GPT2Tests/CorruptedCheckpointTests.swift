import Foundation
import Testing
@testable import GPT2

/// Damaged checkpoint files must be refused with a `ModelFileError` (or, where the damage is only
/// in tensor values, load), and never crash.
struct CorruptedCheckpointTests {
    private enum Outcome: Equatable {
        case loaded
        case refused(ModelFileErrorKind)
    }

    private func loadOutcome(_ bytes: [UInt8], in directory: TemporaryDirectory) -> Result<GPT2Weights, any Error> {
        Result {
            let url = try directory.write(bytes, to: "model.safetensors")
            let file = try SafetensorsFile(url: url)
            return try GPT2Weights.load(config: TinyCheckpoint.config, safetensors: file)
        }
    }

    /// The byte offset where tensor data begins in a safetensors file.
    private func dataStart(of bytes: [UInt8]) -> Int {
        8 + Int(bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    @Test func everyTruncationOfACheckpointIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let valid = TinyCheckpoint().safetensorsBytes()
        #expect(throws: Never.self) { try loadOutcome(valid, in: directory).get() }
        // Shorten one file step by step rather than writing thousands of files.
        let url = directory.url.appending(path: "model.safetensors")
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        for length in (0..<valid.count).reversed() {
            try handle.truncate(atOffset: UInt64(length))
            let outcome = Result {
                try GPT2Weights.load(config: TinyCheckpoint.config, safetensors: SafetensorsFile(url: url))
            }
            switch outcome {
            case .success:
                Issue.record("a checkpoint truncated to \(length) of \(valid.count) bytes loaded")
            case .failure(let error):
                #expect(error is ModelFileError, "length \(length): \(error)")
            }
        }
    }

    @Test(arguments: ["F32", "F16", "BF16"])
    func flippedBitsAreRefusedOrOnlyChangeValues(dtype: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var checkpoint = TinyCheckpoint()
        checkpoint.dtype = dtype
        checkpoint.includesMaskBuffers = true
        let valid = checkpoint.safetensorsBytes()
        let headerEnd = dataStart(of: valid)
        var random = SplitMix64(seed: 0x6770_7432 &+ UInt64(dtype.utf8.count))
        var loaded = 0
        var refused = 0
        for variant in 0..<300 {
            // Two thirds of the flips land in the length prefix or the header, where they matter most.
            let offset = variant % 3 == 2
                ? Int.random(in: headerEnd..<valid.count, using: &random)
                : Int.random(in: 0..<headerEnd, using: &random)
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            var bytes = valid
            bytes[offset] ^= bit
            switch loadOutcome(bytes, in: directory) {
            case .success:
                loaded += 1
            case .failure(let error):
                refused += 1
                #expect(error is ModelFileError, "flip of bit \(bit) at \(offset): \(error)")
                #expect(offset < headerEnd, "a flip in tensor data at \(offset) was refused: \(error)")
            }
        }
        #expect(loaded + refused == 300)
        #expect(refused > 0)
        #expect(loaded >= 100)  // every flip in tensor data loads
    }

    @Test func flipInTensorDataChangesOnlyThatValue() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bytes = TinyCheckpoint().safetensorsBytes()
        // wte is the first tensor written; flip the sign of its first element.
        bytes[dataStart(of: bytes) + 3] ^= 0x80
        let weights = try loadOutcome(bytes, in: directory).get()
        var expected = TinyCheckpoint.values(of: .wte)
        expected[0] = -expected[0]
        #expect(weights.wte == expected)
        #expect(weights.wpe == TinyCheckpoint.values(of: .wpe))
    }

    @Test func randomBytesAfterAPlausibleLengthAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var random = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let size = Int.random(in: 8..<300, using: &random)
            var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            let length = UInt64.random(in: 0...UInt64(size - 8), using: &random)
            bytes.replaceSubrange(0..<8, with: littleEndianBytes(length))
            if case .success = loadOutcome(bytes, in: directory) {
                Issue.record("random bytes loaded as a checkpoint")
            }
        }
    }
}
