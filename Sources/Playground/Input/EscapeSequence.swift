/// What the characters after an ESC mean, as far as they have come: the escape sequences
/// terminals send for keys, mouse reports and bracketed paste (xterm's "CSI" `ESC [ … final`
/// and "SS3" `ESC O final` forms), or Alt plus a key.
enum EscapeSequence: Equatable {
    /// More characters are needed.
    case incomplete
    case key(KeyPress)
    case mouse(MouseReport)
    case pasteStart
    case pasteEnd
    /// A whole sequence that is no input here (a focus report, an unknown key).
    case ignored
    /// The last character cannot continue the sequence; what came before it is no key.
    case broken

    /// A mouse report: xterm's button code (low bits the button, +32 motion, +64 wheel), the
    /// cell (from 0), and whether the button went down (SGR reports say; X10 ones say release
    /// by button code 3).
    struct MouseReport: Equatable {
        var code: Int
        var row: Int
        var column: Int
        var isRelease: Bool
    }

    /// Longest sequence waited for; anything longer is garbage.
    static let maximumLength = 64

    /// Reads `rest`, the characters that followed an ESC (none of them ESC).
    static func parse(_ rest: [Unicode.Scalar]) -> EscapeSequence {
        guard let introducer = rest.first else { return .incomplete }
        switch introducer {
        case "[": return parseCSI(Array(rest.dropFirst()))
        case "O": return parseSS3(Array(rest.dropFirst()))
        default:
            guard let key = TerminalKeys.key(for: introducer) else { return .ignored }
            return .key(TerminalKeys.adding(.alt, to: key))
        }
    }

    /// `ESC [` parameters (0x30–0x3F), intermediates (0x20–0x2F), final (0x40–0x7E); and X10
    /// mouse reports, `ESC [ M` and three characters.
    private static func parseCSI(_ body: [Unicode.Scalar]) -> EscapeSequence {
        if body.first == "M" {
            guard body.count >= 4 else { return .incomplete }
            let values = body[1...3].map { Int($0.value) - 32 }
            return .mouse(MouseReport(code: values[0], row: values[2] - 1, column: values[1] - 1, isRelease: values[0] & 3 == 3))
        }
        guard body.count < maximumLength else { return .broken }
        for (index, scalar) in body.enumerated() {
            switch scalar.value {
            case 0x20...0x3F:
                continue
            case 0x40...0x7E:
                guard index == body.count - 1 else { return .broken }
                return csi(parameters: String(String.UnicodeScalarView(body[..<index])), final: scalar)
            default:
                return .broken
            }
        }
        return .incomplete
    }

    private static func csi(parameters: String, final: Unicode.Scalar) -> EscapeSequence {
        if parameters.hasPrefix("<") {
            let numbers = parameters.dropFirst().split(separator: ";").compactMap { Int($0) }
            guard final == "M" || final == "m", numbers.count == 3 else { return .ignored }
            return .mouse(MouseReport(code: numbers[0], row: numbers[2] - 1, column: numbers[1] - 1, isRelease: final == "m"))
        }
        guard parameters.allSatisfy({ $0.isNumber || $0 == ";" || $0 == ":" }) else { return .ignored }
        // Sub-parameters after ":" (kitty's alternate keys) are not needed.
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { field in
            field.split(separator: ":").first.flatMap { Int($0) }
        }
        func number(_ index: Int) -> Int? { index < numbers.count ? numbers[index] : nil }
        let modifiers = TerminalKeys.modifiers(parameter: number(1) ?? 1)
        switch final {
        case "~":
            switch number(0) {
            case 200: return .pasteStart
            case 201: return .pasteEnd
            case 27:
                guard let code = number(2), let key = TerminalKeys.codePointKey(code) else { return .ignored }
                return .key(TerminalKeys.adding(modifiers, to: key))
            case let n?:
                guard let key = TerminalKeys.tildeKey(n) else { return .ignored }
                return .key(KeyPress(key, modifiers))
            case nil:
                return .ignored
            }
        case "u":
            guard let code = number(0), let key = TerminalKeys.codePointKey(code) else { return .ignored }
            return .key(TerminalKeys.adding(modifiers, to: key))
        case "Z":
            return .key(KeyPress(.tab, modifiers.union(.shift)))
        default:
            guard let key = TerminalKeys.letterKey(final) else { return .ignored }
            return .key(KeyPress(key, modifiers))
        }
    }

    /// `ESC O final`, optionally with a modifier digit before the final (`ESC O 5 P`).
    private static func parseSS3(_ body: [Unicode.Scalar]) -> EscapeSequence {
        guard let final = body.last else { return .incomplete }
        if ("0"..."9").contains(final) || final == ";" {
            return body.count < 8 ? .incomplete : .broken
        }
        let digits = String(String.UnicodeScalarView(body.dropLast())).split(separator: ";").last.flatMap { Int($0) }
        if final == "M" { return .key(KeyPress(.enter, TerminalKeys.modifiers(parameter: digits ?? 1))) }
        guard let key = TerminalKeys.letterKey(final) else { return .broken }
        return .key(KeyPress(key, TerminalKeys.modifiers(parameter: digits ?? 1)))
    }
}
