/// The rows of one forward pass: each sequence's new tokens, one row each, with the sequence and
/// position every row belongs to. Building it makes room in every cache.
struct ForwardBatch {
    var tokens: [Int32]        // (rows)
    var sequence: [Int]        // (rows) index into the caches
    var position: [Int]        // (rows) position within its sequence
    var lastRowOfSequence: [Int]
    var caches: [KVCache]

    init(tokens perSequence: [[Int32]], caches: [KVCache]) {
        precondition(perSequence.count == caches.count, "one cache per sequence")
        tokens = []
        sequence = []
        position = []
        lastRowOfSequence = []
        self.caches = caches
        for (s, sequenceTokens) in perSequence.enumerated() {
            precondition(!sequenceTokens.isEmpty, "each sequence needs at least one new token")
            caches[s].reserve(additional: sequenceTokens.count)
            for (i, token) in sequenceTokens.enumerated() {
                tokens.append(token)
                sequence.append(s)
                position.append(caches[s].length + i)
            }
            lastRowOfSequence.append(sequence.count - 1)
        }
    }

    var rows: Int { tokens.count }

    /// Writes each row's key and value for head `head` (slices 1 and 2 of its fused qkv row,
    /// (rows, 3*width), heads side by side as `c_attn` produces them) into its sequence's cache
    /// at its position.
    func storeKeysAndValues(_ qkv: UnsafePointer<Float>, head: Int, layer: Int, width e: Int) {
        for r in 0..<rows {
            let cache = caches[sequence[r]]
            let offset = head * cache.headDim
            cache.store(key: qkv + r * 3 * e + e + offset, value: qkv + r * 3 * e + 2 * e + offset,
                        head: head, layer: layer, position: position[r])
        }
    }

    /// The rows in groups whose caches share their first positions (`KVCache.sharedPart`), in
    /// row order, each group cut into runs of at most `limit` rows.
    func attentionGroups(limit: Int) -> [[Int]] {
        var groups: [[Int]] = []
        var open: [KVCache.SharedPart: Int] = [:]
        for r in 0..<rows {
            let part = caches[sequence[r]].sharedPart
            if let g = open[part], groups[g].count < limit {
                groups[g].append(r)
            } else {
                open[part] = groups.count
                groups.append([r])
            }
        }
        return groups
    }

    /// Marks the rows as stored in their caches (after every layer wrote them).
    func commit() {
        var counts = [Int](repeating: 0, count: caches.count)
        for s in sequence { counts[s] += 1 }
        for (s, count) in counts.enumerated() { caches[s].advance(by: count) }
    }
}

extension LanguageModel {
    /// Runs `prompt` once and shares its cache out to `copies` caches with room for `capacity`
    /// positions (see `KVCache.continuations`); returns them with the logits after the prompt.
    func prefill(_ prompt: [Int32], copies: Int, capacity: Int) -> (caches: [KVCache], logits: [Float]) {
        let first = makeCache(capacity: capacity)
        let logits = forward(tokens: [prompt], caches: [first])[0]
        return (first.continuations(max(1, copies), capacity: capacity), logits)
    }
}
