/// The keys and values one sequence has computed so far, for every layer.
///
/// Storage is head-major: per layer and head, (capacity, headDim) keys and the same for values.
/// Attention reads one head of one sequence at a time, so that order makes each read one
/// contiguous stream (the embedding-major order GPT-2's fused `c_attn` produces would scatter
/// it over every position's row). The cache grows on demand up to the model's context size and
/// is reused across steps, so decoding never copies it.
public final class KVCache {
    public let layerCount: Int
    public let headCount: Int
    public let headDim: Int
    public let maximumLength: Int
    /// Number of positions stored.
    public private(set) var length = 0
    public private(set) var capacity: Int
    private var keys: UnsafeMutablePointer<Float>    // (layerCount, headCount, capacity, headDim)
    private var values: UnsafeMutablePointer<Float>  // (layerCount, headCount, capacity, headDim)

    public init(config: GPT2Config, capacity: Int = 0) {
        layerCount = config.nLayer
        headCount = config.nHead
        headDim = config.headDim
        maximumLength = config.nPositions
        self.capacity = min(max(capacity, 1), config.nPositions)
        keys = Self.allocate(layerCount * headCount * self.capacity * headDim)
        values = Self.allocate(layerCount * headCount * self.capacity * headDim)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Floats per layer and key (or value) vector: nEmbd.
    public var width: Int { headCount * headDim }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    /// Makes room for `count` more positions, keeping what is stored.
    func reserve(additional count: Int) {
        let needed = length + count
        precondition(needed <= maximumLength, "KV cache would exceed the context size")
        guard needed > capacity else { return }
        let newCapacity = min(max(needed, capacity * 2), maximumLength)
        let slices = layerCount * headCount
        let newKeys = Self.allocate(slices * newCapacity * headDim)
        let newValues = Self.allocate(slices * newCapacity * headDim)
        for slice in 0..<slices {
            (newKeys + slice * newCapacity * headDim).update(from: keys + slice * capacity * headDim, count: length * headDim)
            (newValues + slice * newCapacity * headDim).update(from: values + slice * capacity * headDim, count: length * headDim)
        }
        keys.deallocate()
        values.deallocate()
        keys = newKeys
        values = newValues
        capacity = newCapacity
    }

    /// Marks `count` more positions as stored (after the model wrote them).
    func advance(by count: Int) {
        length += count
    }

    /// Forgets every position from `newLength` on.
    public func truncate(to newLength: Int) {
        length = min(length, max(0, newLength))
    }

    /// Replaces this cache's contents with a copy of `other`'s (used when beams are reordered).
    public func copyContents(of other: KVCache) {
        precondition(other.layerCount == layerCount && other.headCount == headCount && other.headDim == headDim)
        length = 0
        reserve(additional: other.length)
        for layer in 0..<layerCount {
            for head in 0..<headCount {
                let source = other.head(head, layer: layer)
                let target = self.head(head, layer: layer)
                target.keys.update(from: source.keys, count: other.length * headDim)
                target.values.update(from: source.values, count: other.length * headDim)
            }
        }
        length = other.length
    }

    /// Writes one position's key and value (each `width` floats, heads side by side as `c_attn`
    /// produces them) into `layer`.
    func store(key: UnsafePointer<Float>, value: UnsafePointer<Float>, layer: Int, position: Int) {
        precondition(position < capacity, "KV cache position beyond its capacity")
        for head in 0..<headCount {
            let target = self.head(head, layer: layer)
            (target.keys + position * headDim).update(from: key + head * headDim, count: headDim)
            (target.values + position * headDim).update(from: value + head * headDim, count: headDim)
        }
    }

    /// The key and value storage of one head of one layer, each (capacity, headDim); valid
    /// until the cache grows (`reserve`) or is released.
    func head(_ head: Int, layer: Int) -> (keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>) {
        let offset = (layer * headCount + head) * capacity * headDim
        return (keys + offset, values + offset)
    }
}
