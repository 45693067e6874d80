import Testing
@testable import GPT2

struct PieceCacheTests {
    private func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @Test func storedPiecesAreFoundByTheirBytes() {
        let cache = PieceCache(capacity: 100, maxPieceLength: 64)
        for text in ["a", " hello", "exactly15bytes!", "sixteen bytes!!!", String(repeating: "x", count: 64)] {
            withBytes(text) { cache.store([Int32(text.utf8.count)], for: $0) }
        }
        for text in ["a", " hello", "exactly15bytes!", "sixteen bytes!!!", String(repeating: "x", count: 64)] {
            #expect(withBytes(text) { cache.ids(for: $0) } == [Int32(text.utf8.count)], "\(text)")
        }
        #expect(withBytes("a\u{0}") { cache.ids(for: $0) } == nil)
        #expect(withBytes(" hell") { cache.ids(for: $0) } == nil)
    }

    @Test func canonicallyEquivalentPiecesAreDifferentKeys() {
        let cache = PieceCache()
        withBytes("\u{00C5}") { cache.store([1], for: $0) }
        withBytes("\u{212B}") { cache.store([2], for: $0) }
        #expect(withBytes("\u{00C5}") { cache.ids(for: $0) } == [1])
        #expect(withBytes("\u{212B}") { cache.ids(for: $0) } == [2])
    }

    @Test func piecesLongerThanTheLimitAreNotKept() {
        let cache = PieceCache(capacity: 100, maxPieceLength: 20)
        withBytes(String(repeating: "y", count: 21)) { cache.store([7], for: $0) }
        #expect(cache.count == 0)
    }

    @Test func theCacheEmptiesWhenFullInsteadOfGrowing() {
        let cache = PieceCache(capacity: 10, maxPieceLength: 64)
        for number in 0..<25 {
            withBytes("piece \(number) " + String(repeating: "z", count: number)) { cache.store([Int32(number)], for: $0) }
            #expect(cache.count <= 10)
        }
        #expect(cache.count == 5)
    }
}
