import Foundation
import Testing
import GPT2

struct ModelFileErrorTests {
    @Test(arguments: [
        (ModelFileError.shapeMismatch(file: "model.safetensors", tensor: "h.0.attn.c_attn.weight", expected: [64, 192], found: [64, 96]),
         "model.safetensors: tensor \"h.0.attn.c_attn.weight\" has shape [64, 96], expected [64, 192]"),
        (.missingTensor(file: "model.safetensors", tensor: "wte.weight"),
         "model.safetensors: tensor \"wte.weight\" is missing"),
        (.unexpectedTensor(file: "model.safetensors", tensor: "score.weight"),
         "model.safetensors: unexpected tensor \"score.weight\", which is not part of a GPT-2 checkpoint"),
        (.unsupportedDType(file: "model.safetensors", tensor: "ln_f.bias", dtype: "I64"),
         "model.safetensors: tensor \"ln_f.bias\" has dtype I64, which cannot be read as floats (supported: F32, F16, BF16)"),
        (.invalidConfig(file: "config.json", field: "n_head", reason: "is missing"),
         "config.json: \"n_head\": is missing"),
        (.invalidConfig(file: "config.json", field: "", reason: "the document is an array, not a JSON object"),
         "config.json: the document is an array, not a JSON object"),
        (.invalidHeader(file: "model.safetensors", reason: "the file has 3 bytes, too few for the 8-byte header length"),
         "model.safetensors: invalid safetensors header: the file has 3 bytes, too few for the 8-byte header length"),
        (.invalidTensorEntry(file: "model.safetensors", tensor: "x", reason: "unknown dtype \"F33\""),
         "model.safetensors: tensor \"x\": unknown dtype \"F33\""),
        (.unreadable(file: "/models/gpt2/config.json", reason: "No such file or directory"),
         "/models/gpt2/config.json: cannot read the file: No such file or directory"),
        (.outOfBounds(file: "model.safetensors", offset: 100, count: 8, fileSize: 50),
         "model.safetensors: 8 bytes at offset 100 lie outside the file (50 bytes)"),
        (.invalidGGUF(file: "gpt2.gguf", reason: "version 1 is not supported (only 2 and 3)"),
         "gpt2.gguf: invalid GGUF file: version 1 is not supported (only 2 and 3)"),
        (.invalidMetadata(file: "gpt2.gguf", key: "tokenizer.ggml.merges", reason: "is missing"),
         "gpt2.gguf: GGUF key \"tokenizer.ggml.merges\": is missing"),
        (.unsupportedTensorType(file: "gpt2.gguf", tensor: "blk.0.ffn_up.weight", type: "Q4_K"),
         "gpt2.gguf: tensor \"blk.0.ffn_up.weight\" has type Q4_K, which gpt2-tui cannot read; supported: F32, F16, Q8_0"),
        (.unwritable(file: "/out/gpt2.gguf", reason: "No space left on device"),
         "/out/gpt2.gguf: cannot write the file: No space left on device"),
    ])
    func describesEachErrorInOneLineNamingFileAndTensorOrField(error: ModelFileError, line: String) {
        #expect(error.description == line)
        #expect(error.localizedDescription == line)
        #expect(!line.contains("\n"))
    }
}
