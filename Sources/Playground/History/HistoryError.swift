/// Why a history operation failed; each case names the run or file concerned.
public enum HistoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No run's id starts with the given text.
    case unknownID(String, folder: String)
    /// More than one run's id starts with the given text.
    case ambiguousID(String, matches: [String])
    /// The run's file cannot be read as a record (truncated, not JSON, a newer schema...).
    case unreadable(id: String, reason: String)
    /// A file history needs (a model's weights file) cannot be read.
    case fileUnreadable(path: String, reason: String)
    /// The history folder exists but cannot be listed.
    case folderUnreadable(path: String, reason: String)
    /// A file or folder of the history cannot be written.
    case unwritable(path: String, reason: String)
    /// A value given for a record is not allowed (an empty tag...).
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownID(id, folder):
            return "no run with id \(id) in \(folder)"
        case let .ambiguousID(id, matches):
            let shown = matches.prefix(3).joined(separator: ", ")
            let more = matches.count > 3 ? ", …" : ""
            return "id \(id) is ambiguous: \(matches.count) runs start with it (\(shown)\(more)); give more of it"
        case let .unreadable(id, reason):
            return "run \(id) cannot be read: \(reason)"
        case let .fileUnreadable(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .folderUnreadable(path, reason):
            return "\(path): cannot read the history folder: \(reason)"
        case let .unwritable(path, reason):
            return "\(path): cannot write: \(reason)"
        case let .invalidValue(field, reason):
            return "invalid \(field): \(reason)"
        }
    }
}
