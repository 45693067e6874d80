import Foundation

/// Quoting for POSIX shells.
public enum ShellQuoting {
    /// `text` as one shell word: inside single quotes nothing is special, so only a single
    /// quote needs care (close the quotes, an escaped quote, reopen): `it's` → `'it'\''s'`.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
