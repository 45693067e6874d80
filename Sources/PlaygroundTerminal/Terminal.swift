import CNCursesW
import Foundation
import Glibc
import Playground
import Synchronization

/// The terminal, through ncursesw: the only code that talks to it. It sets the terminal up
/// (raw mode: Ctrl-C is a key like any other; no echo; keypad keys; colours; mouse reports;
/// bracketed paste), reads input as `InputEvent`s, copies `Screen`s to the terminal (only the
/// cells that changed since the last frame), and always puts the terminal back: on `restore()`,
/// on deinit, and on signals (see `TerminalSignals`).
///
/// Use it from one thread. Only one can be active at a time: curses has one terminal.
public final class Terminal {
    public let capabilities: TerminalCapabilities

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        guard active else { return (0, 0) }
        return (Int(max(0, getmaxx(window))), Int(max(0, getmaxy(window))))
    }

    private let file: UnsafeMutablePointer<FILE>
    private let fd: Int32
    private let cursesScreen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let insideTmux: Bool
    private let replacement: Unicode.Scalar
    /// The C library's `wcwidth`, which curses measures characters with.
    private let systemWidth: @convention(c) (wchar_t) -> Int32
    private var pairs: ColorPairs
    private var decoder: InputDecoder
    private var lastFrame: Screen?
    private var needsFullRedraw = true
    private var cursorShown: Bool?
    private var active = true
    private let clockStart = ContinuousClock.now

    /// Sets the terminal up; `restore()` (or deinit) puts it back.
    public init(_ options: Options = Options()) throws(TerminalError) {
        guard claimTerminal() else { throw .alreadyActive }
        let setup: CursesSetup
        do {
            setup = try CursesSetup(options)
        } catch {
            releaseTerminal()
            throw error
        }
        file = setup.file
        fd = setup.fd
        cursesScreen = setup.screen
        window = setup.window
        capabilities = setup.capabilities
        insideTmux = !(options.environment["TMUX"] ?? "").isEmpty
        replacement = setup.capabilities.unicode ? "\u{FFFD}" : "?"
        systemWidth = setup.systemWidth
        pairs = ColorPairs(theme: options.theme, capabilities: setup.capabilities)
        // Curses waits `ESCDELAY` after an ESC for the rest of a sequence before handing it
        // over, so an ESC followed by no input is the Esc key at once.
        decoder = InputDecoder(timing: .init(loneEscape: 0, unfinishedSequence: 100, unfinishedPaste: 1000))
        defineColors()
        if capabilities.mouse { write(TerminalSequences.mouseOn) }
        write(TerminalSequences.bracketedPasteOn)
    }

    deinit {
        restore()
    }

    /// Puts the terminal back as it was: curses mode left, mouse and bracketed paste off, signal
    /// handlers removed. Safe to call more than once.
    public func restore() {
        guard active else { return }
        active = false
        write(TerminalSequences.mouseOff + TerminalSequences.bracketedPasteOff)
        endwin()
        delwin(window)
        delscreen(cursesScreen)
        TerminalSignals.uninstall()
        signalState.pointee.fd = -1
        fclose(file)
        releaseTerminal()
    }

    /// The input that came within `timeoutMilliseconds` (0: only what is there already; the
    /// wait ends at the first input), decoded; often empty.
    public func readInput(timeoutMilliseconds: Int) -> [InputEvent] {
        guard active else { return [] }
        var events: [InputEvent] = []
        wtimeout(window, Int32(clamping: max(0, timeoutMilliseconds)))
        // Enough for a large paste to arrive over a few calls without starving the caller.
        for _ in 0..<65_536 {
            var character: wint_t = 0
            let result = wget_wch(window, &character)
            if result == ERR { break }
            let raw: RawInput
            if result == KEY_CODE_YES {
                if Int32(bitPattern: character) == KEY_RESIZE {
                    raw = resized()
                } else {
                    raw = .key(name: keyname(Int32(bitPattern: character)).map { String(cString: $0) } ?? "")
                }
            } else {
                raw = .character(Unicode.Scalar(character) ?? "\u{FFFD}")
            }
            events += decoder.decode(raw, at: milliseconds())
            wtimeout(window, 0)
        }
        return events + decoder.idle(at: milliseconds())
    }

    /// Shows `screen`: draws the cells that changed since the last frame (all of them after a
    /// resize, a theme change or `suspend`), places or hides the cursor, and updates the
    /// terminal once. Cells beyond the terminal's size are left out.
    public func draw(_ screen: Screen) {
        guard active else { return }
        let (columns, rows) = size
        let full = needsFullRedraw || lastFrame?.width != screen.width || lastFrame?.height != screen.height
        if full {
            werase(window)
            clearok(window, needsFullRedraw)
        }
        let changes = ScreenDiff.changes(from: full ? nil : lastFrame, to: screen, rows: rows, columns: columns)
        for change in changes {
            put(change, of: screen, columns: columns)
        }
        let cursorMoved = lastFrame?.cursor?.row != screen.cursor?.row || lastFrame?.cursor?.column != screen.cursor?.column
        if let (row, column) = screen.cursor, row >= 0, row < rows, column >= 0, column < columns {
            wmove(window, Int32(row), Int32(column))
            showCursor(true)
        } else {
            showCursor(false)
        }
        if full || !changes.isEmpty || cursorMoved {
            wrefresh(window)
        }
        lastFrame = screen
        needsFullRedraw = false
    }

    /// Draws with `theme` from the next frame on.
    public func setTheme(_ theme: Theme) {
        guard active else { return }
        pairs = ColorPairs(theme: theme, capabilities: capabilities)
        defineColors()
        needsFullRedraw = true
    }

    /// Leaves curses mode, runs `body` (an editor, a shell) with the terminal as the shell had
    /// it, and comes back, drawing the last frame again. Ctrl-C and Ctrl-\ belong to `body`'s
    /// programs meanwhile.
    public func suspend<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard active else { return try body() }
        write(TerminalSequences.mouseOff + TerminalSequences.bracketedPasteOff)
        endwin()
        TerminalSignals.setInterruptsIgnored(true)
        defer {
            TerminalSignals.setInterruptsIgnored(false)
            if capabilities.mouse { write(TerminalSequences.mouseOn) }
            write(TerminalSequences.bracketedPasteOn)
            needsFullRedraw = true
            cursorShown = nil
            if let lastFrame { draw(lastFrame) } else { wrefresh(window) }
        }
        return try body()
    }

    /// Puts `text` on the system clipboard through the terminal (OSC 52), where the terminal
    /// allows it.
    public func copyToClipboard(_ text: String) {
        guard active else { return }
        write(TerminalSequences.clipboard(text, insideTmux: insideTmux))
    }

    // MARK: - Drawing

    private func put(_ change: ScreenDiff.Change, of screen: Screen, columns: Int) {
        let cell = screen[change.row, change.column]
        let look = pairs[cell.style]
        var character = change.isOrphan ? " " : cell.character
        var cells = change.cells
        if change.column + cells > columns {
            // The right half would be off the terminal.
            character = " "
            cells = 1
        }
        let glyph = CellGlyph(character, cells: cells, maximumScalars: Int(CCHARW_MAX), replacement: replacement) { scalar in
            Int(systemWidth(wchar_t(bitPattern: scalar.value)))
        }
        let attributes = CursesAttributes.of(look.style)
        add(glyph.scalars, row: change.row, column: change.column, attributes: attributes, pair: look.pair)
        let padStart = change.column + cells - glyph.padding
        for column in padStart..<(padStart + glyph.padding) {
            add([" "], row: change.row, column: column, attributes: attributes, pair: look.pair)
        }
    }

    private func add(_ scalars: [Unicode.Scalar], row: Int, column: Int, attributes: attr_t, pair: Int32) {
        var text = scalars.map { wchar_t(bitPattern: $0.value) } + [0]
        var cell = cchar_t()
        var pairNumber = pair
        setcchar(&cell, &text, attributes, 0, &pairNumber)
        // Curses answers ERR for the bottom-right cell (it cannot move past it) yet draws it.
        mvwadd_wch(window, Int32(row), Int32(column), &cell)
    }

    private func showCursor(_ shown: Bool) {
        guard cursorShown != shown else { return }
        curs_set(shown ? 1 : 0)
        cursorShown = shown
    }

    /// Tells curses the colour pairs of `pairs`.
    private func defineColors() {
        for (index, pair) in pairs.pairs.enumerated() {
            init_extended_pair(Int32(index + 1), pair.foreground, pair.background)
        }
        // What curses clears with: the theme's normal look, also where a screen smaller than
        // the terminal leaves cells undrawn.
        let normal = pairs[.normal]
        var blank: [wchar_t] = [0x20, 0]
        var background = cchar_t()
        var pair = normal.pair
        setcchar(&background, &blank, CursesAttributes.of(normal.style), 0, &pair)
        wbkgrndset(window, &background)
    }

    // MARK: - Input

    /// The new size after `KEY_RESIZE`: curses has resized itself; the window follows.
    private func resized() -> RawInput {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            wresize(window, Int32(size.ws_row), Int32(size.ws_col))
        }
        needsFullRedraw = true
        let (width, height) = self.size
        return .resize(width: width, height: height)
    }

    private func milliseconds() -> Int {
        let elapsed = ContinuousClock.now - clockStart
        return Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Writes `text` to the terminal directly, for what curses does not know (mouse modes,
    /// bracketed paste, OSC 52). Curses has written all it had when its calls return.
    private func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// Whether a `Terminal` is active: curses has one terminal per program.
private let terminalClaim = Mutex(false)

private func claimTerminal() -> Bool {
    terminalClaim.withLock { claimed in
        if claimed { return false }
        claimed = true
        return true
    }
}

private func releaseTerminal() {
    terminalClaim.withLock { $0 = false }
}
