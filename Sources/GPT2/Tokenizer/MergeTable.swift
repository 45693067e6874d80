/// The merges of merges.txt keyed by the token ids of the pair they join.
struct MergeTable: Sendable {
    /// One merge: its priority (0 = first line, merged first) and the token it makes.
    struct Merge: Sendable, Equatable {
        var rank: Int32
        var merged: Int32
    }

    private var merges: [UInt64: Merge] = [:]

    init() {}

    var count: Int { merges.count }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        merges[Self.key(left, right)]
    }

    /// Adds a merge; a pair listed again takes the later line's rank, as OpenAI's encoder and
    /// Hugging Face's tokenizers do when they build their rank dictionaries.
    mutating func add(left: Int32, right: Int32, merged: Int32, rank: Int32) {
        merges[Self.key(left, right)] = Merge(rank: rank, merged: merged)
    }
}
