/// The keys and values one sequence has computed so far, for every layer.
///
/// Storage is head-major: per layer and head, (positions, headDim) keys and the same for values.
/// Attention reads one head of one sequence at a time, so that order makes each read one
/// contiguous stream (the embedding-major order GPT-2's fused `c_attn` produces would scatter
/// it over every position's row). The cache grows on demand up to the model's context size and
/// is reused across steps, so decoding never copies it.
///
/// Sequences decoded from one prompt share its positions: a cache made by `continuations` reads
/// positions below `prefixLength` from the prompt's cache and stores only its own from there on.
/// The shared part then stays in the processor's cache from one sequence to the next of a
/// batched step, instead of being read from memory once per sequence.
///
/// The fp32 engine keeps keys and values in fp32. The int8 engine keeps keys in Q8_0, tiled the
/// way the matrix product reads weights (`Q8Kernels.storeKey`), and values in fp16, as llama.cpp's
/// cache with q8_0 keys does: attention reads 196 bytes per position of a 64-dimension head
/// against fp32's 512, and a query's dot products with every key are one int8 product.
public final class KVCache {
    /// How keys and values are stored.
    public enum Precision: Sendable {
        /// Keys and values in fp32.
        case float32
        /// Keys in Q8_0 (tiled), values in fp16.
        case quantized

        /// Bytes of one head's keys for `positions` positions; storage for more begins with them.
        func keyBytes(positions: Int, headDim: Int) -> Int {
            switch self {
            case .float32: positions * headDim * 4
            case .quantized: Q8Kernels.keyBytes(positions: positions, headDim: headDim)
            }
        }

        /// Bytes of one position's value.
        func valueBytes(headDim: Int) -> Int { headDim * (self == .float32 ? 4 : 2) }
    }

    public let precision: Precision
    public let layerCount: Int
    public let headCount: Int
    public let headDim: Int
    public let maximumLength: Int
    /// Number of positions stored.
    public private(set) var length = 0
    /// Positions there is room for (the shared ones included).
    public var capacity: Int { prefixLength + ownCapacity }
    /// Positions read from the shared prefix.
    public private(set) var prefixLength = 0
    private var prefix: KVCache?
    private var ownCapacity: Int
    private var keys: UnsafeMutableRawPointer    // (layerCount × headCount) × keyBytes(ownCapacity)
    private var values: UnsafeMutableRawPointer  // (layerCount, headCount, ownCapacity) values

    public init(config: GPT2Config, capacity: Int = 0, precision: Precision = .float32) {
        self.precision = precision
        layerCount = config.nLayer
        headCount = config.nHead
        headDim = config.headDim
        maximumLength = config.nPositions
        ownCapacity = min(max(capacity, 1), config.nPositions)
        (keys, values) = Self.allocate(slices: layerCount * headCount, positions: ownCapacity, headDim: headDim,
                                       precision: precision)
    }

