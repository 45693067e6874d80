import CNCursesW
import Playground

/// Curses' attribute bits. curses.h builds them with a function-like macro
/// (`NCURSES_BITS(1U, n)`, that is `1 << (n + 8)`), which Swift does not import.
enum CursesAttributes {
    static let underline: attr_t = 1 << 17
    static let reverse: attr_t = 1 << 18
    static let dim: attr_t = 1 << 20
    static let bold: attr_t = 1 << 21
    static let italic: attr_t = 1 << 31

    static func of(_ style: TextStyle) -> attr_t {
        var attributes: attr_t = 0
        if style.bold { attributes |= bold }
        if style.dim { attributes |= dim }
        if style.italic { attributes |= italic }
        if style.underline { attributes |= underline }
        if style.reverse { attributes |= reverse }
        return attributes
    }
}
