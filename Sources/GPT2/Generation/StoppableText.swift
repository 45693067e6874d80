/// A continuation's text as it streams, cut at the first stop string.
///
/// Text that might be the beginning of a stop string is held back until the next piece shows
/// whether it is, so what has been handed out never needs taking back and the pieces always
/// add up to the final text.
public struct StoppableText: Sendable {
    public let stops: [[Unicode.Scalar]]
    private var scalars: [Unicode.Scalar] = []
    private var emitted = 0
    public private(set) var stopped = false

    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// The whole text so far (cut at the stop string once one is found).
    public var text: String { Self.string(scalars[...]) }

    /// Adds a piece; returns the part that is now certain to be in the final text.
    public mutating func append(_ piece: String) -> String {
        guard !stopped else { return "" }
        let searchFrom = max(0, emitted - (stops.map(\.count).max() ?? 0))
        scalars.append(contentsOf: piece.unicodeScalars)
        if let cut = firstStop(from: searchFrom) {
            scalars.removeSubrange(cut...)
            stopped = true
            return take(upTo: scalars.count)
        }
        return take(upTo: scalars.count - heldBack())
    }

    /// Hands out whatever was held back; call when the sequence ends without a stop string.
    public mutating func finish() -> String {
        take(upTo: scalars.count)
    }

    private mutating func take(upTo end: Int) -> String {
        guard end > emitted else { return "" }
        let piece = Self.string(scalars[emitted..<end])
        emitted = end
        return piece
    }

    /// The earliest position at or after `start` where a stop string begins.
    private func firstStop(from start: Int) -> Int? {
        var best: Int?
        for stop in stops where stop.count <= scalars.count {
            var i = start
            while i + stop.count <= scalars.count, i < (best ?? Int.max) {
                if scalars[i..<(i + stop.count)].elementsEqual(stop) {
                    best = i
                    break
                }
                i += 1
            }
        }
        return best
    }

    /// Length of the longest tail of the text that is a proper beginning of some stop string.
    private func heldBack() -> Int {
        var longest = 0
        for stop in stops {
            var k = min(stop.count - 1, scalars.count - emitted)
            while k > longest {
                if scalars[(scalars.count - k)...].elementsEqual(stop[..<k]) {
                    longest = k
                    break
                }
                k -= 1
            }
        }
        return longest
    }

    private static func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: slice)
        return String(s)
    }
}
