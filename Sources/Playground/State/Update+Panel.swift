import Foundation

extension PlaygroundState {
    mutating func performOnPanel(_ action: Action) -> [Effect] {
        let command: ParameterPanel.Command
        switch action {
        case .fieldPrevious: command = .focusPrevious
        case .fieldNext: command = .focusNext
        case .increase: command = .increase(.fine)
        case .decrease: command = .decrease(.fine)
        case .increaseCoarse: command = .increase(.coarse)
        case .decreaseCoarse: command = .decrease(.coarse)
        case .typeValue: command = .beginTyping
        case .resetField: command = .resetFocused
        case .resetAll: command = .resetAll
        case .nextMode: command = .cycleMode(forward: true)
        default: return []
        }
        return changePanel(command)
    }

    /// Applies a panel command and reacts to a parameter change (live update, auto re-run).
    mutating func changePanel(_ command: ParameterPanel.Command) -> [Effect] {
        let old = panel.parameters
        panel.perform(command)
        if let message = panel.message { say(message.text, error: message.isError) }
        return parametersChanged(from: old)
    }

    /// While an exact value is typed, keys edit that entry.
    mutating func typeIntoPanel(_ key: KeyPress) -> [Effect] {
        switch key.key {
        case .enter: return changePanel(.commitTyping)
        case .escape: return changePanel(.cancelTyping)
        case .backspace: return changePanel(.backspace)
        default:
            if let character = key.typedCharacter { return changePanel(.type(String(character))) }
            // Anything else (a run key, a focus change) leaves the entry unapplied and acts.
            _ = changePanel(.cancelTyping)
            guard let action = keymap.action(for: key, in: .parameters) else { return [] }
            return perform(action)
        }
    }

    /// Keys while a preset's name is typed: Enter saves, Esc cancels.
    mutating func presetNameKey(_ key: KeyPress, name: String) -> [Effect] {
        switch key.key {
        case .enter:
            presetNameEntry = nil
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return [] }
            return [.savePreset(name: trimmed, panel.parameters)]
        case .escape:
            presetNameEntry = nil
        case .backspace:
            presetNameEntry = String(name.dropLast())
        default:
            if let character = key.typedCharacter { presetNameEntry = name + String(character) }
        }
        return []
    }

    /// Applies the next preset (built-in ones, then the user's).
    mutating func applyNextPreset() -> [Effect] {
        let presets = Preset.builtIns + userPresets
        guard !presets.isEmpty else { return [] }
        let index = presetIndex.map { ($0 + 1) % presets.count } ?? 0
        presetIndex = index
        let effects = changePanel(.applyPreset(presets[index]))
        say("preset: \(presets[index].name)", error: false)
        return effects
    }
}
