/// Splits text into the pieces GPT-2 runs byte-pair merges on, exactly as the regex
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// splits it with a backtracking engine (tiktoken, OpenAI's encoder): at each position the
/// alternatives are tried in order and the first that matches wins. Written as a scanner over
/// the UTF-8 bytes instead of a regex, for speed and for exact control of the character classes.
///
/// What the alternatives come to, at the start of a piece:
/// - an apostrophe followed by `s t re ve m ll d` (lower case only) is a piece of its own;
/// - otherwise an optional single U+0020 joins the run of letters, numbers or other
///   (non-space) characters that follows it;
/// - a whitespace run reaching the end of the text is one piece; one followed by a non-space
///   character leaves its last character to the next piece (`\s+(?!\S)` backtracks one
///   character), so that a space can prefix the next word; a run of one such character is a
///   piece by itself (`\s+`).
///
/// The pieces are byte ranges into the buffer, which must hold valid UTF-8.
struct PreTokenizer: IteratorProtocol {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.position = 0
    }

    mutating func next() -> Range<Int>? {
        let end = bytes.count
        let start = position
        guard start < end else { return nil }

        if bytes[start] == UInt8(ascii: "'"), let length = contractionLength(at: start) {
            position = start + length
            return start..<position
        }

        var (kind, length) = classify(at: start)
        var index = start
        // ` ?`: a single U+0020 joins a following letter, number or other run.
        if bytes[start] == UInt8(ascii: " "), start + 1 < end {
            let (nextKind, nextLength) = classify(at: start + 1)
            if nextKind != .whitespace {
                index = start + 1
                kind = nextKind
                length = nextLength
            }
        }

        index += length
        if kind == .whitespace {
            var lastStart = start
            while index < end {
                let (nextKind, nextLength) = classify(at: index)
                guard nextKind == .whitespace else { break }
                lastStart = index
                index += nextLength
            }
            // Followed by a non-space character: `\s+(?!\S)` gives back the last whitespace
            // character, unless that would leave nothing (then `\s+` takes the single one).
            if index < end, lastStart > start {
                index = lastStart
            }
        } else {
            while index < end {
                let (nextKind, nextLength) = classify(at: index)
                guard nextKind == kind else { break }
                index += nextLength
            }
        }
        position = index
        return start..<index
    }

    /// Length of `'s 't 're 've 'm 'll 'd` at `index` (which holds an apostrophe), if present.
    private func contractionLength(at index: Int) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        switch bytes[index + 1] {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return index + 2 < bytes.count && bytes[index + 2] == UInt8(ascii: "e") ? 3 : nil
        case UInt8(ascii: "l"):
            return index + 2 < bytes.count && bytes[index + 2] == UInt8(ascii: "l") ? 3 : nil
        default:
            return nil
        }
    }

    /// The class and UTF-8 length of the character starting at `index`.
    @inline(__always)
    private func classify(at index: Int) -> (ScalarClass, Int) {
        let lead = bytes[index]
        if lead < 0x80 {
            return (ScalarClass.ascii(lead), 1)
        }
        // Valid UTF-8 is guaranteed by the caller, so the sequence is complete.
        var value: UInt32
        let length: Int
        if lead < 0xE0 {
            value = UInt32(lead & 0x1F)
            length = 2
        } else if lead < 0xF0 {
            value = UInt32(lead & 0x0F)
            length = 3
        } else {
            value = UInt32(lead & 0x07)
            length = 4
        }
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return (.other, length) }
        return (ScalarClass(scalar), length)
    }
}

extension PreTokenizer {
    /// The pieces of `text`, as strings (for tests and inspection; encoding uses the ranges).
    static func pieces(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            var pieces: [String] = []
            var scanner = PreTokenizer(buffer)
            while let range = scanner.next() {
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self))
            }
            return pieces
        }
    }
}