    /// An empty cache that goes on from every position of `prefix`, with room for `capacity`
    /// positions in all; `prefix` must not change while this cache uses it.
    private init(continuing prefix: KVCache, capacity: Int) {
        precondition(prefix.prefix == nil, "a shared prefix is itself stored in one part")
        precision = prefix.precision
        layerCount = prefix.layerCount
        headCount = prefix.headCount
        headDim = prefix.headDim
        maximumLength = prefix.maximumLength
        self.prefix = prefix
        prefixLength = prefix.length
        length = prefix.length
        ownCapacity = max(1, min(capacity, maximumLength) - prefix.length)
        (keys, values) = Self.allocate(slices: layerCount * headCount, positions: ownCapacity, headDim: headDim,
                                       precision: precision)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Floats per layer and key (or value) vector: nEmbd.
    public var width: Int { headCount * headDim }

    /// Room for the keys and values of `positions` positions in each of `slices` heads, zeroed.
    private static func allocate(
        slices: Int, positions: Int, headDim: Int, precision: Precision
    ) -> (keys: UnsafeMutableRawPointer, values: UnsafeMutableRawPointer) {
        func zeroed(_ bytes: Int) -> UnsafeMutableRawPointer {
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
            return pointer
        }
        return (zeroed(slices * precision.keyBytes(positions: positions, headDim: headDim)),
                zeroed(slices * positions * precision.valueBytes(headDim: headDim)))
    }

    /// `count` caches that go on from this one's positions, each with room for `capacity`
    /// positions in all. With more than one, they share this cache's positions, and this cache
    /// must not change afterwards; one alone is this cache itself.
    public func continuations(_ count: Int, capacity: Int) -> [KVCache] {
        guard count > 1 else { return [self] }
        return (0..<count).map { _ in KVCache(continuing: self, capacity: capacity) }
    }

    /// Makes room for `count` more positions, keeping what is stored.
    func reserve(additional count: Int) {
        let needed = length + count
        precondition(needed <= maximumLength, "KV cache would exceed the context size")
        guard needed > capacity else { return }
        resizeOwnStorage(to: min(max(needed, capacity * 2), maximumLength) - prefixLength)
    }

    /// Reallocates the positions stored here (not the shared ones), keeping those in use.
    private func resizeOwnStorage(to newOwnCapacity: Int) {
        let slices = layerCount * headCount
        let kept = length - prefixLength
        let keptKeys = precision.keyBytes(positions: kept, headDim: headDim)
        let (oldKeys, newKeys) = (precision.keyBytes(positions: ownCapacity, headDim: headDim),
                                  precision.keyBytes(positions: newOwnCapacity, headDim: headDim))
        let valueBytes = precision.valueBytes(headDim: headDim)
        let (grownKeys, grownValues) = Self.allocate(slices: slices, positions: newOwnCapacity, headDim: headDim,
                                                     precision: precision)
        for slice in 0..<slices {
            (grownKeys + slice * newKeys).copyMemory(from: keys + slice * oldKeys, byteCount: keptKeys)
            (grownValues + slice * newOwnCapacity * valueBytes).copyMemory(
                from: values + slice * ownCapacity * valueBytes, byteCount: kept * valueBytes)
        }
        keys.deallocate()
        values.deallocate()
        keys = grownKeys
        values = grownValues
        ownCapacity = newOwnCapacity
    }

    /// Marks `count` more positions as stored (after the model wrote them).
    func advance(by count: Int) {
        length += count
    }

    /// Forgets every position from `newLength` on.
    public func truncate(to newLength: Int) {
        let newLength = min(length, max(0, newLength))
        if newLength < prefixLength {
            // The shared positions still wanted become this cache's own.
            let shared = Array(0..<newLength)
            length = 0
            prefixLength = 0
            let source = prefix
            prefix = nil
            if let source { copyPositions(shared, from: source) }
        }
        length = newLength
    }

    /// Replaces this cache's contents with a copy of `other`'s (used when beams are reordered);
    /// a shared prefix stays shared.
    public func copyContents(of other: KVCache) {
        precondition(other.layerCount == layerCount && other.headCount == headCount && other.headDim == headDim
                     && other.precision == precision)
        length = 0
        prefix = other.prefix
        prefixLength = other.prefixLength
        length = prefixLength
        copyPositions(Array(other.prefixLength..<other.length), from: other)
    }

    /// Appends positions `positions` (consecutive, from this cache's length on) of `other`.
    private func copyPositions(_ positions: [Int], from other: KVCache) {
        guard let first = positions.first else { return }
        precondition(first == length)
        if length + positions.count > capacity { resizeOwnStorage(to: length + positions.count - prefixLength) }
        for layer in 0..<layerCount {
            for head in 0..<headCount {
                let source = other.head(head, layer: layer)
                let target = self.head(head, layer: layer)
                for t in positions {
                    let (part, index) = source.key(t)
                    let own = t - prefixLength
                    switch precision {
                    case .float32:
                        target.ownKey(own).copyMemory(from: part + index * source.keyRowBytes, byteCount: source.keyRowBytes)
                    case .quantized:
                        Q8Kernels.copyKey(from: part, position: index, to: target.ownKeys, position: own, headDim: headDim)
                    }
                    target.ownValue(own).copyMemory(from: source.value(t), byteCount: source.valueRowBytes)
                }
            }
        }
        length += positions.count
    }

    /// Writes one position's key and value for one head (each `headDim` floats) into `layer`, in
    /// the cache's precision.
    func store(key: UnsafePointer<Float>, value: UnsafePointer<Float>, head: Int, layer: Int, position: Int) {
        self.head(head, layer: layer).store(key: key, value: value, position: position)
    }

    /// Caches with equal `sharedPart` read the same keys and values below its `split` (in
    /// `head`): continuations of one prompt, or a cache with itself.
    var sharedPart: SharedPart {
        guard let prefix else { return SharedPart(storage: ObjectIdentifier(self), split: capacity) }
        return SharedPart(storage: ObjectIdentifier(prefix), split: prefixLength)
    }

    struct SharedPart: Hashable {
        var storage: ObjectIdentifier
        var split: Int
    }

    /// One head of one layer; valid until the cache grows or is released.
    func head(_ head: Int, layer: Int) -> KVHead {
        let slice = layer * headCount + head
        let own = (keys: keys + slice * precision.keyBytes(positions: ownCapacity, headDim: headDim),
                   values: values + slice * ownCapacity * precision.valueBytes(headDim: headDim))
        guard let prefix else {
            return KVHead(keys: own.keys, values: own.values, split: capacity, ownKeys: own.keys, ownValues: own.values,
                          ownPositions: 0..<capacity, headDim: headDim, precision: precision)
        }
        let shared = prefix.head(head, layer: layer)
        return KVHead(keys: shared.ownKeys, values: shared.ownValues, split: prefixLength, ownKeys: own.keys,
                      ownValues: own.values, ownPositions: prefixLength..<capacity, headDim: headDim, precision: precision)
    }
}

/// One head's keys and values: positions below `split` at `keys` and `values` (the shared prefix,
/// or everything), the others at `ownKeys`/`ownValues` from `split`. Values are rows of the
/// cache's precision; keys too in fp32, Q8_0 tiles (`Q8Kernels.storeKey`) otherwise.
struct KVHead {
    var keys: UnsafeMutableRawPointer
    var values: UnsafeMutableRawPointer
    var split: Int
    var ownKeys: UnsafeMutableRawPointer
    var ownValues: UnsafeMutableRawPointer
    /// The positions the cache's own storage holds (its row 0 is the first).
    var ownPositions: Range<Int>
    var headDim: Int
    var precision: KVCache.Precision

