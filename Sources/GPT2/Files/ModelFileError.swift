import Foundation

/// Everything that can be wrong with a model file on disk: the file cannot be read (or written),
/// its header is malformed, a tensor is missing, superfluous, of the wrong shape or of an unusable
/// dtype, or the configuration is invalid. Every case names the file (its path) and, where there is one, the
/// tensor or field, so that one line tells the user what to fix.
public enum ModelFileError: Error, Equatable, Sendable {
    /// The file cannot be opened, inspected or mapped (missing, a directory, permissions, too large …).
    case unreadable(file: String, reason: String)
    /// A byte range outside the file was asked for (a file shorter than its header claims).
    case outOfBounds(file: String, offset: Int, count: Int, fileSize: Int)
    /// The safetensors header as a whole is malformed (length, JSON, layout of the data region).
    case invalidHeader(file: String, reason: String)
    /// One tensor's header entry is malformed (fields, dtype name, shape, offsets).
    case invalidTensorEntry(file: String, tensor: String, reason: String)
    /// A tensor has a shape other than the configuration implies.
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor the model needs is not in the file.
    case missingTensor(file: String, tensor: String)
    /// The file holds a tensor that is not part of the model.
    case unexpectedTensor(file: String, tensor: String)
    /// A tensor's dtype cannot be converted to the floats asked for.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A configuration field is missing, of the wrong type, out of range, or names an unsupported
    /// variant. `field` is empty when the document as a whole is malformed.
    case invalidConfig(file: String, field: String, reason: String)
    /// A GGUF file is malformed as a whole: magic, version, counts, truncation, layout.
    case invalidGGUF(file: String, reason: String)
    /// One GGUF metadata entry is malformed, of the wrong type, or has an unusable value.
    case invalidMetadata(file: String, key: String, reason: String)
    /// A GGUF tensor has a ggml type that cannot be read here (only F32, F16 and Q8_0 can).
    case unsupportedTensorType(file: String, tensor: String, type: String)
    /// A file cannot be written (its folder is missing, permissions, a full disk …).
    case unwritable(file: String, reason: String)
}

extension ModelFileError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file: \(reason)"
        case let .outOfBounds(file, offset, count, fileSize):
            return "\(file): \(count) bytes at offset \(offset) lie outside the file (\(fileSize) bytes)"
        case let .invalidHeader(file, reason):
            return "\(file): invalid safetensors header: \(reason)"
        case let .invalidTensorEntry(file, tensor, reason):
            return "\(file): tensor \"\(tensor)\": \(reason)"
        case let .shapeMismatch(file, tensor, expected, found):
            return "\(file): tensor \"\(tensor)\" has shape \(found), expected \(expected)"
        case let .missingTensor(file, tensor):
            return "\(file): tensor \"\(tensor)\" is missing"
        case let .unexpectedTensor(file, tensor):
            return "\(file): unexpected tensor \"\(tensor)\", which is not part of a GPT-2 checkpoint"
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor \"\(tensor)\" has dtype \(dtype), which cannot be read as floats"
                + " (supported: F32, F16, BF16)"
        case let .invalidConfig(file, field, reason):
            return field.isEmpty ? "\(file): \(reason)" : "\(file): \"\(field)\": \(reason)"
        case let .invalidGGUF(file, reason):
            return "\(file): invalid GGUF file: \(reason)"
        case let .invalidMetadata(file, key, reason):
            return "\(file): GGUF key \"\(key)\": \(reason)"
        case let .unsupportedTensorType(file, tensor, type):
            return "\(file): tensor \"\(tensor)\" has type \(type), which gpt2-tui cannot read;"
                + " supported: \(GGMLType.readableTypeNames)"
        case let .unwritable(file, reason):
            return "\(file): cannot write the file: \(reason)"
        }
    }
}

extension ModelFileError: LocalizedError {
    public var errorDescription: String? { description }
}
