import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that a crash never leaves half of it: the bytes go to a temporary file in the
/// destination's folder, which `commit()` flushes to disk (`fsync`) and renames over the
/// destination in one step, then flushes the folder so the rename itself is durable.
/// Without `commit()` (an error, or the object going away) the temporary file is removed.
/// A temporary file that a crash left behind is named `.NAME.UUID.tmp`
/// (`isTemporaryFileName(_:)`), so the folder's owner can recognise and remove it.
public final class AtomicFileOutput {
    public let destination: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    /// Creates the temporary file beside `destination`, with `permissions` before the umask
    /// (0o666, as any new file gets, unless the caller wants the file private).
    /// - Throws: `ModelFileError.unwritable` naming `destination`.
    public init(destination: URL, permissions: mode_t = 0o666) throws {
        self.destination = destination
        let folder = destination.deletingLastPathComponent().path
        temporaryPath = folder + "/." + destination.lastPathComponent + ".\(UUID().uuidString).tmp"
        var result: Int32
        repeat {
            result = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        } while result < 0 && errno == EINTR
        guard result >= 0 else {
            throw ModelFileError.unwritable(file: destination.path, reason: Self.lastErrorMessage())
        }
        descriptor = result
    }

    deinit {
        discard()
    }

    /// Whether `name` is the name of a temporary file of this writer (`.NAME.UUID.tmp`).
    public static func isTemporaryFileName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let stem = name.dropLast(4)
        let uuid = stem.suffix(36)
        return stem.count > 38 && stem.dropLast(36).hasSuffix(".") && UUID(uuidString: String(uuid)) != nil
    }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = systemWrite(descriptor, pointer, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw ModelFileError.unwritable(file: destination.path, reason: Self.lastErrorMessage())
            }
            pointer += written
            left -= written
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends `count` zero bytes.
    func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        try write([UInt8](repeating: 0, count: count))
    }

    /// Flushes the data to disk and puts the file in place of the destination.
    public func commit() throws {
        try flushAndClose()
        guard rename(temporaryPath, destination.path) == 0 else { throw failure() }
        committed = true
        syncFolder()
    }

    /// Flushes the data to disk and gives it the destination's name only if no file has that
    /// name yet, so two writers choosing the same name never replace each other's file.
    /// - Returns: false, with the temporary file removed, when the destination exists.
    public func commitIfAbsent() throws -> Bool {
        try flushAndClose()
        // link(2) fails with EEXIST instead of replacing; the temporary name is dropped after.
        if link(temporaryPath, destination.path) == 0 {
            discard()
            syncFolder()
            return true
        }
        switch errno {
        case EEXIST:
            discard()
            return false
        case EPERM, ENOTSUP, EOPNOTSUPP:
            // A file system without hard links: rename, after checking the name is free.
            guard access(destination.path, F_OK) != 0 else {
                discard()
                return false
            }
            guard rename(temporaryPath, destination.path) == 0 else { throw failure() }
            committed = true
            syncFolder()
            return true
        default:
            throw failure()
        }
    }

    private func flushAndClose() throws {
        guard fsync(descriptor) == 0 else { throw failure() }
        guard close(descriptor) == 0 else {
            descriptor = -1
            throw failure()
        }
        descriptor = -1
    }

    /// Makes a rename durable too; a folder that cannot be opened or synced is no error.
    private func syncFolder() {
        let folder = open(destination.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    private func failure() -> ModelFileError {
        .unwritable(file: destination.path, reason: Self.lastErrorMessage())
    }

    /// Closes and removes the temporary file unless it was committed.
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        if !committed {
            unlink(temporaryPath)
            committed = true  // nothing left to remove
        }
    }

    private static func lastErrorMessage() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `write`, which the method of the same name hides.
@inline(__always)
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, buffer, count)
    #else
    return Darwin.write(descriptor, buffer, count)
    #endif
}