    /// Bytes of one position's key in an fp32 cache, and of one position's value.
    var keyRowBytes: Int { headDim * 4 }
    var valueRowBytes: Int { precision.valueBytes(headDim: headDim) }

    /// Where position t's key is: the part that holds it, and its position there.
    func key(_ t: Int) -> (part: UnsafeMutableRawPointer, index: Int) {
        t < split ? (keys, t) : (ownKeys, t - split)
    }

    func value(_ t: Int) -> UnsafeMutableRawPointer {
        t < split ? values + t * valueRowBytes : ownValue(t - split)
    }

    /// Position `split + own`'s key in this cache's own storage (fp32 caches).
    func ownKey(_ own: Int) -> UnsafeMutableRawPointer { ownKeys + own * keyRowBytes }

    func ownValue(_ own: Int) -> UnsafeMutableRawPointer { ownValues + own * valueRowBytes }

    /// Writes position `position`'s key and value (each `headDim` floats) in the cache's precision.
    func store(key: UnsafePointer<Float>, value: UnsafePointer<Float>, position: Int) {
        precondition(ownPositions.contains(position), "KV cache position outside its own storage")
        let own = position - ownPositions.lowerBound
        switch precision {
        case .float32:
            ownKey(own).copyMemory(from: key, byteCount: keyRowBytes)
            ownValue(own).copyMemory(from: value, byteCount: valueRowBytes)
        case .quantized:
            Q8Kernels.storeKey(key, at: own, in: ownKeys, headDim: headDim)
            Q8Kernels.halfBits(value, into: ownValue(own).assumingMemoryBound(to: UInt16.self), count: headDim)
        }
    }

    /// Asks for the memory `store` will write for `position` (quantized caches), so that a step's
    /// stores wait for memory together rather than one after another.
    func prefetchStore(position: Int) {
        guard precision == .quantized, ownPositions.contains(position) else { return }
        Q8Kernels.prefetchStore(keys: ownKeys, values: ownHalfValues, position: position - ownPositions.lowerBound,
                                headDim: headDim)
    }

    /// Position t's key and value as floats (fp32 caches only).
    func floatKey(_ t: Int) -> UnsafePointer<Float> {
        let (part, index) = key(t)
        return floats(part + index * keyRowBytes)
    }

    func floatValue(_ t: Int) -> UnsafePointer<Float> { floats(value(t)) }

    private func floats(_ pointer: UnsafeMutableRawPointer) -> UnsafePointer<Float> {
        precondition(precision == .float32, "the fp32 engine reads fp32 caches")
        return UnsafePointer(pointer.assumingMemoryBound(to: Float.self))
    }

    /// The fp16 values below the split and from it on, for the attention kernel (quantized
    /// caches only).
    var halfValues: UnsafePointer<UInt16> { halves(values) }
    var ownHalfValues: UnsafePointer<UInt16> { halves(ownValues) }

    private func halves(_ pointer: UnsafeMutableRawPointer) -> UnsafePointer<UInt16> {
        precondition(precision == .quantized, "the attention kernel reads quantized caches")
        return UnsafePointer(pointer.assumingMemoryBound(to: UInt16.self))
    }
}
