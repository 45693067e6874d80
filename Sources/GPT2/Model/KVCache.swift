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
    private var keys: [Float]    // (layerCount, capacity, width)
    private var values: [Float]  // (layerCount, capacity, width)

    public init(config: GPT2Config, capacity: Int = 0) {
        layerCount = config.nLayer
        width = config.nEmbd
        maximumLength = config.nPositions
        self.capacity = min(max(capacity, 1), config.nPositions)
        keys = [Float](repeating: 0, count: layerCount * self.capacity * width)
        values = keys
    }

    /// Makes room for `count` more positions, keeping what is stored.
    func reserve(additional count: Int) {
        let needed = length + count
        precondition(needed <= maximumLength, "KV cache would exceed the context size")
        guard needed > capacity else { return }
        let newCapacity = min(max(needed, capacity * 2), maximumLength)
        var newKeys = [Float](repeating: 0, count: layerCount * newCapacity * width)
        var newValues = newKeys
        for layer in 0..<layerCount {
            let old = layer * capacity * width
            let new = layer * newCapacity * width
            let n = length * width
            newKeys.replaceSubrange(new..<(new + n), with: keys[old..<(old + n)])
            newValues.replaceSubrange(new..<(new + n), with: values[old..<(old + n)])
        }
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
            let n = other.length * width
            let source = layer * other.capacity * width
            let target = layer * capacity * width
            keys.replaceSubrange(target..<(target + n), with: other.keys[source..<(source + n)])
            values.replaceSubrange(target..<(target + n), with: other.values[source..<(source + n)])
        }
        length = other.length
    }

    /// Gives the key and value storage of one layer, each (capacity, width).
    func withLayer<R>(
        _ layer: Int,
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> R
    ) -> R {
        let offset = layer * capacity * width
        return keys.withUnsafeMutableBufferPointer { k in
            values.withUnsafeMutableBufferPointer { v in
                // Both buffers are non-empty: capacity and width are at least 1.
                body(k.baseAddress.unsafelyUnwrapped + offset, v.baseAddress.unsafelyUnwrapped + offset)
            }
        }
    }
}
