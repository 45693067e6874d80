import GPT2

/// The case of a `ModelFileError` without its associated values, for concise expectations.
enum ModelFileErrorKind: Equatable {
    case unreadable, outOfBounds, invalidHeader, invalidTensorEntry, shapeMismatch
    case missingTensor, unexpectedTensor, unsupportedDType, invalidConfig
    case invalidGGUF, invalidMetadata, unsupportedTensorType, unwritable
}

extension ModelFileError {
    var kind: ModelFileErrorKind {
        switch self {
        case .unreadable: return .unreadable
        case .outOfBounds: return .outOfBounds
        case .invalidHeader: return .invalidHeader
        case .invalidTensorEntry: return .invalidTensorEntry
        case .shapeMismatch: return .shapeMismatch
        case .missingTensor: return .missingTensor
        case .unexpectedTensor: return .unexpectedTensor
        case .unsupportedDType: return .unsupportedDType
        case .invalidConfig: return .invalidConfig
        case .invalidGGUF: return .invalidGGUF
        case .invalidMetadata: return .invalidMetadata
        case .unsupportedTensorType: return .unsupportedTensorType
        case .unwritable: return .unwritable
        }
    }
}

/// Writes `bytes` as a safetensors file in a fresh temporary directory and opens it.
func openSafetensors(_ bytes: [UInt8]) throws -> SafetensorsFile {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    // The mapping stays valid after the file is removed.
    return try SafetensorsFile(url: directory.write(bytes, to: "model.safetensors"))
}
