import Testing
@testable import Playground

@Suite struct KeyPressTests {
    @Test func namesRoundTrip() {
        let keys: [KeyPress] = [
            .ctrl("r"), .alt("b"), KeyPress(.function(5)), KeyPress(.tab, [.shift]), KeyPress(.up, [.control]),
            .char("?"), KeyPress(.escape), KeyPress(.character(" "), [.control]), KeyPress(.character("+"), [.alt]),
        ]
        for key in keys {
            #expect(KeyPress(name: key.description) == key, "\(key)")
        }
    }

    @Test func controlLettersAreCaseInsensitive() {
        #expect(KeyPress(name: "Ctrl+R") == .ctrl("r"))
        #expect(KeyPress(name: "R") == .char("R"))
    }

    @Test func unknownNamesAreRefused() {
        #expect(KeyPress(name: "hyper+x") == nil)
        #expect(KeyPress(name: "f99") == nil)
        #expect(KeyPress(name: "") == nil)
        #expect(KeyPress(name: "ctrl+") == nil)
    }
}
