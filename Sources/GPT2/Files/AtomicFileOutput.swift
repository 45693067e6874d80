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
final class AtomicFileOutput {
    let destination: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    /// Creates the temporary file beside `destination`.
    /// - Throws: `ModelFileError.unwritable` naming `destination`.
    init(destination: URL) throws {
        self.destination = destination
        let folder = destination.deletingLastPathComponent().path
        temporaryPath = folder + "/." + destination.lastPathComponent + ".\(UUID().uuidString).tmp"
        var result: Int32
        repeat {
            // 0o666 before the umask, as any new file gets.
            result = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        } while result < 0 && errno == EINTR
        guard result >= 0 else {
            throw ModelFileError.unwritable(file: destination.path, reason: Self.lastErrorMessage())
        }
        descriptor = result
    }

    deinit {
        discard()
    }

    /// Appends `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
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

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends `count` zero bytes.
    func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        try write([UInt8](repeating: 0, count: count))
    }

    /// Flushes the data to disk and puts the file in place of the destination.
    func commit() throws {
        func fail() -> ModelFileError {
            .unwritable(file: destination.path, reason: Self.lastErrorMessage())
        }
        guard fsync(descriptor) == 0 else { throw fail() }
        guard close(descriptor) == 0 else {
            descriptor = -1
            throw fail()
        }
        descriptor = -1
        guard rename(temporaryPath, destination.path) == 0 else { throw fail() }
        committed = true
        // Make the rename durable too; a folder that cannot be opened or synced is no error.
        let folder = open(destination.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
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
