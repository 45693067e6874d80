import Foundation

/// The Hugging Face hub cache that `huggingface_hub` and transformers fill:
/// `ROOT/models--ORG--NAME/refs/REVISION` holds a commit hash, and
/// `ROOT/models--ORG--NAME/snapshots/COMMIT/FILE` the files (links into `blobs/`).
public struct HuggingFaceCache: Equatable, Sendable {
    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The cache the hub's clients use: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else
    /// `~/.cache/huggingface/hub` (`$XDG_CACHE_HOME/huggingface/hub` when that is set).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let hubCache = environment["HF_HUB_CACHE"], !hubCache.isEmpty {
            root = URL(fileURLWithPath: Self.expandingTilde(hubCache), isDirectory: true)
        } else if let home = environment["HF_HOME"], !home.isEmpty {
            root = URL(fileURLWithPath: Self.expandingTilde(home), isDirectory: true).appending(path: "hub")
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = URL(fileURLWithPath: Self.expandingTilde(xdg), isDirectory: true).appending(path: "huggingface/hub")
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            root = URL(fileURLWithPath: home, isDirectory: true).appending(path: ".cache/huggingface/hub")
        }
    }

    /// The folder of `repository` (`openai-community/gpt2` → `models--openai-community--gpt2`).
    public func repositoryFolder(_ repository: String) -> URL {
        root.appending(path: "models--" + repository.replacingOccurrences(of: "/", with: "--"), directoryHint: .isDirectory)
    }

    /// The snapshot folder of `repository` at `revision` that holds every one of `files` (links
    /// that resolve to regular files), or nil. The revision is looked up in `refs/`; a commit
    /// hash names its snapshot directly.
    public func snapshot(repository: String, revision: String, files: [String]) -> URL? {
        let folder = repositoryFolder(repository)
        let fileManager = FileManager.default
        var candidates: [String] = []
        if let ref = try? String(contentsOf: folder.appending(path: "refs/" + revision), encoding: .utf8) {
            candidates.append(ref.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        candidates.append(revision)
        for commit in candidates where !commit.isEmpty && !commit.contains("/") && !commit.contains("..") {
            let snapshot = folder.appending(path: "snapshots/" + commit, directoryHint: .isDirectory)
            let complete = files.allSatisfy { file in
                var isDirectory: ObjCBool = false
                // fileExists follows links, so a dangling link into blobs/ does not count.
                return fileManager.fileExists(atPath: snapshot.appending(path: file).path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
            if complete { return snapshot }
        }
        return nil
    }

    private static func expandingTilde(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }
}
