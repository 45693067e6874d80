import Foundation

extension GPT2Tokenizer {
    /// Ids above this are taken as a corrupt file rather than allocated for.
    static let maximumTokenID = 1 << 24

    /// A tokenizer from Hugging Face's `vocab.json` (token → id) and `merges.txt` (one
    /// `"left right"` merge per line in rank order, after an optional `#version` line).
    ///
    /// Errors name the file and, for merges, the line.
    public convenience init(vocabURL: URL, mergesURL: URL) throws(TokenizerError) {
        let vocabPath = vocabURL.path
        let mergesPath = mergesURL.path

        let vocabBytes = try Self.readFile(vocabURL)
        let entries: [(token: String, id: Int)]
        do {
            entries = try VocabularyJSON.parse(vocabBytes)
        } catch {
            throw .invalidJSON(path: vocabPath, byteOffset: error.byteOffset, reason: error.reason)
        }

        var tokensByID: [String?] = []
        var seenTokens = Set<[UInt8]>()
        for (token, id) in entries {
            guard (0...Self.maximumTokenID).contains(id) else {
                throw .invalidVocabularyEntry(source: vocabPath, token: token,
                                              reason: "id \(id) is outside 0...\(Self.maximumTokenID)")
            }
            guard seenTokens.insert(Array(token.utf8)).inserted else {
                throw .invalidVocabularyEntry(source: vocabPath, token: token, reason: "token is listed twice")
            }
            if id >= tokensByID.count {
                tokensByID.append(contentsOf: repeatElement(nil, count: id + 1 - tokensByID.count))
            }
            if let other = tokensByID[id] {
                throw .invalidVocabularyEntry(source: vocabPath, token: token,
                                              reason: "id \(id) is already used by \(other.debugDescription)")
            }
            tokensByID[id] = token
        }

        let mergesData = try Self.readFile(mergesURL)
        guard String(decoding: mergesData, as: UTF8.self).utf8.elementsEqual(mergesData) else {
            throw .unreadableFile(path: mergesPath, reason: "not valid UTF-8")
        }
        var lines = mergesData.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
            .map { (line: $0.offset + 1, utf8: $0.element) }
        // Only the first line can be the version header: "# #" further down is a real merge.
        if let first = lines.first, first.utf8.starts(with: "#version".utf8) {
            lines.removeFirst()
        }

        try self.init(tokensByID: tokensByID, mergeLines: lines,
                      vocabularySource: vocabPath, mergesSource: mergesPath)
    }

    private static func readFile(_ url: URL) throws(TokenizerError) -> [UInt8] {
        do {
            return try [UInt8](Data(contentsOf: url))
        } catch {
            let reason = (error as? CocoaError)?.code == .fileReadNoSuchFile
                ? "no such file" : error.localizedDescription
            throw .unreadableFile(path: url.path, reason: reason)
        }
    }
}
