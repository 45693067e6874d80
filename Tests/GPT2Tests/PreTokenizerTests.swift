import Testing
@testable import GPT2

/// The pre-tokenisation pattern, checked piece by piece (no vocabulary needed).
struct PreTokenizerTests {
    @Test(arguments: [
        ("Hello world", ["Hello", " world"]),
        ("", []),
        ("a", ["a"]),
        (" ", [" "]),
        ("   ", ["   "]),
        // A whitespace run before a word leaves one space to the word.
        ("a   b", ["a", "  ", " b"]),
        ("a  b", ["a", " ", " b"]),
        // The character left to the next piece can be any whitespace; only U+0020 joins a word.
        ("a \tb", ["a", " ", "\t", "b"]),
        ("a\t\tb", ["a", "\t", "\t", "b"]),
        ("\tb", ["\t", "b"]),
        ("\n\nb", ["\n", "\n", "b"]),
        ("x\n \ny", ["x", "\n ", "\n", "y"]),
        ("x \n y", ["x", " \n", " y"]),
        ("end  ", ["end", "  "]),
        ("end \n", ["end", " \n"]),
        ("\r\n", ["\r\n"]),
        // Contractions: lower case only, taken wherever an apostrophe starts a piece.
        ("I'm", ["I", "'m"]),
        ("DON'T", ["DON", "'", "T"]),
        ("they'RE", ["they", "'", "RE"]),
        ("they're", ["they", "'re"]),
        ("we'll've", ["we", "'ll", "'ve"]),
        ("'sup", ["'s", "up"]),
        ("'lll", ["'ll", "l"]),
        (" 's", [" '", "s"]),
        ("!'s", ["!'", "s"]),
        ("''s", ["''", "s"]),
        ("'", ["'"]),
        ("it\u{2019}s", ["it", "\u{2019}", "s"]),
        // Numbers, letters and other runs.
        ("abc123def", ["abc", "123", "def"]),
        (" 123 456", [" 123", " 456"]),
        ("hello!!! world", ["hello", "!!!", " world"]),
        (" !?", [" !?"]),
        ("\u{00BD}\u{0661}", ["\u{00BD}\u{0661}"]),
        ("cafe\u{0301}", ["cafe", "\u{0301}"]),
        ("\u{4F60}\u{597D}", ["\u{4F60}\u{597D}"]),
        (" \u{1F600}\u{1F600}", [" \u{1F600}\u{1F600}"]),
        // Unicode spaces are whitespace but never the optional leading space.
        ("a\u{00A0}b", ["a", "\u{00A0}", "b"]),
        ("a\u{3000}\u{3000}b", ["a", "\u{3000}", "\u{3000}", "b"]),
        ("\u{00A0} x", ["\u{00A0}", " x"]),
        // U+001C…U+001F are not White_Space.
        ("a\u{1C}b", ["a", "\u{1C}", "b"]),
        ("x\u{1C} y", ["x", "\u{1C}", " y"]),
    ])
    func splitsLikeGPT2sPattern(text: String, expected: [String]) {
        let pieces = PreTokenizer.pieces(of: text)
        #expect(pieces.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
    }

    @Test func piecesCoverTheTextExactly() throws {
        var generator = SplitMix64(seed: 11)
        let alphabet: [String] = ["a", "Z", "'", "s", " ", " ", "\t", "\n", "1", "!", "\u{00A0}",
                                  "\u{0301}", "\u{4E2D}", "\u{1F600}", "\u{85}", "\u{1C}"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...30, using: &generator))
                .map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
                .joined()
            let pieces = PreTokenizer.pieces(of: text)
            #expect(Array(pieces.joined().utf8) == Array(text.utf8))
            #expect(!pieces.contains(""))
        }
    }

    @Test func characterClassesMatchTiktokensOnEveryCodePoint() throws {
        let classes = try TokenizerFixtures.characterClasses()
        var expected = [ScalarClass](repeating: .other, count: 0x110000)
        for (ranges, kind) in [(classes.letter, ScalarClass.letter), (classes.number, .number),
                               (classes.whitespace, .whitespace)] {
            for range in ranges {
                for value in range[0]...range[1] {
                    expected[Int(value)] = kind
                }
            }
        }
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            let ours = ScalarClass(scalar)
            if ours != expected[Int(value)] {
                mismatches.append("U+\(String(value, radix: 16, uppercase: true)) \(ours) vs \(expected[Int(value)])")
            }
        }
        let count = mismatches.count
        #expect(count == 0, "\(count) code points differ, e.g. \(mismatches.prefix(20))")
    }
}
