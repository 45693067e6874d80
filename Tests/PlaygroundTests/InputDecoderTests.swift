import Testing
@testable import Playground

/// Feeds bytes (as a terminal without key recognition sends them) and curses key names.
private struct DecoderHarness {
    var decoder = InputDecoder()
    var now = 0

    mutating func bytes(_ bytes: [UInt8]) -> [InputEvent] {
        decoder.decode(RawInput.characters(of: bytes), at: now)
    }

    mutating func text(_ text: String) -> [InputEvent] {
        bytes(Array(text.utf8))
    }

    mutating func key(_ name: String) -> [InputEvent] {
        decoder.decode(.key(name: name), at: now)
    }

    /// Lets `milliseconds` pass with no input.
    mutating func wait(_ milliseconds: Int) -> [InputEvent] {
        now += milliseconds
        return decoder.idle(at: now)
    }
}

private func keys(_ presses: KeyPress...) -> [InputEvent] { presses.map { .key($0) } }

@Suite struct InputDecoderTests {
    @Test func printableCharactersAreKeys() {
        var input = DecoderHarness()
        #expect(input.text("aZ?") == keys(.char("a"), .char("Z"), .char("?")))
        #expect(input.text("é漢😀") == keys(.char("é"), .char("漢"), .char("😀")))
    }

