import CNCursesW
import Glibc
import Playground

/// Curses set up on the terminal device: the locale, the terminal type (its direct-colour
/// variant when `COLORTERM` asks for truecolor and terminfo has one), raw input, colours, and
/// what the terminal can do. Signal handlers are installed before curses starts, so that curses
/// keeps its own hands off SIGINT and SIGTERM and the terminal is restored from the start.
struct CursesSetup {
    let file: UnsafeMutablePointer<FILE>
    let fd: Int32
    let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    let capabilities: TerminalCapabilities
    let systemWidth: @convention(c) (wchar_t) -> Int32

    init(_ options: Terminal.Options) throws(TerminalError) {
        let unicode = Self.setLocale()
        // Swift's Glibc module leaves out the X/Open `wcwidth`; the C library has it.
        guard let wcwidth = dlsym(nil, "wcwidth") else { throw .setupFailed("the C library has no wcwidth") }
        guard let term = options.environment["TERM"], !term.isEmpty else { throw .noTerminalType }
        // O_NOCTTY: a terminal given by path never becomes the program's controlling terminal.
        let fd = open(options.device, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw .noTerminal(device: options.device, reason: String(cString: strerror(errno))) }
        guard let file = fdopen(fd, "r+") else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .noTerminal(device: options.device, reason: reason)
        }
        var settings = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &settings) == 0 else {
            fclose(file)
            throw .noTerminal(device: options.device, reason: "not a terminal")
        }
        TerminalSignals.install(fd: fd, settings: settings)

        // Each newterm saves the terminal's modes as the ones to restore: it must run once.
        var started: (type: String, screen: OpaquePointer)?
        for type in [ColorDepth.directColorTerminalType(environment: options.environment), term].compactMap({ $0 }) {
            if let screen = newterm(type, file, file) {
                started = (type, screen)
                break
            }
        }
        guard let (type, screen) = started else {
            Self.undo(file: file)
            throw .unknownTerminalType(term)
        }
        guard let window = newwin(0, 0, 0, 0) else {
            endwin()
            delscreen(screen)
            Self.undo(file: file)
            throw .setupFailed("no window")
        }
        raw()
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        set_escdelay(Int32(clamping: max(0, options.escapeDelayMilliseconds)))

        let hasColors = has_colors()
        var defaultColors = false
        if hasColors {
            start_color()
            defaultColors = use_default_colors() == OK
        }
        let colorCount = hasColors ? Int(max(0, tigetnum("colors"))) : 0
        let pairCount = hasColors ? min(Int(max(0, tigetnum("pairs"))), Int(Int16.max)) : 0
        let directColor = hasColors && (tigetflag("RGB") > 0 || colorCount >= 1 << 24)
        var depth = ColorDepth.detect(colorCount: colorCount, directColor: directColor, environment: options.environment)
        if let limit = options.colorDepth { depth = min(depth, limit) }

        // Mouse reports are read by `InputDecoder`, not curses (whose own mouse support would
        // choose X10 reports, without drags, on tmux and screen entries): keep curses from
        // taking the start of a report for its mouse key.
        let mouse = options.mouse && Self.hasString("kmous")
        keyok(KEY_MOUSE, false)

        systemWidth = unsafeBitCast(wcwidth, to: (@convention(c) (wchar_t) -> Int32).self)
        self.file = file
        self.fd = fd
        self.screen = screen
        self.window = window
        capabilities = TerminalCapabilities(
            terminalType: type, colorDepth: depth, colorCount: colorCount, colorPairCount: pairCount, directColor: directColor,
            defaultColors: defaultColors, mouse: mouse, unicode: unicode)
    }

    /// Takes the user's locale, so wide characters work; a non-UTF-8 one falls back to
    /// C.UTF-8 for characters. Numbers keep the C locale's form ("0.7", never "0,7"), as the
    /// rest of the program writes them. Returns whether characters are UTF-8.
    private static func setLocale() -> Bool {
        setlocale(LC_ALL, "")
        if !isUTF8() { setlocale(LC_CTYPE, "C.UTF-8") }
        setlocale(LC_NUMERIC, "C")
        return isUTF8()
    }

    private static func isUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    /// Whether the terminfo entry has the string capability `name`.
    private static func hasString(_ name: String) -> Bool {
        guard let value = tigetstr(name) else { return false }
        // tigetstr answers (char *)-1 for a name that is no string capability.
        return Int(bitPattern: value) != -1 && value.pointee != 0
    }

    private static func undo(file: UnsafeMutablePointer<FILE>) {
        TerminalSignals.uninstall()
        signalState.pointee.fd = -1
        fclose(file)
    }
}
