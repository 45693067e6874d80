import Foundation

/// Remembers the ids of recently merged pieces, since text repeats the same words endlessly.
///
/// Keyed by the piece's bytes, never by `String`: Swift compares strings by canonical
/// equivalence, and "Å" (U+00C5) and "Å" (U+212B) must keep their different ids. Pieces of up
/// to 15 bytes (nearly all words) are packed into two integers, which hash fast and need no
/// allocation; longer ones up to `maxPieceLength` use byte arrays.
///
/// Bounded: only short pieces are kept, and the tables are emptied when they fill up, so memory
/// stays small whatever text goes through it.
///
/// `@unchecked Sendable`: all access to the tables goes through `lock`. (An `NSLock` rather
/// than `Synchronization.Mutex`, which needs macOS 15 while the package supports macOS 14.)
final class PieceCache: @unchecked Sendable {
    /// Pieces longer than this many bytes are not cached.
    let maxPieceLength: Int
    /// Entries kept before the tables are emptied.
    let capacity: Int

    private let lock = NSLock()
    private var shortEntries: [PackedPiece: [Int32]] = [:]
    private var longEntries: [[UInt8]: [Int32]] = [:]

    init(capacity: Int = 16_384, maxPieceLength: Int = 64) {
        self.capacity = capacity
        self.maxPieceLength = maxPieceLength
    }

    func ids(for piece: UnsafeBufferPointer<UInt8>) -> [Int32]? {
        if let packed = PackedPiece(piece) {
            lock.lock()
            defer { lock.unlock() }
            return shortEntries[packed]
        }
        guard piece.count <= maxPieceLength else { return nil }
        let key = Array(piece)
        lock.lock()
        defer { lock.unlock() }
        return longEntries[key]
    }

    func store(_ ids: [Int32], for piece: UnsafeBufferPointer<UInt8>) {
        guard piece.count <= maxPieceLength else { return }
        let packed = PackedPiece(piece)
        let key = packed == nil ? Array(piece) : []
        lock.lock()
        defer { lock.unlock() }
        if shortEntries.count + longEntries.count >= capacity {
            shortEntries.removeAll(keepingCapacity: true)
            longEntries.removeAll(keepingCapacity: true)
        }
        if let packed {
            shortEntries[packed] = ids
        } else {
            longEntries[key] = ids
        }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return shortEntries.count + longEntries.count
    }
}

/// Up to 15 bytes and their count in 128 bits: bytes 0–7 in `low`, 8–14 in `high`, the count
/// in the top byte of `high` (so "a" and "a\0" differ).
private struct PackedPiece: Hashable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 15 else { return nil }
        for (index, byte) in bytes.enumerated() {
            if index < 8 {
                low |= UInt64(byte) << (8 * index)
            } else {
                high |= UInt64(byte) << (8 * (index - 8))
            }
        }
        high |= UInt64(bytes.count) << 56
    }
}
