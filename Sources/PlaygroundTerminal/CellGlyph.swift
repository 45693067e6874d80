import Playground

/// What to hand curses for one screen character so that it takes exactly its cells. Curses and
/// the terminal measure a character by its first code point (the C library's `wcwidth`) and a
/// cell holds at most a few code points (`CCHARW_MAX`), while the screen measures whole grapheme
/// clusters; where they disagree (emoji sequences joined by U+200D, a text symbol made emoji by
/// U+FE0F, code points the C library does not know), drawing the cluster whole could shift the
/// rest of the line. So a cluster is drawn as its first code point with the zero-width marks
/// that follow it, padded with blanks to its cells; a first code point of the wrong width
/// becomes the replacement character.
struct CellGlyph: Equatable {
    var scalars: [Unicode.Scalar]
    /// Blank cells to draw after the glyph.
    var padding: Int

    static let joiner: Unicode.Scalar = "\u{200D}"

    /// - Parameters:
    ///   - cells: the cells the screen gives the character (1 or 2).
    ///   - maximumScalars: code points one cell holds (`CCHARW_MAX`).
    ///   - replacement: drawn for what cannot be drawn (U+FFFD, or "?" without Unicode).
    ///   - width: the cells the C library gives a code point (-1: not printable).
    init(
        _ character: Character, cells: Int, maximumScalars: Int, replacement: Unicode.Scalar,
        width: (Unicode.Scalar) -> Int
    ) {
        let cells = max(1, cells)
        let all = Array(character.unicodeScalars)
        guard let first = all.first, first.value >= 0x20, !(0x7F...0x9F).contains(first.value) else {
            self.init(scalars: [replacement], padding: cells - 1)
            return
        }
        let firstWidth = width(first)
        guard firstWidth >= 1, firstWidth <= cells else {
            self.init(scalars: [replacement], padding: cells - 1)
            return
        }
        var scalars = [first]
        if firstWidth == cells {
            for scalar in all.dropFirst() {
                guard scalars.count < maximumScalars, scalar != Self.joiner, width(scalar) == 0 else { break }
                scalars.append(scalar)
            }
        }
        // A narrower first code point goes alone: a mark after it (U+FE0F) could widen it.
        self.init(scalars: scalars, padding: cells - firstWidth)
    }

    init(scalars: [Unicode.Scalar], padding: Int) {
        self.scalars = scalars
        self.padding = padding
    }
}