    @Test func controlCharactersAreCtrlKeys() {
        var input = DecoderHarness()
        #expect(input.bytes([0x01, 0x05, 0x0B, 0x12, 0x15, 0x17, 0x19, 0x1A]) ==
            keys(.ctrl("a"), .ctrl("e"), .ctrl("k"), .ctrl("r"), .ctrl("u"), .ctrl("w"), .ctrl("y"), .ctrl("z")))
        #expect(input.bytes([0x03]) == keys(.ctrl("c")))
        #expect(input.bytes([0x00]) == keys(KeyPress(.character(" "), [.control])))
        #expect(input.bytes([0x0A]) == keys(.ctrl("j")))
        #expect(input.bytes([0x1C, 0x1D, 0x1F]) == keys(.ctrl("\\"), .ctrl("]"), .ctrl("_")))
    }

    @Test func enterTabAndEveryBackspace() {
        var input = DecoderHarness()
        #expect(input.bytes([0x0D, 0x09]) == keys(KeyPress(.enter), KeyPress(.tab)))
        #expect(input.bytes([0x7F, 0x08]) == keys(KeyPress(.backspace), KeyPress(.backspace)))
        #expect(input.key("KEY_BACKSPACE") == keys(KeyPress(.backspace)))
        #expect(input.key("KEY_ENTER") == keys(KeyPress(.enter)))
    }

    @Test func escFollowedByACharacterIsAlt() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}b\u{1B}f\u{1B}d") == keys(.alt("b"), .alt("f"), .alt("d")))
        #expect(input.text("\u{1B}B") == keys(KeyPress(.character("b"), [.alt, .shift])))
        #expect(input.bytes([0x1B, 0x7F]) == keys(KeyPress(.backspace, [.alt])))
        #expect(input.bytes([0x1B, 0x0D]) == keys(KeyPress(.enter, [.alt])))
        #expect(input.bytes([0x1B, 0x01]) == keys(KeyPress(.character("a"), [.control, .alt])))
        #expect(input.text("\u{1B}.") == keys(.alt(".")))
    }

    @Test func loneEscIsTheEscapeKeyOnlyAfterTheDelay() {
        var input = DecoderHarness()
        #expect(input.bytes([0x1B]).isEmpty)
        #expect(input.decoder.isWaiting)
        #expect(input.wait(10).isEmpty)
        #expect(input.wait(15) == keys(KeyPress(.escape)))
        #expect(!input.decoder.isWaiting)
        #expect(input.wait(100).isEmpty)
    }

    @Test func escapeTimingCanBeLeftToTheBackend() {
        var input = DecoderHarness(decoder: InputDecoder(timing: .init(loneEscape: 0)))
        #expect(input.bytes([0x1B]).isEmpty)
        #expect(input.wait(0) == keys(KeyPress(.escape)))
    }

    @Test func twoEscapesAreTwoEscapeKeys() {
        var input = DecoderHarness()
        #expect(input.bytes([0x1B, 0x1B]) == keys(KeyPress(.escape)))
        #expect(input.wait(30) == keys(KeyPress(.escape)))
    }

    @Test func escBeforeARecognisedKeyIsAlt() {
        var input = DecoderHarness()
        _ = input.bytes([0x1B])
        #expect(input.key("KEY_UP") == keys(KeyPress(.up, [.alt])))
        #expect(input.key("KEY_UP") == keys(KeyPress(.up)))
    }

    @Test func cursorKeysInBothForms() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == keys(KeyPress(.up), KeyPress(.down), KeyPress(.right), KeyPress(.left)))
        #expect(input.text("\u{1B}OA\u{1B}OH\u{1B}OF") == keys(KeyPress(.up), KeyPress(.home), KeyPress(.end)))
        #expect(input.text("\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~") == keys(KeyPress(.home), KeyPress(.end), KeyPress(.home), KeyPress(.end)))
    }

    @Test func modifiedCursorKeys() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[1;5A") == keys(KeyPress(.up, [.control])))
        #expect(input.text("\u{1B}[1;5B") == keys(KeyPress(.down, [.control])))
        #expect(input.text("\u{1B}[1;3D") == keys(KeyPress(.left, [.alt])))
        #expect(input.text("\u{1B}[1;2C") == keys(KeyPress(.right, [.shift])))
        #expect(input.text("\u{1B}[1;6H") == keys(KeyPress(.home, [.control, .shift])))
        #expect(input.text("\u{1B}[1;7F") == keys(KeyPress(.end, [.control, .alt])))
        #expect(input.text("\u{1B}[1;9A") == keys(KeyPress(.up, [.alt])))
        #expect(input.text("\u{1B}[3;5~") == keys(KeyPress(.delete, [.control])))
    }

    @Test func editingAndPagingKeys() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[2~\u{1B}[3~\u{1B}[5~\u{1B}[6~") ==
            keys(KeyPress(.insert), KeyPress(.delete), KeyPress(.pageUp), KeyPress(.pageDown)))
        #expect(input.text("\u{1B}[Z") == keys(KeyPress(.tab, [.shift])))
    }

    @Test func functionKeysOneToTwelve() {
        var input = DecoderHarness()
        let sequences = ["\u{1B}OP", "\u{1B}OQ", "\u{1B}OR", "\u{1B}OS", "\u{1B}[15~", "\u{1B}[17~", "\u{1B}[18~",
                         "\u{1B}[19~", "\u{1B}[20~", "\u{1B}[21~", "\u{1B}[23~", "\u{1B}[24~"]
        for (index, sequence) in sequences.enumerated() {
            #expect(input.text(sequence) == keys(KeyPress(.function(index + 1))), "F\(index + 1)")
        }
        #expect(input.text("\u{1B}[11~\u{1B}[1;2P\u{1B}[15;5~") ==
            keys(KeyPress(.function(1)), KeyPress(.function(1), [.shift]), KeyPress(.function(5), [.control])))
    }

    @Test func cursesKeyCodesByName() {
        var input = DecoderHarness()
        let expected: [(String, KeyPress)] = [
            ("KEY_UP", KeyPress(.up)), ("KEY_DOWN", KeyPress(.down)), ("KEY_LEFT", KeyPress(.left)),
            ("KEY_RIGHT", KeyPress(.right)), ("KEY_HOME", KeyPress(.home)), ("KEY_END", KeyPress(.end)),
            ("KEY_PPAGE", KeyPress(.pageUp)), ("KEY_NPAGE", KeyPress(.pageDown)), ("KEY_DC", KeyPress(.delete)),
            ("KEY_IC", KeyPress(.insert)), ("KEY_BTAB", KeyPress(.tab, [.shift])),
            ("KEY_SLEFT", KeyPress(.left, [.shift])), ("KEY_SRIGHT", KeyPress(.right, [.shift])),
            ("KEY_SR", KeyPress(.up, [.shift])), ("KEY_SF", KeyPress(.down, [.shift])),
            ("KEY_SHOME", KeyPress(.home, [.shift])), ("KEY_SEND", KeyPress(.end, [.shift])),
            ("KEY_F(1)", KeyPress(.function(1))), ("KEY_F(5)", KeyPress(.function(5))), ("KEY_F(12)", KeyPress(.function(12))),
            ("KEY_F(13)", KeyPress(.function(1), [.shift])), ("KEY_F(29)", KeyPress(.function(5), [.control])),
            ("kUP5", KeyPress(.up, [.control])), ("kDN5", KeyPress(.down, [.control])),
            ("kLFT5", KeyPress(.left, [.control])), ("kRIT5", KeyPress(.right, [.control])),
            ("kLFT3", KeyPress(.left, [.alt])), ("kRIT6", KeyPress(.right, [.control, .shift])),
            ("kHOM5", KeyPress(.home, [.control])), ("kEND5", KeyPress(.end, [.control])),
            ("kUP", KeyPress(.up, [.shift])), ("kDC5", KeyPress(.delete, [.control])),
        ]
        for (name, key) in expected {
            #expect(input.key(name) == keys(key), "\(name)")
        }
    }

    @Test func unknownKeyCodesAreDropped() {
        var input = DecoderHarness()
        #expect(input.key("KEY_MOUSE").isEmpty)
        #expect(input.key("KEY_F(99)").isEmpty)
        #expect(input.key("kUP9").isEmpty)
        #expect(input.key("KEY_B2").isEmpty)
    }

    @Test func kittyAndModifyOtherKeysReports() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[13;2u") == keys(KeyPress(.enter, [.shift])))
        #expect(input.text("\u{1B}[97;5u") == keys(.ctrl("a")))
        #expect(input.text("\u{1B}[27;5;13~") == keys(KeyPress(.enter, [.control])))
        #expect(input.text("\u{1B}[97;2u") == keys(.char("A")))
    }

    @Test func unknownSequencesAreSwallowedNotTyped() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[99~x") == keys(.char("x")))
        #expect(input.text("\u{1B}[I\u{1B}[O") == [])
        #expect(input.text("\u{1B}[?1;2c") == [])
        #expect(input.text("\u{1B}[42;1;1xq") == keys(.char("q")))
    }

    @Test func aBrokenSequenceKeepsTheCharacterThatBrokeIt() {
        var input = DecoderHarness()
        #expect(input.bytes([0x1B, 0x5B, 0x31, 0x0D]) == keys(KeyPress(.enter)))
        #expect(input.bytes([0x1B, 0x5B, 0x0D]) == keys(.alt("["), KeyPress(.enter)))
        #expect(input.bytes([0x1B, 0x4F, 0x78]) == keys(KeyPress(.character("o"), [.alt, .shift]), .char("x")))
    }

    @Test func anUnfinishedSequenceGivesUpAfterItsTime() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[1;5").isEmpty)
        #expect(input.wait(50).isEmpty)
        #expect(input.wait(60).isEmpty)
        #expect(!input.decoder.isWaiting)
        #expect(input.text("a") == keys(.char("a")))
        #expect(input.text("\u{1B}[").isEmpty)
        #expect(input.wait(150) == keys(.alt("[")))
    }

    @Test func aSequenceSplitAcrossReadsIsWholeAgain() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[1;").isEmpty)
        #expect(input.wait(5).isEmpty)
        #expect(input.text("5A") == keys(KeyPress(.up, [.control])))
    }

    @Test func bracketedPasteIsOneEvent() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[200~hello world\u{1B}[201~") == [.paste("hello world")])
        #expect(input.text("x") == keys(.char("x")))
    }

    @Test func pastedLineEndsBecomeNewlines() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[200~one\rtwo\r\nthree\nfour\r\r\u{1B}[201~") == [.paste("one\ntwo\nthree\nfour\n\n")])
    }

    @Test func pasteKeepsControlCharactersTabsAndWideText() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[200~a\tb\u{01}c 漢字 😀 e\u{301}\u{1B}[201~") == [.paste("a\tb\u{01}c 漢字 😀 e\u{301}")])
    }

    @Test func pasteSplitAcrossManyReads() {
        var input = DecoderHarness()
        let body = String(repeating: "0123456789abcdef\n", count: 4096)
        let whole = Array("\u{1B}[200~\(body)\u{1B}[201~".utf8)
        var events: [InputEvent] = []
        var offset = 0
        var size = 1
        while offset < whole.count {
            let end = min(whole.count, offset + size)
            events += input.bytes(Array(whole[offset..<end]))
            events += input.wait(3)
            offset = end
            size = size * 3 % 977 + 1
        }
        #expect(events == [.paste(body)])
    }

    @Test func pasteEndMarkerSplitAtEveryPoint() {
        let whole = Array("\u{1B}[200~ab\u{1B}[201~z".utf8)
        for split in 1..<whole.count {
            var input = DecoderHarness()
            let events = input.bytes(Array(whole[..<split])) + input.wait(5) + input.bytes(Array(whole[split...]))
            #expect(events == [.paste("ab"), .key(.char("z"))], "split at \(split)")
        }
    }

    @Test func aPasteStartSplitFromItsEscWaitsForTheRest() {
        var input = DecoderHarness()
        #expect(input.bytes([0x1B]).isEmpty)
        #expect(input.wait(5).isEmpty)
        #expect(input.text("[200~p\u{1B}[201~") == [.paste("p")])
    }

    @Test func escapeSequencesInsideAPasteAreText() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[200~a\u{1B}[Ab\u{1B}\u{1B}[201~") == [.paste("a\u{1B}[Ab\u{1B}")])
        #expect(input.text("\u{1B}[200~\u{1B}[20\u{1B}[201~") == [.paste("\u{1B}[20")])
    }

    @Test func keyCodesInsideAPasteAreNotKeys() {
        var input = DecoderHarness()
        _ = input.text("\u{1B}[200~a")
        #expect(input.key("KEY_UP").isEmpty)
        #expect(input.key("KEY_ENTER").isEmpty)
        #expect(input.text("b\u{1B}[201~") == [.paste("a\nb")])
    }

    @Test func anEmptyPasteIsAnEmptyPaste() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[200~\u{1B}[201~") == [.paste("")])
    }

    @Test func aPasteWhoseEndIsLostEndsAfterAPause() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[200~lost end").isEmpty)
        #expect(input.wait(500).isEmpty)
        #expect(input.wait(600) == [.paste("lost end")])
        #expect(input.text("k") == keys(.char("k")))
    }

    @Test func sgrMouseClickDragAndRelease() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[<0;10;5M") == [.mouse(MouseEvent(.press, row: 4, column: 9))])
        #expect(input.text("\u{1B}[<32;12;5M") == [.mouse(MouseEvent(.drag, row: 4, column: 11))])
        #expect(input.text("\u{1B}[<0;13;6m") == [.mouse(MouseEvent(.release, row: 5, column: 12))])
        #expect(input.text("\u{1B}[<32;14;6M").isEmpty)
    }

    @Test func sgrMouseWheelAndLargeCoordinates() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[<64;300;120M") == [.mouse(MouseEvent(.scrollUp, row: 119, column: 299))])
        #expect(input.text("\u{1B}[<65;1;1M") == [.mouse(MouseEvent(.scrollDown, row: 0, column: 0))])
        #expect(input.text("\u{1B}[<66;1;1M").isEmpty)
    }

    @Test func otherMouseButtonsAreIgnored() {
        var input = DecoderHarness()
        #expect(input.text("\u{1B}[<2;5;5M\u{1B}[<2;5;5m\u{1B}[<1;5;5M").isEmpty)
        #expect(input.text("\u{1B}[<16;5;5M") == [.mouse(MouseEvent(.press, row: 4, column: 4))])
    }

    @Test func x10MouseReports() {
        var input = DecoderHarness()
        // ESC [ M, then button + 32, column + 33, row + 33.
        #expect(input.bytes([0x1B, 0x5B, 0x4D, 32, 33 + 9, 33 + 4]) == [.mouse(MouseEvent(.press, row: 4, column: 9))])
        #expect(input.bytes([0x1B, 0x5B, 0x4D, 64, 33 + 10, 33 + 4]) == [.mouse(MouseEvent(.drag, row: 4, column: 10))])
        #expect(input.bytes([0x1B, 0x5B, 0x4D, 35, 33 + 11, 33 + 4]) == [.mouse(MouseEvent(.release, row: 4, column: 11))])
        #expect(input.bytes([0x1B, 0x5B, 0x4D, 96, 33, 33]) == [.mouse(MouseEvent(.scrollUp, row: 0, column: 0))])
    }

    @Test func resizePassesThroughInOrder() {
        var input = DecoderHarness()
        let events = input.text("a") + input.decoder.decode(.resize(width: 120, height: 40), at: 0) + input.text("b")
        #expect(events == [.key(.char("a")), .resize(width: 120, height: 40), .key(.char("b"))])
    }

    @Test func c1ControlsAreDropped() {
        var input = DecoderHarness()
        #expect(input.text("\u{85}\u{9B}x") == keys(.char("x")))
    }
}
