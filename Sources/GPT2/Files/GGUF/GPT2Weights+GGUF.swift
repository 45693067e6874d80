import Foundation

extension GPT2Weights {
    /// Loads the fp32 weights of the GPT-2 GGUF file at `url`.
    public static func load(ggufURL url: URL) throws -> GPT2Weights {
        try load(gguf: GGUFFile(url: url))
    }

    /// The fp32 weights of a GPT-2 GGUF file with F32, F16 or Q8_0 tensors (dequantized), the
    /// Conv1D matrices transposed back to (in, out), so the fp32 engine runs on any GGUF of GPT-2.
    /// An `output.weight` is checked but not used: GPT-2's head is the token embedding.
    /// - Throws: `ModelFileError` naming the file and the key or tensor at fault.
    public static func load(gguf: GGUFFile) throws -> GPT2Weights {
        let layout = try GGUFModelLayout(gguf: gguf, config: GPT2Config.load(gguf: gguf))
        let config = layout.config
        return try GPT2Weights(config: config) { tensor in
            let values = try gguf.floats(of: layout.info(tensor))
            guard GGUFTensorNames.isTransposed(tensor) else { return values }
            // Stored (out, in); GPT2Weights wants (in, out). Shape is (in, out).
            let shape = tensor.shape(for: config)
            return transpose(values, rows: shape[1], columns: shape[0])
        }
    }
}

/// The transpose of a row-major `rows` × `columns` matrix (so `columns` × `rows`).
func transpose(_ matrix: [Float], rows: Int, columns: Int) -> [Float] {
    precondition(matrix.count == rows * columns, "matrix size")
    return [Float](unsafeUninitializedCapacity: matrix.count) { buffer, initialized in
        matrix.withUnsafeBufferPointer { source in
            for row in 0..<rows {
                for column in 0..<columns {
                    buffer[column * rows + row] = source[row * columns + column]
                }
            }
        }
        initialized = matrix.count
    }
}
