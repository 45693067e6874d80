import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file, with bounds-checked access to byte ranges.
///
/// The file is opened, measured with `fstat`, mapped with `PROT_READ` / `MAP_PRIVATE` and closed
/// again (the mapping outlives the descriptor); `deinit` unmaps it. An empty file has no mapping
/// and only the empty range at offset 0 can be read from it.
///
/// `@unchecked Sendable` is sound here: every stored property is a `let` set once in `init`, the
/// mapping is read-only for the whole life of the object, and nothing ever writes through
/// `base`, so concurrent readers only ever see immutable memory. (As with any memory map, a
/// file truncated by another process while mapped makes reads of the lost pages fault; model
/// files are not expected to change under a running program.)
public final class MappedFile: @unchecked Sendable {
    /// The path of the file, as used in error messages.
    public let path: String
    /// The size of the file in bytes.
    public let size: Int
    private let base: UnsafeRawPointer?

    /// Maps the whole of the regular file at `url`.
    /// - Throws: `ModelFileError.unreadable` when the file cannot be opened, is not a regular file,
    ///   or cannot be mapped.
    public init(url: URL) throws {
        let path = url.path
        self.path = path
        guard url.isFileURL else {
            throw ModelFileError.unreadable(file: path, reason: "not a file URL")
        }
        let descriptor = url.withUnsafeFileSystemRepresentation { name -> Int32 in
            guard let name else { return -1 }
            var result: Int32
            repeat {
                result = open(name, O_RDONLY | O_CLOEXEC)
            } while result < 0 && errno == EINTR
            return result
        }
        guard descriptor >= 0 else {
            throw ModelFileError.unreadable(file: path, reason: MappedFile.lastErrorMessage())
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ModelFileError.unreadable(file: path, reason: MappedFile.lastErrorMessage())
        }
        let fileType = status.st_mode & S_IFMT
        guard fileType == S_IFREG else {
            let kind = fileType == S_IFDIR ? "it is a directory" : "it is not a regular file"
            throw ModelFileError.unreadable(file: path, reason: kind)
        }
        guard let size = Int(exactly: status.st_size), size >= 0 else {
            throw ModelFileError.unreadable(file: path, reason: "the file size \(status.st_size) is not usable")
        }
        self.size = size

        if size == 0 {
            base = nil
            return
        }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else {
            throw ModelFileError.unreadable(file: path, reason: "cannot map \(size) bytes: \(MappedFile.lastErrorMessage())")
        }
        base = UnsafeRawPointer(mapping)
    }

    deinit {
        if let base {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
        }
    }

    /// Calls `body` with the bytes `offset ..< offset + count` of the file.
    /// The buffer is only valid inside `body` and may have any alignment.
    /// - Throws: `ModelFileError.outOfBounds` when the range does not lie inside the file
    ///   (negative values and overflowing ends included), or whatever `body` throws.
    public func withBytes<Result>(
        offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard offset >= 0, count >= 0, !overflow, end <= size else {
            throw ModelFileError.outOfBounds(file: path, offset: offset, count: count, fileSize: size)
        }
        guard let base else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    /// The bytes `offset ..< offset + count` of the mapping itself, not a copy, for data used in
    /// place (quantized weights). The buffer stays valid exactly as long as this object lives, so
    /// whoever keeps the pointer must keep the `MappedFile` too; it may have any alignment.
    /// - Throws: `ModelFileError.outOfBounds` as `withBytes` does.
    public func unsafeBytes(offset: Int, count: Int) throws -> UnsafeRawBufferPointer {
        try withBytes(offset: offset, count: count) { $0 }
    }

    /// A copy of the bytes `offset ..< offset + count`.
    public func bytes(offset: Int, count: Int) throws -> [UInt8] {
        try withBytes(offset: offset, count: count) { Array($0) }
    }

    /// The little-endian `UInt64` stored at `offset`, which need not be aligned.
    public func littleEndianUInt64(at offset: Int) throws -> UInt64 {
        try withBytes(offset: offset, count: MemoryLayout<UInt64>.size) { bytes in
            UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        }
    }

    private static func lastErrorMessage() -> String {
        String(cString: strerror(errno))
    }
}
