/// Stop strings written as one line of text, as the panel shows and edits them: the strings are
/// separated by `|`, and a backslash escapes what a line cannot hold or would misread:
/// `\|` a bar, `\\` a backslash, `\n` a newline, `\t` a tab, `\r` a carriage return, and
/// `\u{1B}` any code point by its hex value. Spaces count: `END| The` is "END" and " The".
/// An empty line means no stop strings.
public enum StopStringsText {
    /// The line for `stops`.
    public static func format(_ stops: [String]) -> String {
        stops.map(escaped).joined(separator: "|")
    }

    /// Reads a line back into stop strings; a malformed line gets a one-line reason.
    public static func parse(_ text: String) throws(ParameterInputError) -> [String] {
        guard !text.isEmpty else { return [] }
        var stops: [String] = []
        var current = ""
        var scalars = text.unicodeScalars.makeIterator()
        func endOfString() throws(ParameterInputError) {
            guard !current.isEmpty else {
                throw ParameterInputError("stop: a stop string is empty (two | in a row, or one at an end?)")
            }
            stops.append(current)
            current = ""
        }
        while let scalar = scalars.next() {
            switch scalar {
            case "|":
                try endOfString()
            case "\\":
                guard let escape = scalars.next() else {
                    throw ParameterInputError("stop: the line ends in a lone \\ (write \\\\ for a backslash)")
                }
                switch escape {
                case "|", "\\": current.unicodeScalars.append(escape)
                case "n": current.append("\n")
                case "t": current.append("\t")
                case "r": current.append("\r")
                case "u": current.unicodeScalars.append(try codePoint(&scalars))
                default: throw ParameterInputError("stop: unknown escape \\\(escape) (use \\| \\\\ \\n \\t \\r or \\u{hex})")
                }
            default:
                current.unicodeScalars.append(scalar)
            }
        }
        try endOfString()
        return stops
    }

    private static func codePoint(_ scalars: inout String.UnicodeScalarView.Iterator) throws(ParameterInputError) -> Unicode.Scalar {
        let malformed = ParameterInputError("stop: write a code point as \\u{hex}, for example \\u{1B}")
        guard scalars.next() == "{" else { throw malformed }
        var hex = ""
        var closed = false
        while let next = scalars.next() {
            if next == "}" {
                closed = true
                break
            }
            hex.unicodeScalars.append(next)
            guard hex.unicodeScalars.count <= 6 else { throw malformed }
        }
        guard closed, let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { throw malformed }
        return scalar
    }

    private static func escaped(_ stop: String) -> String {
        var line = ""
        for scalar in stop.unicodeScalars {
            switch scalar {
            case "|": line += "\\|"
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\t": line += "\\t"
            case "\r": line += "\\r"
            case _ where TextWidth.isControl(scalar): line += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: line.unicodeScalars.append(scalar)
            }
        }
        return line
    }
}
