import Foundation
import Glibc
import Testing
import Playground
@testable import PlaygroundTerminal

/// The backend on a pseudo-terminal: real curses, a terminal played by the test. One at a time,
/// as curses has one terminal.
@Suite(.serialized) struct TerminalTests {
    private func options(_ pty: PseudoTerminal, _ environment: [String: String] = [:]) -> Terminal.Options {
        Terminal.Options(environment: ["TERM": "xterm-256color"].merging(environment) { $1 }, device: pty.devicePath)
    }

    /// Reads until `count` events came or a second passed.
    private func events(_ terminal: Terminal, count: Int) -> [InputEvent] {
        var events: [InputEvent] = []
        let deadline = ContinuousClock.now + .seconds(1)
        while events.count < count, ContinuousClock.now < deadline {
            events += terminal.readInput(timeoutMilliseconds: 20)
        }
        return events
    }

    @Test func setsUpDrawsAndRestores() throws {
        let pty = try PseudoTerminal(rows: 10, columns: 40)
        let cooked = pty.settings()
        let terminal = try Terminal(options(pty))
        #expect(terminal.size == (40, 10))
        #expect(terminal.capabilities.terminalType == "xterm-256color")
        #expect(terminal.capabilities.colorDepth == .palette256)
        #expect(terminal.capabilities.mouse)
        let raw = pty.settings()
        #expect(raw.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)

        var screen = Screen(width: 40, height: 10)
        screen.put("hello 漢字", row: 2, column: 3, style: .title)
        terminal.draw(screen)
        let drawn = pty.output()
        #expect(drawn.contains("hello") && drawn.contains("漢字"))
        #expect(drawn.contains("\u{1B}[?1006h") && drawn.contains("\u{1B}[?2004h"))
        #expect(drawn.contains("\u{1B}[0;1m\u{1B}[38;5;110mhello"))

        terminal.restore()
        let restored = pty.output()
        #expect(restored.contains("\u{1B}[?2004l") && restored.contains("\u{1B}[?1006l"))
        #expect(pty.settings().c_lflag == cooked.c_lflag)
        terminal.restore()
        #expect(terminal.readInput(timeoutMilliseconds: 0).isEmpty)
        terminal.draw(screen)
    }

    @Test func onlyChangedCellsAreSent() throws {
        let pty = try PseudoTerminal(rows: 5, columns: 20)
        let terminal = try Terminal(options(pty))
        defer { terminal.restore() }
        var screen = Screen(width: 20, height: 5)
        screen.put("first frame", row: 0, column: 0, style: .normal)
        terminal.draw(screen)
        _ = pty.output()
        terminal.draw(screen)
        let before = pty.output()
        screen.put("Z", row: 3, column: 5, style: .normal)
        terminal.draw(screen)
        let after = pty.output()
        #expect(after.dropFirst(before.count).contains("Z"))
        #expect(!after.dropFirst(before.count).contains("first"))
    }

