/// The previous command, where the next one behaves differently after it: typing and deleting
/// join the same undo step, kills join the same kill-ring entry, yank-pop needs a yank just
/// before, and vertical moves keep the column they started from.
enum CommandChain: Equatable, Sendable {
    case typing(afterWhitespace: Bool)
    case deletingBackward
    case deletingForward
    case killing
    case yanking
    case vertical(goalColumn: Int)
}
