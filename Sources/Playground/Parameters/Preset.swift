import GPT2

/// A named set of parameters: one of the built-in presets (one per mode, with the product's
/// defaults) or one the user saved.
public struct Preset: Equatable, Sendable {
    public var name: String
    public var parameters: GenerationParameters
    public var isBuiltIn: Bool

    public init(name: String, parameters: GenerationParameters, isBuiltIn: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.isBuiltIn = isBuiltIn
    }

    /// One preset per mode, named after it, with the request defaults of the seed documents
    /// (SPEC §3): 100 new tokens, 3 sequences, temperature 0.7, top-p 0.92, top-k 50, 5 beams
    /// with no repeated 2-grams, a random seed.
    public static let builtIns: [Preset] = DecodingMode.allCases.map { mode in
        var parameters = GenerationParameters()
        parameters.mode = mode
        return Preset(name: mode.rawValue, parameters: parameters, isBuiltIn: true)
    }

    /// Whether `name` is taken by a built-in preset (compared without case, as a user would
    /// read them).
    public static func isBuiltInName(_ name: String) -> Bool {
        builtIns.contains { $0.name.lowercased() == name.lowercased() }
    }
}