    @Test func decodesKeysPasteAndMouse() throws {
        let pty = try PseudoTerminal(rows: 10, columns: 40)
        let terminal = try Terminal(options(pty))
        defer { terminal.restore() }
        pty.send("a\u{03}\u{1B}[1;5A\u{1B}b\u{1B}[200~two\rlines\u{1B}[201~\u{1B}[<0;5;3M\u{7F}\u{1B}OP")
        #expect(events(terminal, count: 8) == [
            .key(.char("a")), .key(.ctrl("c")), .key(KeyPress(.up, [.control])), .key(.alt("b")),
            .paste("two\nlines"), .mouse(MouseEvent(.press, row: 2, column: 4)), .key(KeyPress(.backspace)),
            .key(KeyPress(.function(1))),
        ])
        pty.send("\u{1B}")
        #expect(events(terminal, count: 1) == [.key(KeyPress(.escape))])
    }

    @Test func drawsAnySizeWithoutCrashing() throws {
        let pty = try PseudoTerminal(rows: 3, columns: 4)
        let terminal = try Terminal(options(pty))
        defer { terminal.restore() }
        for (width, height) in [(0, 0), (1, 1), (4, 3), (10, 10), (3, 1), (1, 5)] {
            var screen = Screen(width: width, height: height)
            screen.put("漢字漢字 wide text", row: 0, column: 0, style: .statusBar)
            screen.put("😀", row: height - 1, column: max(0, width - 2), style: .error)
            screen.cursor = (height, width)
            terminal.draw(screen)
        }
        // A wide character whose right half would be off the terminal is drawn as a blank.
        var screen = Screen(width: 6, height: 3)
        screen.put("abc漢", row: 0, column: 0, style: .normal)
        terminal.draw(screen)
        #expect(pty.output().contains("abc"))
    }

    @Test func themesSwitchAndColoursFollowNoColor() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        let terminal = try Terminal(options(pty, ["NO_COLOR": "1"]))
        defer { terminal.restore() }
        #expect(terminal.capabilities.colorDepth == .none)
        var screen = Screen(width: 20, height: 4)
        screen.fill(Rect(row: 3, column: 0, width: 20, height: 1), style: .statusBar)
        screen.put("status", row: 3, column: 0, style: .statusBar)
        terminal.draw(screen)
        let drawn = pty.output()
        #expect(drawn.contains("\u{1B}[7m") || drawn.contains(";7m"))
        #expect(!drawn.contains("38;5;"))
        terminal.setTheme(Theme(name: "plain", styles: [.statusBar: TextStyle(underline: true)]))
        terminal.draw(screen)
        #expect(pty.output().dropFirst(drawn.count).contains("status"))
    }

    @Test func eightColourTerminalsGetEightColours() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        let terminal = try Terminal(options(pty, ["TERM": "xterm"]))
        defer { terminal.restore() }
        #expect(terminal.capabilities.colorDepth == .ansi8)
        var screen = Screen(width: 20, height: 4)
        screen.put("error", row: 0, column: 0, style: .error)
        terminal.draw(screen)
        let drawn = pty.output()
        #expect(drawn.contains("\u{1B}[31m"))
        #expect(!drawn.contains("38;5;"))
    }

    @Test func colourDepthCanBeCapped() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        var capped = options(pty)
        capped.colorDepth = .ansi16
        let terminal = try Terminal(capped)
        defer { terminal.restore() }
        #expect(terminal.capabilities.colorDepth == .ansi16)
    }

    @Test func clipboardGoesToTheTerminal() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        let terminal = try Terminal(options(pty))
        defer { terminal.restore() }
        _ = pty.output()
        terminal.copyToClipboard("copied")
        #expect(pty.output().contains("\u{1B}]52;c;Y29waWVk\u{07}"))
    }

    @Test func suspendGivesTheTerminalBackAndReturns() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        let cooked = pty.settings()
        let terminal = try Terminal(options(pty))
        defer { terminal.restore() }
        var screen = Screen(width: 20, height: 4)
        screen.put("frame", row: 1, column: 1, style: .normal)
        terminal.draw(screen)
        _ = pty.output()
        let during = terminal.suspend { pty.settings().c_lflag }
        #expect(during == cooked.c_lflag)
        #expect(pty.settings().c_lflag & tcflag_t(ICANON | ECHO) == 0)
        let after = pty.output()
        #expect(after.contains("\u{1B}[?2004l") && after.contains("\u{1B}[?2004h"))
        #expect(after.contains("frame"))
    }

    @Test func oneTerminalAtATime() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        let terminal = try Terminal(options(pty))
        #expect(throws: TerminalError.alreadyActive) { try Terminal(options(pty)) }
        terminal.restore()
        let again = try Terminal(options(pty))
        again.restore()
    }

    @Test func setupProblemsAreOneLineErrors() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 20)
        #expect(throws: TerminalError.unknownTerminalType("no-such-terminal")) {
            try Terminal(options(pty, ["TERM": "no-such-terminal"]))
        }
        #expect(throws: TerminalError.noTerminalType) {
            try Terminal(Terminal.Options(environment: [:], device: pty.devicePath))
        }
        #expect(throws: TerminalError.noTerminal(device: "/nonexistent/tty", reason: "No such file or directory")) {
            try Terminal(options(pty).with(device: "/nonexistent/tty"))
        }
        #expect(throws: TerminalError.noTerminal(device: "/dev/null", reason: "not a terminal")) {
            try Terminal(options(pty).with(device: "/dev/null"))
        }
        #expect(!TerminalError.unknownTerminalType("x").description.contains("\n"))
        // After a failed set-up, a terminal can still be had.
        try Terminal(options(pty)).restore()
    }
}

private extension Terminal.Options {
    func with(device: String) -> Terminal.Options {
        var options = self
        options.device = device
        return options
    }
}
