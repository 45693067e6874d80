/// Reads Hugging Face's vocab.json: one JSON object mapping token strings to integer ids.
///
/// A small dedicated parser instead of `JSONDecoder`: it keeps each token's exact characters
/// (a `[String: Int]` would merge keys that are canonically equivalent), reports duplicate
/// keys, and says where in the file a syntax error is.
struct VocabularyJSON {
    struct SyntaxError: Error, Equatable {
        var byteOffset: Int
        var reason: String
    }

    /// The entries in file order.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> [(token: String, id: Int)] {
        var parser = VocabularyJSON(bytes: bytes)
        return try parser.parseObject()
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseObject() throws(SyntaxError) -> [(token: String, id: Int)] {
        skipWhitespace()
        // A UTF-8 byte order mark is tolerated before the object.
        if bytes.count >= 3, index == 0, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            skipWhitespace()
        }
        try expect(UInt8(ascii: "{"), "expected '{' at the start of the vocabulary object")
        var entries: [(token: String, id: Int)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw failure("expected a token string") }
                let token = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after a token string")
                skipWhitespace()
                let id = try parseInteger(for: token)
                entries.append((token, id))
                skipWhitespace()
                guard let byte = peek() else { throw failure("unexpected end of file inside the object") }
                index += 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else {
                    index -= 1
                    throw failure("expected ',' or '}' after an entry")
                }
            }
        }
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the vocabulary object") }
        return entries
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        let start = index
        index += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else {
                index = start
                throw failure("unterminated string")
            }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                // Raw bytes are copied through, so check they form valid UTF-8.
                let text = String(decoding: utf8, as: UTF8.self)
                guard text.utf8.elementsEqual(utf8) else {
                    index = start
                    throw failure("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                index -= 1
                throw failure("control character in a string must be escaped")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(SyntaxError) {
        guard let byte = peek() else { throw failure("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var value = try parseHex4()
            if (0xD800..<0xDC00).contains(value) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                    throw failure("unpaired surrogate in \\u escape")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                value = 0x10000 + (value - 0xD800) << 10 + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(value) {
                throw failure("unpaired surrogate in \\u escape")
            }
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid \\u escape") }
            utf8.append(contentsOf: String(scalar).utf8)
        default:
            index -= 2  // point at the backslash
            throw failure("invalid escape character")
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw failure("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// An id: an optional minus sign and decimal digits (range checks come later, with the
    /// token named in the error).
    private mutating func parseInteger(for token: String) throws(SyntaxError) -> Int {
        let start = index
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value = 0
        var digits = 0
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            // Saturate instead of overflowing; such an id is rejected as out of range anyway.
            value = value > Int.max / 20 ? Int.max / 2 : value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        if digits == 0 || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(peek() ?? 0) {
            index = start
            throw failure("expected an integer id for \(token.debugDescription)")
        }
        return negative ? -value : value
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws(SyntaxError) {
        guard peek() == byte else { throw failure(reason) }
        index += 1
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    private func failure(_ reason: String) -> SyntaxError {
        SyntaxError(byteOffset: index, reason: reason)
    }
}
