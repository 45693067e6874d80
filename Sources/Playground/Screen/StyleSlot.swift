/// The named places a theme colours. Views pick a slot for every cell; the theme decides what
/// the slot looks like, so screens can be compared without colours and themes changed freely.
public enum StyleSlot: String, CaseIterable, Sendable, Codable {
    case normal
    case dim
    case border
    case borderFocused
    case title
    case promptText
    case promptPlaceholder
    case promptEcho
    case tokenCount
    case tokenCountOver
    case panelLabel
    case panelValue
    case panelFocused
    case panelDisabled
    case sliderTrack
    case sliderFill
    case sliderKnob
    case modeSelected
    case columnHeader
    case columnHeaderFocused
    case columnText
    case columnFinished
    case statusBar
    case statusAccent
    case keyHint
    case keyHintKey
    case overlay
    case overlayTitle
    case overlayKey
    case selection
    case searchMatch
    case starred
    case error
    case warning
    case tokenProbability0
    case tokenProbability1
    case tokenProbability2
    case tokenProbability3
    case tokenProbability4

    /// The slot for a token drawn by its probability under the model: 0 is the least likely.
    public static func tokenProbability(_ probability: Float) -> StyleSlot {
        switch probability {
        case ..<0.05: return .tokenProbability0
        case ..<0.2: return .tokenProbability1
        case ..<0.5: return .tokenProbability2
        case ..<0.8: return .tokenProbability3
        default: return .tokenProbability4
        }
    }
}
