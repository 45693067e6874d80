import Testing
@testable import Playground

@Suite struct ThemeColorDepthTests {
    @Test func depthFollowsWhatTheTerminalReports() {
        #expect(ColorDepth.detect(colorCount: 1 << 24, directColor: true, environment: [:]) == .trueColor)
        #expect(ColorDepth.detect(colorCount: 256, directColor: true, environment: [:]) == .trueColor)
        #expect(ColorDepth.detect(colorCount: 256, directColor: false, environment: ["COLORTERM": "truecolor"]) == .palette256)
        #expect(ColorDepth.detect(colorCount: 88, directColor: false, environment: [:]) == .ansi16)
        #expect(ColorDepth.detect(colorCount: 16, directColor: false, environment: [:]) == .ansi16)
        #expect(ColorDepth.detect(colorCount: 8, directColor: false, environment: [:]) == .ansi8)
        #expect(ColorDepth.detect(colorCount: 0, directColor: false, environment: [:]) == .none)
        #expect(ColorDepth.detect(colorCount: -1, directColor: false, environment: [:]) == .none)
    }

    @Test func noColorTurnsColoursOffWhenNotEmpty() {
        #expect(ColorDepth.detect(colorCount: 256, directColor: true, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorDepth.detect(colorCount: 256, directColor: false, environment: ["NO_COLOR": ""]) == .palette256)
    }

    @Test func directColorEntryIsTriedWhenColortermSaysTruecolor() {
        #expect(ColorDepth.directColorTerminalType(environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"]) == "xterm-direct")
        #expect(ColorDepth.directColorTerminalType(environment: ["COLORTERM": "24bit", "TERM": "tmux-256color"]) == "tmux-direct")
        #expect(ColorDepth.directColorTerminalType(environment: ["COLORTERM": "TrueColor", "TERM": "xterm"]) == "xterm-direct")
        #expect(ColorDepth.directColorTerminalType(environment: ["COLORTERM": "truecolor", "TERM": "xterm-direct"]) == nil)
        #expect(ColorDepth.directColorTerminalType(environment: ["COLORTERM": "yes", "TERM": "xterm-256color"]) == nil)
        #expect(ColorDepth.directColorTerminalType(environment: ["TERM": "xterm-256color"]) == nil)
        #expect(ColorDepth.directColorTerminalType(environment: ["COLORTERM": "truecolor"]) == nil)
    }

    @Test func everyPaletteColourIsItsOwnNearest() {
        for index in 16...255 {
            #expect(Int(XtermPalette.nearest256(to: XtermPalette.rgb(of: index))) == index, "\(index)")
        }
    }

    @Test func exactColoursGoToTheNearestCubeOrGrey() {
        #expect(XtermPalette.nearest256(to: (0x5F, 0xAF, 0xFF)) == 75)
        #expect(XtermPalette.nearest256(to: (0x60, 0xB0, 0xFE)) == 75)
        #expect(XtermPalette.nearest256(to: (0x80, 0x80, 0x80)) == 244)
        #expect(XtermPalette.nearest256(to: (0x8A, 0x8A, 0x8A)) == 245)
        #expect(XtermPalette.nearest256(to: (0, 0, 0)) == 16)
        #expect(XtermPalette.nearest256(to: (255, 255, 255)) == 231)
        #expect(XtermPalette.nearest256(to: (250, 250, 250)) == 231)
        #expect(XtermPalette.nearest256(to: (0xFF, 0x5F, 0x5F)) == 203)
    }

    @Test func ansiFallbackKeepsTheHue() {
        func ansi(_ hex: UInt32, _ count: Int) -> UInt8? {
            guard case .palette(let index) = TerminalColor.hex(hex).downgraded(to: count == 16 ? .ansi16 : .ansi8) else { return nil }
            return index
        }
        #expect(ansi(0xFF5F5F, 8) == 1 && ansi(0xFF5F5F, 16) == 9)
        #expect(ansi(0xCD0000, 16) == 1)
        #expect(ansi(0xFFD75F, 8) == 3)
        #expect(ansi(0x87D75F, 8) == 2 && ansi(0x5FD787, 8) == 2)
        #expect(ansi(0x5FAFFF, 8) == 4 && ansi(0x87D7FF, 8) == 6)
        #expect(ansi(0xD700D7, 8) == 5)
        #expect(ansi(0x1C1C1C, 16) == 0 && ansi(0x808080, 16) == 8 && ansi(0xD0D0D0, 16) == 7 && ansi(0xFAFAFA, 16) == 15)
        #expect(ansi(0x1C1C1C, 8) == 0 && ansi(0xD0D0D0, 8) == 7)
        #expect(ansi(0x00005F, 8) == 4 && ansi(0x000020, 8) == 0)
    }

