/// Where each part of the playground goes for a terminal size. Wide terminals put the
/// parameter panel at the side, full height; narrower ones put a compact strip of parameters
/// under the prompt. Output columns take the rest.
public struct Layout: Equatable, Sendable {
    public enum PanelShape: Equatable, Sendable {
        case side
        case strip
    }

    /// The smallest terminal the playground draws in; smaller ones get a message.
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    /// From this width on, the panel moves to the side.
    public static let sidePanelFromWidth = 110
    public static let sidePanelWidth = 34
    /// Narrowest an output column may get before columns are paged.
    public static let minimumColumnWidth = 24

    public var prompt: Rect
    public var panel: Rect
    public var panelShape: PanelShape
    public var columns: Rect
    public var status: Rect
    public var hints: Rect

    public static func isTooSmall(width: Int, height: Int) -> Bool {
        width < minimumWidth || height < minimumHeight
    }

    public init(width: Int, height: Int) {
        let w = max(width, 0), h = max(height, 0)
        status = Rect(row: h - 2, column: 0, width: w, height: 1)
        hints = Rect(row: h - 1, column: 0, width: w, height: 1)
        let body = max(0, h - 2)
        if w >= Self.sidePanelFromWidth {
            panelShape = .side
            let left = w - Self.sidePanelWidth
            panel = Rect(row: 0, column: left, width: Self.sidePanelWidth, height: body)
            let promptHeight = min(max(6, body / 3), body)
            prompt = Rect(row: 0, column: 0, width: left, height: promptHeight)
            columns = Rect(row: promptHeight, column: 0, width: left, height: body - promptHeight)
        } else {
            panelShape = .strip
            let promptHeight = min(body >= 30 ? 8 : 5, body)
            // The strip shows every field when there is room, and scrolls when there is not.
            let stripHeight = max(0, min(ParameterPanel.preferredHeight(forWidth: w), (body - promptHeight) / 2))
            prompt = Rect(row: 0, column: 0, width: w, height: promptHeight)
            panel = Rect(row: promptHeight, column: 0, width: w, height: stripHeight)
            columns = Rect(row: promptHeight + stripHeight, column: 0, width: w, height: body - promptHeight - stripHeight)
        }
    }

    /// How many output columns fit side by side in `width` cells.
    public static func visibleColumnCount(total: Int, width: Int) -> Int {
        max(1, min(total, width / minimumColumnWidth))
    }
}
