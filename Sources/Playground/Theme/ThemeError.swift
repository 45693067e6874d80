/// Why a theme could not be had, in one line that names the file and the field.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(name: String, available: [String])
    case unreadable(file: String, reason: String)
    case invalidJSON(file: String, detail: String)
    case invalidField(file: String, field: String, problem: String)

    public var description: String {
        switch self {
        case .notFound(let name, let available):
            return "no theme named \"\(name)\" (available: \(available.joined(separator: ", ")))"
        case .unreadable(let file, let reason):
            return "cannot read theme file \(file): \(reason)"
        case .invalidJSON(let file, let detail):
            return "theme file \(file) is not valid JSON: \(detail)"
        case .invalidField(let file, let field, let problem):
            return "theme file \(file): \(field): \(problem)"
        }
    }
}
