import Foundation
import Glibc

/// A pseudo-terminal for tests: the backend opens its device (`devicePath`), the test plays
/// the terminal emulator on the other side (`send`, `output`).
final class PseudoTerminal {
    let devicePath: String
    private let controller: Int32
    private var received: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(rows: Int, columns: Int) throws {
        // Swift's Glibc module leaves out the X/Open pseudo-terminal calls; the C library has them.
        typealias Call = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        guard let grant = dlsym(nil, "grantpt"), let unlock = dlsym(nil, "unlockpt"), let name = dlsym(nil, "ptsname") else {
            throw Failure(description: "the C library has no pseudo-terminals")
        }
        controller = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard controller >= 0, unsafeBitCast(grant, to: Call.self)(controller) == 0, unsafeBitCast(unlock, to: Call.self)(controller) == 0,
              let path = unsafeBitCast(name, to: Name.self)(controller)
        else {
            throw Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        devicePath = String(cString: path)
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(controller, UInt(TIOCSWINSZ), &size)
        _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(controller)
    }

    /// Types `text` into the terminal.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
    }

    /// Everything the program wrote to the terminal so far, as text.
    func output() -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(controller, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// The terminal's modes now, as the device sees them.
    func settings() -> termios {
        var settings = termios()
        let device = open(devicePath, O_RDWR | O_NOCTTY)
        defer { close(device) }
        _ = tcgetattr(device, &settings)
        return settings
    }
}
