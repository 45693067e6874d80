import Foundation
import GPT2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies one version of a file without reading it: a file rewritten in place of
/// another (an update renames a new file over the old) has a new inode, and any other change
/// shows in its size, modification time or status-change time (which also moves when the
/// file's permissions change, so a file that could not be read is read again once it can).
struct HistoryFileStamp: Hashable, Sendable {
    var name: String
    var inode: UInt64
    var size: Int64
    /// Modification time in nanoseconds since 1970.
    var modified: Int64
    /// Status-change time in nanoseconds since 1970.
    var changed: Int64
}

/// The files of a history folder, read with one `readdir` pass and an `fstatat` per file (far
/// cheaper than Foundation's per-file attribute dictionaries with 10,000 runs).
struct HistoryFolderScan {
    /// Record files: regular files named `*.json`, not hidden.
    var records: [HistoryFileStamp] = []
    /// Temporary files a writer left behind (`AtomicFileOutput.isTemporaryFileName`).
    var temporaryFiles: [HistoryFileStamp] = []

    /// Scans `folder`; a folder that does not exist has no files.
    /// - Throws: the C library's message when the folder exists but cannot be read.
    init(folder: URL) throws(HistoryError) {
        guard let directory = opendir(folder.path) else {
            if errno == ENOENT { return }
            throw .folderUnreadable(path: folder.path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            let isRecord = name.hasSuffix(".json") && !name.hasPrefix(".")
            let isTemporary = !isRecord && AtomicFileOutput.isTemporaryFileName(name)
            guard isRecord || isTemporary else { continue }
            var info = stat()
            guard fstatat(descriptor, name, &info, 0) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            #if canImport(Darwin)
            let (modified, changed) = (info.st_mtimespec, info.st_ctimespec)
            #else
            let (modified, changed) = (info.st_mtim, info.st_ctim)
            #endif
            let stamp = HistoryFileStamp(name: name, inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                         modified: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec),
                                         changed: Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec))
            if isRecord {
                records.append(stamp)
            } else {
                temporaryFiles.append(stamp)
            }
        }
    }
}
