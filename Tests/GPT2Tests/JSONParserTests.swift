import Testing
@testable import GPT2

struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2, 0, 1.5, -2e3, 1E-5, 1.0], "b": {"c": null}, "d": true, "e": false, "f": "x"} "#)
        #expect(value == .object([
            "a": .array([.integer(1), .integer(-2), .integer(0), .number(1.5), .number(-2000), .number(1e-5), .number(1)]),
            "b": .object(["c": .null]),
            "d": .bool(true),
            "e": .bool(false),
            "f": .string("x"),
        ]))
    }

    @Test func integersBeyondIntBecomeNumbersAndHugeExponentsAreRefused() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("9223372036854775808") == .number(9223372036854775808))
        #expect(throws: JSONParseFailure.self) { try parse("1e400") }
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u4e2d\ud83d\ude00""#) == .string("\"\\/\u{8}\u{C}\n\r\tAé中😀"))
        #expect(try parse("\"héllo 中\"") == .string("héllo 中"))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "{'a': 1}", "01", "-", "1.", ".5",
        "1e", "+1", "NaN", "Infinity", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"",
        "\"\\ud83d\\u0041\"", "\"a\u{1}b\"", "\"a\nb\"", "[1] [2]", "{} x", "\u{FEFF}{}",
    ])
    func refusesInvalidDocuments(text: String) {
        #expect(throws: JSONParseFailure.self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8InStrings() {
        #expect(throws: JSONParseFailure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseFailure.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
        #expect(throws: JSONParseFailure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func refusesDuplicateKeys() {
        let error = #expect(throws: JSONParseFailure.self) { try parse(#"{"x": 1, "y": 2, "x": 3}"#) }
        #expect(error?.reason.contains("duplicate key \"x\"") == true)
    }

    @Test func boundsNestingDepth() throws {
        let limit = JSONParser.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try parse(deepest) }
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = #expect(throws: JSONParseFailure.self) { try parse(tooDeep) }
        #expect(error?.reason.contains("nested") == true)
        #expect(throws: JSONParseFailure.self) { try parse(String(repeating: "{\"a\":", count: 1_000_000)) }
    }

    @Test func failureNamesTheByteOffset() {
        let error = #expect(throws: JSONParseFailure.self) { try parse(#"{"a": 1 "b": 2}"#) }
        #expect(error?.reason == "not valid JSON: expected ',' or '}' in an object (at byte 8)")
    }
}
