import Testing
import Playground
@testable import PlaygroundTerminal

@Suite struct ColorPairsTests {
    private let theme = Theme(name: "t", styles: [
        .normal: TextStyle(),
        .title: TextStyle(foreground: .palette(4), bold: true),
        .border: TextStyle(foreground: .palette(4)),
        .statusBar: TextStyle(foreground: .hex(0xFFFFFF), background: .hex(0x005F87)),
    ])

    @Test func slotsWithTheSameColoursShareAPair() {
        let pairs = ColorPairs(theme: theme, depth: .palette256, pairLimit: 256, directColor: false, defaultColors: true)
        #expect(pairs[.title].pair == pairs[.border].pair)
        #expect(pairs[.title].pair != 0)
        #expect(pairs[.title].style.bold && !pairs[.border].style.bold)
        #expect(pairs[.normal].pair == 0)
        #expect(pairs.pairs[Int(pairs[.title].pair) - 1] == ColorPairs.Pair(foreground: 4, background: -1))
        #expect(pairs.pairs[Int(pairs[.statusBar].pair) - 1] == ColorPairs.Pair(foreground: 231, background: 24))
        #expect(Set(pairs.pairs).count == pairs.pairs.count)
    }

    @Test func pairsAreNumberedInSlotOrderFromOne() {
        let pairs = ColorPairs(theme: .builtInDefault, depth: .palette256, pairLimit: 256, directColor: false, defaultColors: true)
        let used = StyleSlot.allCases.map { pairs[$0].pair }.filter { $0 != 0 }
        var seen: [Int32] = []
        for pair in used where !seen.contains(pair) { seen.append(pair) }
        #expect(seen == Array(1...Int32(pairs.pairs.count)))
    }

    @Test func tooFewPairsFallBackToTheDefaultColours() {
        let pairs = ColorPairs(theme: .builtInDefault, depth: .palette256, pairLimit: 4, directColor: false, defaultColors: true)
        #expect(pairs.pairs.count == 3)
        #expect(StyleSlot.allCases.allSatisfy { pairs[$0].pair <= 3 })
        let none = ColorPairs(theme: .builtInDefault, depth: .palette256, pairLimit: 0, directColor: false, defaultColors: true)
        #expect(none.pairs.isEmpty && StyleSlot.allCases.allSatisfy { none[$0].pair == 0 })
    }

    @Test func withoutColoursThereAreNoPairs() {
        let pairs = ColorPairs(theme: theme, depth: .none, pairLimit: 256, directColor: false, defaultColors: true)
        #expect(pairs.pairs.isEmpty)
        #expect(pairs[.statusBar].pair == 0 && pairs[.statusBar].style.reverse)
    }

    @Test func colourNumbersForEachKindOfTerminal() {
        func number(_ color: TerminalColor, direct: Bool = false, defaults: Bool = true) -> Int32 {
            ColorPairs.number(of: color, directColor: direct, defaultColors: defaults, defaultNumber: 7)
        }
        #expect(number(.default) == -1)
        #expect(number(.default, defaults: false) == 7)
        #expect(number(.palette(196)) == 196)
        #expect(number(.hex(0x5FAFFF)) == 75)
        #expect(number(.hex(0x5FAFFF), direct: true) == 0x5FAFFF)
        // Direct-colour entries keep 0–7 for palette colours; the rest are red-green-blue.
        #expect(number(.palette(3), direct: true) == 3)
        #expect(number(.palette(12), direct: true) == 0x5C5CFF)
        #expect(number(.palette(16), direct: true) == 8)
        #expect(number(.hex(0x000000), direct: true) == 8)
        #expect(number(.hex(0x000107), direct: true) == 0x000107)
    }

    @Test func eightColourTerminalsGetEightColours() {
        let pairs = ColorPairs(theme: .builtInDefault, depth: .ansi8, pairLimit: 64, directColor: false, defaultColors: true)
        for pair in pairs.pairs {
            #expect((-1...7).contains(pair.foreground) && (-1...7).contains(pair.background), "\(pair)")
        }
        #expect(pairs.pairs.count < 64)
    }
}
