import Foundation
import Testing
@testable import Playground

@Suite struct KeymapTests {
    @Test func defaultTableHasNoConflictsAndBindsEveryAction() throws {
        let keymap = try Keymap()
        #expect(keymap == Keymap.standard)
        for action in Action.allCases {
            #expect(!(keymap.keys[action] ?? []).isEmpty, "\(action) has no key")
        }
    }

    @Test func contextBindingsComeBeforeGlobalOnes() {
        let keymap = Keymap.standard
        #expect(keymap.action(for: .ctrl("r"), in: .prompt) == .run)
        #expect(keymap.action(for: KeyPress(.left), in: .prompt) == .cursorLeft)
        #expect(keymap.action(for: KeyPress(.left), in: .columns) == .columnLeft)
        #expect(keymap.action(for: KeyPress(.function(1)), in: .parameters) == .help)
        #expect(keymap.action(for: .char("x"), in: .parameters) == nil)
    }

    @Test func userFileRebindsAndConflictsAreReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keymap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("keys.json")

        try Data(#"{"run": ["ctrl+l", "f5"], "quit": "f10"}"#.utf8).write(to: file)
        let keymap = try Keymap.load(from: file)
        #expect(keymap.action(for: .ctrl("l"), in: .prompt) == .run)
        #expect(keymap.action(for: .ctrl("r"), in: .prompt) == nil)
        #expect(keymap.keyNames(.quit) == "f10")

        try Data(#"{"run": "ctrl+q"}"#.utf8).write(to: file)
        #expect(throws: KeymapError.conflict(key: "ctrl+q", first: "run", second: "quit", file: file.path)) {
            try Keymap.load(from: file)
        }
        try Data(#"{"help": "left"}"#.utf8).write(to: file)
        #expect(throws: KeymapError.self) { try Keymap.load(from: file) }
        try Data(#"{"launch": "f9"}"#.utf8).write(to: file)
        #expect(throws: KeymapError.unreadable(file: file.path, reason: "\"launch\" is not an action (see the help overlay for names)")) {
            try Keymap.load(from: file)
        }
        try Data(#"{"run": "hyper+q"}"#.utf8).write(to: file)
        #expect(throws: KeymapError.self) { try Keymap.load(from: file) }
        try Data("[1, 2".utf8).write(to: file)
        #expect(throws: KeymapError.unreadable(file: file.path, reason: "not valid JSON")) { try Keymap.load(from: file) }
    }

    @Test func missingFileIsTheDefaultTable() throws {
        let keymap = try Keymap.load(from: URL(fileURLWithPath: "/nonexistent/keys.json"))
        #expect(keymap == Keymap.standard)
    }

    @Test func everyDefaultKeyTriggersItsActionWhereItApplies() {
        let keymap = Keymap.standard
        for action in Action.allCases {
            for key in keymap.keys[action] ?? [] {
                let contexts = action.context == .global ? KeyContext.allCases : [action.context]
                for context in contexts {
                    #expect(keymap.action(for: key, in: context) == action, "\(key) in \(context)")
                }
            }
        }
    }
}
