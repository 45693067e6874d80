/// The pseudo-random numbers behind sampling: xoshiro256** (Blackman and Vigna), its state
/// filled from SplitMix64.
///
/// Sequence `i` of a run with seed `s` draws from its own stream, seeded with
/// `s XOR (i × 0xD1B54A32D192ED03)`, so one column can be re-run alone and reproduce.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// A generator with this exact state (for known-answer tests).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    /// The stream of sequence `index` in a run seeded with `seed`.
    public init(seed: UInt64, sequence index: Int) {
        self.init(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea and Flood), used to spread one seed over xoshiro's state, and to
/// draw run seeds from a value (so the playground's update stays a pure function).
public struct SplitMix64: RandomNumberGenerator, Equatable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
