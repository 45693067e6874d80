/// The keys and values one sequence has computed so far, for every layer.
///
/// Storage per layer is (capacity, nEmbd) for keys and the same for values; heads are slices
/// of the embedding axis, as GPT-2's fused `c_attn` produces them. The cache grows on demand up
/// to the model's context size and is reused across steps, so decoding never copies it.
public final class KVCache {
    public let layerCount: Int
    public let width: Int
    public let maximumLength: Int
    /// Number of positions stored.
    public private(set) var length = 0
    public private(set) var capacity: Int
    private var keys: UnsafeMutablePointer<Float>    // (layerCount, capacity, width)
    private var values: UnsafeMutablePointer<Float>  // (layerCount, capacity, width)

    public init(config: GPT2Config, capacity: Int = 0) {
        layerCount = config.nLayer
        width = config.nEmbd
        maximumLength = config.nPositions
        self.capacity = min(max(capacity, 1), config.nPositions)
        keys = Self.allocate(layerCount * self.capacity * width)
        values = Self.allocate(layerCount * self.capacity * width)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

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
        let newKeys = Self.allocate(layerCount * newCapacity * width)
        let newValues = Self.allocate(layerCount * newCapacity * width)
        for layer in 0..<layerCount {
            (newKeys + layer * newCapacity * width).update(from: keys + layer * capacity * width, count: length * width)
            (newValues + layer * newCapacity * width).update(from: values + layer * capacity * width, count: length * width)
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
        precondition(other.layerCount == layerCount && other.width == width)
        length = 0
        reserve(additional: other.length)
        for layer in 0..<layerCount {
            let source = other.layer(layer)
            let target = self.layer(layer)
            target.keys.update(from: source.keys, count: other.length * width)
            target.values.update(from: source.values, count: other.length * width)
        }
        length = other.length
    }

    /// The key and value storage of one layer, each (capacity, width); valid until the cache
    /// grows (`reserve`) or is released.
    func layer(_ index: Int) -> (keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>) {
        (keys + index * capacity * width, values + index * capacity * width)
    }
}
