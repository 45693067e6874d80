extension GGUFFile {
    /// The values of tensor `name` in file order (ne0 fastest), converted to `Float`: F32 as is,
    /// F16 exactly, Q8_0 dequantized (`d × q`).
    /// - Throws: `ModelFileError.missingTensor`, or `.unsupportedTensorType` for any other type.
    public func floats(named name: String) throws -> [Float] {
        try floats(of: try requireTensor(name))
    }

    /// The values of `tensor`, as `floats(named:)`.
    public func floats(of tensor: GGUFTensorInfo) throws -> [Float] {
        guard tensor.type.isReadable else {
            throw ModelFileError.unsupportedTensorType(file: path, tensor: tensor.name, type: tensor.type.name)
        }
        let count = tensor.elementCount
        let type = tensor.type
        // The layout check guarantees that the byte count matches the element count for the type.
        let raw = try unsafeBytes(of: tensor)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            switch type {
            case .f32:
                for index in 0..<count {
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                }
            case .f16:
                for index in 0..<count {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                    buffer[index] = HalfPrecision.float(fromHalfBits: bits)
                }
            default:  // Q8_0, the only other readable type
                Q8_0.dequantize(raw, into: buffer)
            }
            initialized = count
        }
    }
}
