import Testing
@testable import PlaygroundTerminal

/// Widths as the C library gives them in a UTF-8 locale, for the code points used here.
private func libcWidth(_ scalar: Unicode.Scalar) -> Int {
    switch scalar.value {
    case 0x300...0x36F, 0x200D, 0xFE0F: return 0
    case 0x1F1E6...0x1F1FF, 0x263A: return 1
    case 0x4E00...0x9FFF, 0x1F300...0x1F64F, 0x1F3FB...0x1F3FF, 0x1F466...0x1F469, 0x1F44D: return 2
    case 0xE0000...: return -1
    default: return scalar.value < 0x20 ? -1 : 1
    }
}

private func glyph(_ character: Character, cells: Int, maximum: Int = 5) -> CellGlyph {
    CellGlyph(character, cells: cells, maximumScalars: maximum, replacement: "\u{FFFD}", width: libcWidth)
}

@Suite struct CellGlyphTests {
    @Test func plainAndWideCharactersAreThemselves() {
        #expect(glyph("a", cells: 1) == CellGlyph(scalars: ["a"], padding: 0))
        #expect(glyph("漢", cells: 2) == CellGlyph(scalars: ["漢"], padding: 0))
        #expect(glyph("😀", cells: 2) == CellGlyph(scalars: ["😀"], padding: 0))
    }

    @Test func combiningMarksStayWithTheirCharacter() {
        #expect(glyph("e\u{301}", cells: 1) == CellGlyph(scalars: ["e", "\u{301}"], padding: 0))
        #expect(glyph("a\u{308}\u{323}", cells: 1) == CellGlyph(scalars: ["a", "\u{308}", "\u{323}"], padding: 0))
    }

    @Test func marksBeyondWhatACellHoldsAreDropped() {
        let zalgo = Character("a\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}")
        #expect(glyph(zalgo, cells: 1) == CellGlyph(scalars: ["a", "\u{300}", "\u{301}", "\u{302}", "\u{303}"], padding: 0))
    }

    @Test func joinedEmojiSequencesDrawTheirFirstEmoji() {
        let family: Character = "👨\u{200D}👩\u{200D}👧\u{200D}👦"
        #expect(glyph(family, cells: 2) == CellGlyph(scalars: ["👨"], padding: 0))
        #expect(glyph("👍🏽", cells: 2) == CellGlyph(scalars: ["👍"], padding: 0))
    }

    @Test func aNarrowFirstCodePointIsPaddedToTheCells() {
        #expect(glyph("☺\u{FE0F}", cells: 2) == CellGlyph(scalars: ["☺"], padding: 1))
        #expect(glyph("🇫🇷", cells: 2) == CellGlyph(scalars: ["🇫"], padding: 1))
    }

    @Test func whatCannotBeDrawnIsTheReplacementCharacter() {
        #expect(glyph("\u{E0041}", cells: 1) == CellGlyph(scalars: ["\u{FFFD}"], padding: 0))
        #expect(glyph("\u{7}", cells: 1) == CellGlyph(scalars: ["\u{FFFD}"], padding: 0))
        #expect(glyph("\u{9B}", cells: 1) == CellGlyph(scalars: ["\u{FFFD}"], padding: 0))
        // Wider than the screen gave it: it would push the line.
        #expect(glyph("漢", cells: 1) == CellGlyph(scalars: ["\u{FFFD}"], padding: 0))
        #expect(glyph("\u{E0041}", cells: 2) == CellGlyph(scalars: ["\u{FFFD}"], padding: 1))
    }

    @Test func everyGlyphFillsExactlyItsCells() {
        let samples: [Character] = ["a", "漢", "😀", "e\u{301}", "👨\u{200D}👩\u{200D}👧", "☺\u{FE0F}", "🇫🇷", "\u{E0041}", "\u{1}"]
        for character in samples {
            for cells in 1...2 {
                let result = glyph(character, cells: cells)
                let width = max(0, libcWidth(result.scalars[0]))
                #expect(width + result.padding == cells || (result.scalars == ["\u{FFFD}"] && 1 + result.padding == cells), "\(character) in \(cells)")
            }
        }
    }
}
