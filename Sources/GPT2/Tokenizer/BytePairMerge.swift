/// Byte-pair merging of one piece: repeatedly join the adjacent pair whose merge has the lowest
/// rank, the leftmost one when the same pair occurs more than once, until no pair has a merge.
///
/// Two implementations with identical results: a plain one that rescans the pairs after each
/// merge (fastest for the short pieces that make up almost all text), and one with a heap and
/// a linked list for long pieces (a run of thousands of letters or digits), where rescanning
/// would be quadratic.
extension MergeTable {
    /// Pieces of up to this many symbols use the plain rescanning merge.
    static let rescanLimit = 64

    func mergePiece(_ symbols: inout [Int32]) {
        if symbols.count <= Self.rescanLimit {
            mergeByRescanning(&symbols)
        } else {
            mergeWithHeap(&symbols)
        }
    }

    /// The plain merge: keeps the rank of every adjacent pair and rescans for the lowest.
    func mergeByRescanning(_ symbols: inout [Int32]) {
        guard symbols.count > 1 else { return }
        let none = Int32.max
        // ranks[i]: rank of the pair (symbols[i], symbols[i + 1]), or `none`.
        var ranks = [Int32](repeating: none, count: symbols.count - 1)
        for i in 0..<ranks.count {
            ranks[i] = merge(symbols[i], symbols[i + 1])?.rank ?? none
        }
        while true {
            var best = -1
            var bestRank = none
            for i in 0..<ranks.count where ranks[i] < bestRank {
                best = i
                bestRank = ranks[i]
            }
            guard best >= 0, let joined = merge(symbols[best], symbols[best + 1]) else { return }
            symbols[best] = joined.merged
            symbols.remove(at: best + 1)
            ranks.remove(at: best)
            if best > 0 {
                ranks[best - 1] = merge(symbols[best - 1], symbols[best])?.rank ?? none
            }
            if best < ranks.count {
                ranks[best] = merge(symbols[best], symbols[best + 1])?.rank ?? none
            }
        }
    }

    /// The heap merge: candidates ordered by (rank, position); a candidate whose pair has
    /// changed since it was queued is dropped when it comes up.
    func mergeWithHeap(_ symbols: inout [Int32]) {
        let count = symbols.count
        guard count > 1 else { return }
        var ids = symbols
        // Doubly linked list over the original positions; -1 marks the ends.
        var previous = [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = i - 1 }
            initialized = count
        }
        var next = [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = i + 1 < count ? i + 1 : -1 }
            initialized = count
        }
        var heap = CandidateHeap()
        func enqueue(_ left: Int, _ right: Int) {
            if let joined = merge(ids[left], ids[right]) {
                heap.push(Candidate(rank: joined.rank, left: left, right: right,
                                    leftID: ids[left], rightID: ids[right]))
            }
        }
        for i in 0..<(count - 1) {
            enqueue(i, i + 1)
        }
        while let candidate = heap.pop() {
            let left = candidate.left
            let right = candidate.right
            guard next[left] == right, ids[left] == candidate.leftID, ids[right] == candidate.rightID,
                  let joined = merge(ids[left], ids[right])
            else { continue }
            ids[left] = joined.merged
            ids[right] = -1
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[after] = left }
            if previous[left] >= 0 { enqueue(previous[left], left) }
            if after >= 0 { enqueue(left, after) }
        }
        symbols.removeAll(keepingCapacity: true)
        var i = 0
        while i >= 0 {
            symbols.append(ids[i])
            i = next[i]
        }
    }
}

/// A pending merge of the pair at original positions `left` and `right`, valid while those
/// positions are still adjacent and still hold `leftID` and `rightID`.
private struct Candidate {
    var rank: Int32
    var left: Int
    var right: Int
    var leftID: Int32
    var rightID: Int32

    /// Lower rank first; for equal ranks (the same pair twice) the leftmost first.
    @inline(__always)
    func precedes(_ other: Candidate) -> Bool {
        rank != other.rank ? rank < other.rank : left < other.left
    }
}

/// A binary min-heap of candidates.
private struct CandidateHeap {
    private var items: [Candidate] = []

    mutating func push(_ item: Candidate) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Candidate? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
            if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
