/// A named look for the playground: a text style for every style slot. Themes are read from
/// JSON files (`ThemeFile`); the built-in default is the fallback for any slot a file leaves out
/// and for a theme that cannot be read.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var description: String
    public let styles: [StyleSlot: TextStyle]

    /// A theme of `styles`. Slots left out look as in the built-in default theme, drawn on this
    /// theme's `normal` colours where the default theme uses the terminal's own.
    public init(name: String, description: String = "", styles: [StyleSlot: TextStyle]) {
        self.name = name
        self.description = description
        let normal = styles[.normal] ?? TextStyle()
        var complete = styles
        for (slot, builtIn) in Self.builtInStyles where styles[slot] == nil {
            var style = builtIn
            style.inheritDefaultColors(from: normal)
            complete[slot] = style
        }
        self.styles = complete
    }

    public subscript(slot: StyleSlot) -> TextStyle {
        styles[slot] ?? TextStyle()
    }

    /// The default theme, built in: light text on the terminal's own (dark) background.
    /// `themes/default.json` holds the same theme, so users can start their own from a copy.
    public static let builtInDefault = Theme(
        name: "default", description: "Dark: light text on the terminal's own background.", styles: builtInStyles)
}
