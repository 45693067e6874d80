import Foundation
import Playground

extension Terminal {
    /// How to set the terminal up.
    public struct Options: Sendable {
        public var theme: Theme
        /// Where `TERM`, `COLORTERM`, `NO_COLOR` and `TMUX` are read.
        public var environment: [String: String]
        /// The terminal device: the controlling terminal, whatever stdin and stdout are.
        public var device: String
        /// At most this colour depth (nil: as the terminal and `NO_COLOR` say).
        public var colorDepth: ColorDepth?
        /// Ask for mouse reports.
        public var mouse: Bool
        /// How long an ESC waits for the rest of a key's sequence: the Esc key's delay.
        public var escapeDelayMilliseconds: Int

        public init(
            theme: Theme = .builtInDefault,
            environment: [String: String] = ProcessInfo.processInfo.environment,
            device: String = "/dev/tty",
            colorDepth: ColorDepth? = nil,
            mouse: Bool = true,
            escapeDelayMilliseconds: Int = 25
        ) {
            self.theme = theme
            self.environment = environment
            self.device = device
            self.colorDepth = colorDepth
            self.mouse = mouse
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
        }
    }
}
