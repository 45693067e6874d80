/// GPT-2's reversible byte ↔ character table.
///
/// Token strings in vocab.json and merges.txt spell bytes as characters so that every token is
/// printable text: the printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves, and
/// the other 68 bytes (controls, space, DEL, NBSP, soft hyphen …) take U+0100 onwards in byte
/// order, which is why a leading space shows up as `Ġ` (U+0120).
enum ByteUnicodeTable {
    /// The character standing for each byte, indexed by byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // 0x100 + at most 68 stays far below the surrogate range, so this cannot fail.
                table[byte] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// The byte each character stands for, indexed by the character's value (all are < 0x144);
    /// -1 for characters outside the table.
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar.value)] = Int16(byte)
        }
        return table
    }()

    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        scalarForByte[Int(byte)]
    }

    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalar.count else { return nil }
        let byte = byteForScalar[value]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// The raw bytes a token string spells. A character outside the table (as in added special
    /// tokens of other vocabularies) stands for its own UTF-8 bytes, so such tokens decode to
    /// their text.
    static func bytes(ofToken token: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.utf8.count)
        for scalar in token.unicodeScalars {
            if let byte = byte(for: scalar) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
