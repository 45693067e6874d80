/// What a GGUF file says about one tensor, after validation.
public struct GGUFTensorInfo: Sendable, Equatable {
    public var name: String
    /// The dimensions in ggml order: ne0 (the length of a row, contiguous in memory) first.
    /// A row-major matrix of R rows and C columns has dimensions [C, R].
    public var dimensions: [Int]
    public var type: GGMLType
    /// Where the data begins, relative to the start of the data region (a multiple of the alignment).
    public var offset: Int
    /// The product of `dimensions` (1 for none).
    public var elementCount: Int
    /// The size of the data in bytes, from the type's block layout.
    public var byteCount: Int

    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int, elementCount: Int, byteCount: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.elementCount = elementCount
        self.byteCount = byteCount
    }
}
