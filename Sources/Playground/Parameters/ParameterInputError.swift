/// Why a typed value was refused: one line naming the parameter, shown under the panel.
public struct ParameterInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
