/// What a safetensors header says about one tensor, after validation.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public var dtype: SafetensorsDType
    /// The dimensions, outermost first (row-major).
    public var shape: [Int]
    /// The product of `shape` (1 for a scalar).
    public var elementCount: Int
    /// The tensor's bytes, relative to the start of the data region (after the header).
    public var dataOffsets: Range<Int>

    public init(dtype: SafetensorsDType, shape: [Int], elementCount: Int, dataOffsets: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.elementCount = elementCount
        self.dataOffsets = dataOffsets
    }
}
