/// The four kinds of character GPT-2's pre-tokenisation pattern tells apart:
/// `\p{L}` (letters), `\p{N}` (numbers), `\s` (Unicode White_Space) and everything else.
enum ScalarClass: UInt8, Sendable {
    case letter
    case number
    case whitespace
    case other

    init(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value < 0x80 {
            self = Self.ascii(UInt8(value))
            return
        }
        if let age = scalar.properties.age,
           age.major > Self.unicodeVersion.major
            || (age.major == Self.unicodeVersion.major && age.minor > Self.unicodeVersion.minor) {
            self = .other
            return
        }
        // White_Space, as the regex engines behind tiktoken and OpenAI's encoder read `\s`
        // (which leaves out U+001C…U+001F, unlike Python's str.isspace).
        if scalar.properties.isWhitespace {
            self = .whitespace
            return
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = .other
        }
    }

    /// The Unicode version of the reference tokenizer's character tables.
    static let unicodeVersion: Unicode.Version = (major: 16, minor: 0)

    @inline(__always)
    static func ascii(_ value: UInt8) -> ScalarClass {
        switch value {
        case 0x41...0x5A, 0x61...0x7A: .letter
        case 0x30...0x39: .number
        case 0x09...0x0D, 0x20: .whitespace
        default: .other
        }
    }
}