    @Test func paletteColoursStepDown() {
        #expect(TerminalColor.palette(12).downgraded(to: .ansi16) == .palette(12))
        #expect(TerminalColor.palette(12).downgraded(to: .ansi8) == .palette(4))
        #expect(TerminalColor.palette(196).downgraded(to: .ansi16) == .palette(9))
        #expect(TerminalColor.palette(196).downgraded(to: .palette256) == .palette(196))
        #expect(TerminalColor.hex(0x123456).downgraded(to: .trueColor) == .hex(0x123456))
        #expect(TerminalColor.palette(3).downgraded(to: .none) == .default)
        #expect(TerminalColor.default.downgraded(to: .ansi8) == .default)
    }

    @Test func withoutColoursABackgroundBecomesReverseVideo() {
        let normal = TextStyle()
        let bar = TextStyle(foreground: .hex(0xFFFFFF), background: .hex(0x005F87), bold: true)
        #expect(bar.downgraded(to: .none, normal: normal) == TextStyle(bold: true, reverse: true))
        let reversed = TextStyle(background: .palette(4), reverse: true)
        #expect(reversed.downgraded(to: .none, normal: normal) == TextStyle())
        let sameAsNormal = TextStyle(foreground: .palette(1), background: .hex(0xFAFAFA))
        #expect(sameAsNormal.downgraded(to: .none, normal: TextStyle(background: .hex(0xFAFAFA))) == TextStyle())
    }

    @Test func greysEightColoursLackBecomeDimNormalText() {
        let dark = TextStyle()
        #expect(TextStyle(foreground: .hex(0x808080)).downgraded(to: .ansi8, normal: dark) == TextStyle(dim: true))
        #expect(TextStyle(foreground: .palette(8)).downgraded(to: .ansi8, normal: dark) == TextStyle(dim: true))
        let light = TextStyle(foreground: .hex(0x262626), background: .hex(0xFAFAFA))
        #expect(TextStyle(foreground: .hex(0x767676), background: .hex(0xFAFAFA)).downgraded(to: .ansi8, normal: light)
            == TextStyle(foreground: .palette(0), background: .palette(7), dim: true))
        #expect(TextStyle(foreground: .hex(0x808080)).downgraded(to: .ansi16, normal: dark) == TextStyle(foreground: .palette(8)))
        #expect(TextStyle(foreground: .hex(0x808080)).downgraded(to: .none, normal: dark) == TextStyle(dim: true))
    }

    @Test func bundledThemesStayReadableAtEveryDepth() throws {
        let standOut: [StyleSlot] = [.statusBar, .panelFocused, .selection, .columnHeaderFocused, .modeSelected, .searchMatch,
                                     .promptEcho, .borderFocused, .sliderKnob, .error]
        for name in ["default", "light", "high-contrast", "mono"] {
            let theme = try ThemeFile.load(bundledThemesFolder.appending(path: "\(name).json"))
            for depth in ColorDepth.allCases {
                let normal = theme[.normal].downgraded(to: depth, normal: theme[.normal])
                for slot in standOut {
                    #expect(theme[slot].downgraded(to: depth, normal: theme[.normal]) != normal, "\(name) \(slot) at \(depth)")
                }
                let foreground = normal.foreground
                let background = normal.background
                #expect(foreground == .default || foreground != background, "\(name) text on its own colour at \(depth)")
            }
        }
    }

    @Test func tokenColoursRunFromRedToGreen() {
        let slots = [0.01, 0.1, 0.3, 0.6, 0.9].map { StyleSlot.tokenProbability(Float($0)) }
        #expect(slots == [.tokenProbability0, .tokenProbability1, .tokenProbability2, .tokenProbability3, .tokenProbability4])
        let ramp = slots.map { Theme.builtInDefault[$0].foreground }
        #expect(Set(ramp).count == 5)
        #expect(ramp.first?.downgraded(to: .ansi8) == .palette(1))
        #expect(ramp.last?.downgraded(to: .ansi8) == .palette(2))
    }
}
