/// The key-value metadata of a GGUF file, in file order, with lookup by key.
/// Keys are unique: a file that repeats one is refused when read, and `append` refuses it too.
public struct GGUFMetadata: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: GGUFValue

        public init(key: String, value: GGUFValue) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in order.
    public private(set) var entries: [Entry] = []
    private var indexByKey: [String: Int] = [:]

    public init() {}

    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> GGUFValue? {
        indexByKey[key].map { entries[$0].value }
    }

    /// Adds `key` at the end. Returns false, changing nothing, when the key is already there.
    @discardableResult
    public mutating func append(_ key: String, _ value: GGUFValue) -> Bool {
        guard indexByKey[key] == nil else { return false }
        indexByKey[key] = entries.count
        entries.append(Entry(key: key, value: value))
        return true
    }

    /// Replaces the value of `key` where it stands, or adds it at the end.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = indexByKey[key] {
            entries[index].value = value
        } else {
            append(key, value)
        }
    }

    /// Removes `key` if present, keeping the order of the others.
    public mutating func remove(_ key: String) {
        guard let index = indexByKey.removeValue(forKey: key) else { return }
        entries.remove(at: index)
        for position in index..<entries.count {
            indexByKey[entries[position].key] = position
        }
    }

    public static func == (left: GGUFMetadata, right: GGUFMetadata) -> Bool {
        left.entries == right.entries
    }
}
