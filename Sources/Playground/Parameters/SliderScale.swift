import Foundation

/// The numbers a slider moves over: its range, its fine and coarse steps, how its values are
/// written, and how a value maps to a cell of a track drawn `width` cells wide.
public struct SliderScale: Equatable, Sendable {
    public let range: ClosedRange<Double>
    public let fineStep: Double
    public let coarseStep: Double
    /// Decimals shown; 0 for whole numbers, which every value of the slider then is.
    public let decimals: Int

    public init(range: ClosedRange<Double>, fineStep: Double, coarseStep: Double, decimals: Int) {
        self.range = range
        self.fineStep = fineStep
        self.coarseStep = coarseStep
        self.decimals = decimals
    }

    public var isWholeNumbers: Bool { decimals == 0 }

    /// `value` kept in range (and whole for a whole-number slider); not-a-number becomes the
    /// low end.
    public func clamped(_ value: Double) -> Double {
        guard !value.isNaN else { return range.lowerBound }
        let bounded = min(max(value, range.lowerBound), range.upperBound)
        return isWholeNumbers ? bounded.rounded() : rounded(bounded, to: Self.maximumDecimals)
    }

    /// The value one step up (`direction` 1) or down (-1). A step lands on the next multiple of
    /// the step, so 0.73 goes up to 0.75 and down to 0.70 with a step of 0.05.
    public func stepped(_ value: Double, direction: Int, step: Double) -> Double {
        // The tolerance keeps a value already on the grid (up to float noise) from counting as
        // between two multiples.
        let position = value / step
        let tolerance = 1e-9
        let index = direction > 0 ? (position + tolerance).rounded(.down) + 1 : (position - tolerance).rounded(.up) - 1
        return clamped(rounded(index * step, to: Self.maximumDecimals))
    }

    /// The cell of a `width`-cell track that shows `value` (0 at the low end).
    public func position(of value: Double, trackWidth width: Int) -> Int {
        guard width > 1, range.upperBound > range.lowerBound else { return 0 }
        let fraction = (clamped(value) - range.lowerBound) / (range.upperBound - range.lowerBound)
        return min(width - 1, max(0, Int((fraction * Double(width - 1)).rounded())))
    }

    /// The value a click on cell `position` of a `width`-cell track stands for, on the grid of
    /// the fine step; the two end cells give the two ends of the range.
    public func value(atPosition position: Int, trackWidth width: Int) -> Double {
        guard width > 1 else { return range.lowerBound }
        let cell = min(width - 1, max(0, position))
        if cell == 0 { return range.lowerBound }
        if cell == width - 1 { return range.upperBound }
        let raw = range.lowerBound + (range.upperBound - range.lowerBound) * Double(cell) / Double(width - 1)
        return clamped((raw / fineStep).rounded() * fineStep)
    }

    /// The value as the panel writes it: `decimals` places, more (up to 4) when the value was
    /// typed more exactly.
    public func format(_ value: Double) -> String {
        if isWholeNumbers { return String(Int(value.rounded())) }
        var places = decimals
        while places < Self.maximumDecimals, abs(rounded(value, to: places) - value) > 1e-9 { places += 1 }
        return String(format: "%.\(places)f", value)
    }

    /// Values are kept to this many decimals, so steps never pile up float noise.
    static let maximumDecimals = 4

    private func rounded(_ value: Double, to places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
