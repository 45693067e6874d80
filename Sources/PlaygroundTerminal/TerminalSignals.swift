import Glibc

/// Puts the terminal back when a signal ends the program: termination requests (SIGTERM,
/// SIGHUP, SIGQUIT, and SIGINT, which raw mode does not generate but `kill` can send) and
/// crashes (SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE). The handler only makes async-signal-safe
/// calls: `tcsetattr` with the settings saved before curses started and `write` of the reset
/// sequences. Then a crash goes on to the handler that was there before (the Swift runtime's
/// backtrace, now on a usable terminal), and every signal ends in its default action.
enum TerminalSignals {
    static let restoring: [Int32] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT] + crashes
    static let crashes: [Int32] = [SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE]
    static let interrupting: [Int32] = [SIGINT, SIGQUIT]

    /// Installs the handlers for the terminal `fd`, to restore `settings` on a signal. Signals
    /// the program ignores (under `nohup`, say) stay ignored.
    static func install(fd: Int32, settings: termios) {
        unblockTerminalSignals()
        let state = signalState
        state.pointee.fd = fd
        state.pointee.settings = settings
        for signal in restoring {
            var previous = sigaction()
            _ = sigaction(signal, nil, &previous)
            state.pointee.previous[Int(signal)] = previous
            guard !isIgnored(previous) else { continue }
            setRestoringHandler(for: signal)
        }
    }

    /// A program can start with signals blocked (inherited from whatever launched it); the
    /// ones a terminal program lives by must arrive: a blocked SIGWINCH would freeze the layout
    /// at its first size, a blocked SIGTERM or SIGHUP would leave the program running after its
    /// terminal is gone. Threads started later inherit this mask.
    private static func unblockTerminalSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in restoring + [SIGWINCH, SIGCONT, SIGTSTP] { sigaddset(&set, signal) }
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Gives every signal back to its disposition from before `install`.
    static func uninstall() {
        for signal in restoring {
            var previous = signalState.pointee.previous[Int(signal)]
            _ = sigaction(signal, &previous, nil)
        }
    }

    /// While another program has the terminal, Ctrl-C and Ctrl-\ are its own: this program
    /// ignores them (by a handler that does nothing, which, unlike SIG_IGN, the other program
    /// does not inherit), and takes them back afterwards.
    static func setInterruptsIgnored(_ ignored: Bool) {
        for signal in interrupting where !isIgnored(signalState.pointee.previous[Int(signal)]) {
            if ignored {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = ignoreSignal
                sigemptyset(&action.sa_mask)
                _ = sigaction(signal, &action, nil)
            } else {
                setRestoringHandler(for: signal)
            }
        }
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        guard let handler = action.__sigaction_handler.sa_handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    private static func setRestoringHandler(for signal: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = restoreTerminalOnSignal
        sigemptyset(&action.sa_mask)
        // On the alternate signal stack where there is one, so a stack overflow is caught too.
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        _ = sigaction(signal, &action, nil)
    }
}

/// What the handler needs, in memory allocated once and never freed, so that a handler running
/// on another thread never reads freed memory.
struct SignalRestoreState {
    var fd: Int32 = -1
    var settings = termios()
    /// The reset sequences, as bytes.
    var reset: UnsafeMutableBufferPointer<UInt8>
    /// Each signal's disposition before `install`, by signal number.
    var previous: UnsafeMutableBufferPointer<sigaction>
}

nonisolated(unsafe) let signalState: UnsafeMutablePointer<SignalRestoreState> = {
    let state = UnsafeMutablePointer<SignalRestoreState>.allocate(capacity: 1)
    let bytes = Array(TerminalSequences.reset.utf8)
    let reset = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
    _ = reset.initialize(from: bytes)
    let previous = UnsafeMutableBufferPointer<sigaction>.allocate(capacity: 65)
    previous.initialize(repeating: sigaction())
    state.initialize(to: SignalRestoreState(reset: reset, previous: previous))
    return state
}()

private func restoreTerminalOnSignal(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let state = signalState
    if state.pointee.fd >= 0 {
        _ = tcsetattr(state.pointee.fd, TCSANOW, &state.pointee.settings)
        _ = write(state.pointee.fd, state.pointee.reset.baseAddress, state.pointee.reset.count)
    }
    // A switch, not `crashes.contains`: no array (and no reference counting) in a handler.
    switch signal {
    case SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE:
        let previous = state.pointee.previous[Int(signal)]
        let handler = previous.__sigaction_handler
        if previous.sa_flags & SA_SIGINFO != 0, let report = handler.sa_sigaction {
            report(signal, info, context)
        } else if let report = handler.sa_handler, unsafeBitCast(report, to: Int.self) > 1 {
            // Neither SIG_DFL (0) nor SIG_IGN (1): a handler.
            report(signal)
        }
    default:
        break
    }
    var standard = sigaction()
    sigemptyset(&standard.sa_mask)
    _ = sigaction(signal, &standard, nil)
    // Blocked until this handler returns, then the default action.
    raise(signal)
}

private func ignoreSignal(_ signal: Int32) {}
