import Foundation

/// Theme files: JSON objects with an optional `"description"` and `"styles"`, which maps style
/// slot names to styles:
///
///     { "description": "…", "styles": { "sliderFill": { "foreground": "#5fafff", "bold": true } } }
///
/// A style has `foreground` and `background` colours ("#rrggbb", an ANSI name such as
/// "bright-blue", a palette number 0–255, or "default": the terminal's own) and the attributes
/// `bold`, `dim`, `italic`, `underline` and `reverse` (true or false). A colour a style leaves
/// out is the `normal` style's, an attribute left out is off; slots a file leaves out look as in
/// the built-in default theme (on the `normal` colours). So a light theme need only give
/// `normal` a background. Unknown names and bad values are errors, so a typo never goes
/// unnoticed.
public enum ThemeFile {
    /// Reads the theme in `url`; its name is the file's name without `.json`.
    public static func load(_ url: URL) throws(ThemeError) -> Theme {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw .unreadable(file: url.path, reason: "no such file")
        }
        guard !isFolder.boolValue else { throw .unreadable(file: url.path, reason: "it is a folder") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: Self.reason(error))
        }
        return try decode(data, name: url.deletingPathExtension().lastPathComponent, file: url.path)
    }

    /// Decodes a theme file's contents; `file` is how errors name it.
    public static func decode(_ data: Data, name: String, file: String) throws(ThemeError) -> Theme {
        do {
            let document = try JSONDecoder().decode(ThemeDocument.self, from: data)
            let normal = document.styles[.normal]?.style ?? TextStyle()
            let styles = document.styles.mapValues { partial in
                var style = partial.style
                if !partial.givesForeground { style.foreground = normal.foreground }
                if !partial.givesBackground { style.background = normal.background }
                return style
            }
            return Theme(name: name, description: document.description ?? "", styles: styles)
        } catch let problem as FieldProblem {
            throw .invalidField(file: file, field: problem.field, problem: problem.problem)
        } catch DecodingError.typeMismatch(let type, let context) {
            throw .invalidField(file: file, field: fieldName(context.codingPath), problem: "expected \(kind(of: type))")
        } catch DecodingError.valueNotFound(let type, let context) {
            throw .invalidField(file: file, field: fieldName(context.codingPath), problem: "expected \(kind(of: type)), found null")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw .invalidField(file: file, field: fieldName(context.codingPath), problem: context.debugDescription)
        } catch {
            throw .invalidJSON(file: file, detail: syntaxProblem(in: data))
        }
    }

    /// Where the JSON of `data` goes wrong. The decoder does not say; the serialization parser
    /// gives an offset ("around character 12"), told here as a line and column.
    static func syntaxProblem(in data: Data) -> String {
        if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return "the file is empty" }
        let detail: String
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return "not a JSON document"
        } catch {
            detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? reason(error)
        }
        guard let range = detail.range(of: #"around character [0-9]+"#, options: .regularExpression),
              let offset = Int(detail[range].split(separator: " ").last ?? "")
        else { return detail }
        let before = data.prefix(offset)
        let line = before.count { $0 == 0x0A } + 1
        let column = before.count - (before.lastIndex(of: 0x0A).map { $0 - before.startIndex + 1 } ?? 0) + 1
        return detail.replacingCharacters(in: range, with: "at line \(line), column \(column)")
    }

    /// A field of the file that is wrong, and how.
    struct FieldProblem: Error {
        var field: String
        var problem: String
    }

    static func fieldName(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "(top level)" : path.map(\.stringValue).joined(separator: ".")
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return "an object"
        }
    }

    /// The innermost, most specific message of a Foundation or decoding error, on one line.
    private static func reason(_ error: any Error) -> String {
        var message: String
        if case DecodingError.dataCorrupted(let context) = error {
            message = context.debugDescription
            if let underlying = context.underlyingError { message += " (\(reason(underlying)))" }
        } else if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError {
            message = underlying.localizedDescription
        } else {
            message = (error as NSError).localizedDescription
        }
        return message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// A coding key for any name, so that decoding can see (and refuse) names it does not know.
struct ThemeKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// The JSON document of a theme file.
private struct ThemeDocument: Decodable {
    var description: String?
    var styles: [StyleSlot: StyleDocument] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ThemeKey.self)
        try rejectUnknown(container, allowed: ["description", "styles"])
        description = try container.decodeIfPresent(String.self, forKey: ThemeKey("description"))
        guard container.contains(ThemeKey("styles")) else { return }
        let slots = try container.nestedContainer(keyedBy: ThemeKey.self, forKey: ThemeKey("styles"))
        for key in slots.allKeys {
            guard let slot = StyleSlot(rawValue: key.stringValue) else {
                throw ThemeFile.FieldProblem(
                    field: ThemeFile.fieldName(slots.codingPath + [key]),
                    problem: "unknown style slot (the slots are listed in themes/README.md)")
            }
            styles[slot] = try slots.decode(StyleDocument.self, forKey: key)
        }
    }
}

/// One style of a theme file, and which colours it gives.
private struct StyleDocument: Decodable {
    var style = TextStyle()
    var givesForeground = false
    var givesBackground = false

    private static var attributes: [(String, WritableKeyPath<TextStyle, Bool>)] {
        [("bold", \.bold), ("dim", \.dim), ("italic", \.italic), ("underline", \.underline), ("reverse", \.reverse)]
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ThemeKey.self)
        try rejectUnknown(container, allowed: ["foreground", "background"] + Self.attributes.map(\.0))
        if let color = try container.decodeIfPresent(ColorDocument.self, forKey: ThemeKey("foreground")) {
            style.foreground = color.color
            givesForeground = true
        }
        if let color = try container.decodeIfPresent(ColorDocument.self, forKey: ThemeKey("background")) {
            style.background = color.color
            givesBackground = true
        }
        for (name, path) in Self.attributes {
            if let value = try container.decodeIfPresent(Bool.self, forKey: ThemeKey(name)) {
                style[keyPath: path] = value
            }
        }
    }
}

/// One colour of a theme file: a string or a palette number.
private struct ColorDocument: Decodable {
    var color: TerminalColor

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let field = ThemeFile.fieldName(decoder.codingPath)
        let expected = "use \"#rrggbb\", an ANSI name such as \"bright-blue\", a palette number 0–255, or \"default\""
        if let text = try? container.decode(String.self) {
            guard let color = TerminalColor(themeText: text) else {
                throw ThemeFile.FieldProblem(field: field, problem: "\"\(text)\" is not a colour; \(expected)")
            }
            self.color = color
        } else if let number = try? container.decode(Int.self) {
            guard let index = UInt8(exactly: number) else {
                throw ThemeFile.FieldProblem(field: field, problem: "\(number) is not a palette number; \(expected)")
            }
            color = .palette(index)
        } else {
            throw ThemeFile.FieldProblem(field: field, problem: "not a colour; \(expected)")
        }
    }
}

private func rejectUnknown(_ container: KeyedDecodingContainer<ThemeKey>, allowed: [String]) throws {
    for key in container.allKeys where !allowed.contains(key.stringValue) {
        throw ThemeFile.FieldProblem(
            field: ThemeFile.fieldName(container.codingPath + [key]),
            problem: "unknown field (expected \(allowed.joined(separator: ", ")))")
    }
}
