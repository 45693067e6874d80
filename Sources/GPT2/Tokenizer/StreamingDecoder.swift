/// Incremental decoder for streaming: append ids one at a time, get back only whole UTF-8
/// characters; incomplete trailing bytes are held until completed; `finish()` flushes what is
/// left (with U+FFFD for an incomplete tail).
///
/// A token can end in the middle of a character (an emoji or CJK character is often split over
/// two or three byte tokens). The concatenation of everything returned, `finish()` included,
/// is exactly `tokenizer.decode(ids)`: bytes that can never become valid UTF-8 are replaced
/// as soon as they arrive, just as `decode` replaces them.
public struct StreamingDecoder: Sendable {
    private let tokenizer: GPT2Tokenizer
    /// Bytes of an incomplete character at the end of the stream.
    private var pending: [UInt8] = []

    public init(tokenizer: GPT2Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Adds one token and returns the text completed by it (often empty mid-character).
    public mutating func append(_ id: Int32) -> String {
        pending.append(contentsOf: tokenizer.bytes(of: id))
        let complete = Self.completePrefixLength(of: pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns what is still held, an incomplete character becoming U+FFFD, and starts over.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of `bytes` without a trailing incomplete character: one whose lead byte and
    /// following bytes so far are a valid start of a UTF-8 sequence that more bytes could finish.
    /// Anything else (complete, or already invalid) can be decoded now with the same result
    /// as later, because the lead byte starts a fresh sequence for the decoder whatever is before.
    static func completePrefixLength(of bytes: [UInt8]) -> Int {
        let count = bytes.count
        guard count > 0 else { return 0 }
        for back in 1...min(3, count) {
            let lead = bytes[count - back]
            if lead & 0xC0 == 0x80 { continue }  // continuation byte: keep looking for the lead
            guard let (length, secondByte) = sequenceShape(lead: lead), length > back else { return count }
            // The bytes after the lead must be acceptable continuations so far.
            for offset in 1..<back {
                let byte = bytes[count - back + offset]
                let allowed = offset == 1 ? secondByte : 0x80...0xBF
                if !allowed.contains(byte) { return count }
            }
            return count - back
        }
        return count
    }

    /// Length of the sequence a lead byte starts and the range its second byte must be in
    /// (which rules out overlong forms, surrogates and values above U+10FFFF); nil for ASCII
    /// and bytes that never start a valid sequence.
    private static func sequenceShape(lead: UInt8) -> (length: Int, secondByte: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80...0xBF)
        case 0xE0: return (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80...0xBF)
        case 0xED: return (3, 0x80...0x9F)
        case 0xF0: return (4, 0x90...0xBF)
        case 0xF1...0xF3: return (4, 0x80...0xBF)
        case 0xF4: return (4, 0x80...0x8F)
        default: return nil
        }
    }
}
