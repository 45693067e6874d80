/// What the terminal backend reads, before decoding: curses' `get_wch` gives either a character
/// (possibly one byte of an escape sequence curses did not recognise) or a key code, which the
/// backend passes on by its curses name (`keyname`), e.g. "KEY_UP", "KEY_F(5)", "kUP5"; and a
/// new size after `KEY_RESIZE`. `InputDecoder` turns these into `InputEvent`s.
public enum RawInput: Hashable, Sendable {
    case character(Unicode.Scalar)
    case key(name: String)
    case resize(width: Int, height: Int)

    /// The characters of `bytes` decoded as UTF-8 (invalid bytes become U+FFFD), as a terminal
    /// without key recognition delivers them.
    public static func characters(of bytes: [UInt8]) -> [RawInput] {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.map { .character($0) }
    }
}
