import Foundation
import GPT2
import Testing
@testable import Playground

@Suite struct PresetTests {
    @Test func thereIsOneBuiltInPresetPerModeWithTheDefaults() {
        #expect(Preset.builtIns.map(\.name) == ["sample-top-p", "sample-top-k", "sample", "beam", "greedy"])
        for preset in Preset.builtIns {
            var expected = GenerationParameters()
            expected.mode = preset.parameters.mode
            #expect(preset.parameters == expected)
            #expect(preset.isBuiltIn)
            #expect(preset.parameters.mode.rawValue == preset.name)
            #expect(throws: Never.self) { try preset.parameters.validate() }
        }
        let beam = Preset.builtIns[3].parameters
        #expect(beam.numBeams == 5)
        #expect(beam.effectiveNoRepeatNgramSize == 2)
        #expect(beam.maxLength == 100)
        #expect(beam.numReturnSequences == 3)
    }

    @Test func builtInNamesAreComparedWithoutCase() {
        #expect(Preset.isBuiltInName("Beam"))
        #expect(Preset.isBuiltInName("SAMPLE-TOP-P"))
        #expect(!Preset.isBuiltInName("beam2"))
    }
}

@Suite struct PresetStoreTests {
    /// A fresh folder under the system's temporary folder, removed after `body`.
    private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("presets-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    private func parameters(_ change: (inout GenerationParameters) -> Void) -> GenerationParameters {
        var p = GenerationParameters()
        change(&p)
        return p
    }

    @Test func theConfigurationFolderFollowsXDGThenHome() {
        #expect(PresetStore.defaultDirectory(environment: ["XDG_CONFIG_HOME": "/c", "HOME": "/h"])?.path == "/c/gpt2-tui")
        #expect(PresetStore.defaultDirectory(environment: ["HOME": "/h"])?.path == "/h/.config/gpt2-tui")
        #expect(PresetStore.defaultDirectory(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"])?.path == "/h/.config/gpt2-tui")
        #expect(PresetStore.defaultDirectory(environment: ["XDG_CONFIG_HOME": ""]) == nil)
        #expect(PresetStore.defaultDirectory(environment: [:]) == nil)
    }

    @Test func withoutAFileThereAreNoSavedPresets() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            #expect(try store.load() == [])
            let catalog = store.catalog()
            #expect(catalog.problem == nil)
            #expect(catalog.all == Preset.builtIns)
        }
    }

    @Test func savedPresetsLoadBackExactly() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory.appendingPathComponent("deeper/gpt2-tui"))
            let long = parameters {
                $0.mode = .beam
                $0.maxLength = 300
                $0.numBeams = 8
                $0.stop = ["\n\n", "END \"quoted\""]
                $0.repetitionPenalty = 1.15
            }
            let seeded = parameters {
                $0.seed = ParameterField.maximumSeed
                $0.noRepeatNgramSize = 3
                $0.temperature = 0.735
                $0.topK = 0
            }
            try store.save(name: "long beam", parameters: long)
            let saved = try store.save(name: "  日本語 👍 ", parameters: seeded)
            #expect(saved.map(\.name) == ["long beam", "日本語 👍"])
            #expect(try store.load() == [Preset(name: "long beam", parameters: long), Preset(name: "日本語 👍", parameters: seeded)])
            let catalog = store.catalog()
            #expect(catalog.all.count == 7)
            #expect(catalog.preset(named: "long beam")?.parameters == long)
            #expect(catalog.preset(named: "greedy")?.isBuiltIn == true)
        }
    }

    @Test func theFileIsReadableJSONInAStableOrder() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            try store.save(name: "b", parameters: parameters { $0.mode = .greedy })
            try store.save(name: "a", parameters: parameters { $0.stop = ["x"]; $0.seed = 7 })
            let text = try String(contentsOf: store.file, encoding: .utf8)
            #expect(text == """
                {
                    "version": 1,
                    "presets": {
                        "a": {
                            "max_length": 100,
                            "mode": "sample-top-p",
                            "top_p": 0.92,
                            "top_k": 50,
                            "temperature": 0.7,
                            "num_beams": 5,
                            "num_return_sequences": 3,
                            "seed": 7,
                            "repetition_penalty": 1.0,
                            "stop": ["x"]
                        },
                        "b": {
                            "max_length": 100,
                            "mode": "greedy",
                            "top_p": 0.92,
                            "top_k": 50,
                            "temperature": 0.7,
                            "num_beams": 5,
                            "num_return_sequences": 3,
                            "seed": -1,
                            "repetition_penalty": 1.0,
                            "stop": []
                        }
                    }
                }

                """)
        }
    }

    @Test func savingANameAgainReplacesThePreset() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            try store.save(name: "mine", parameters: parameters { $0.maxLength = 10 })
            try store.save(name: "mine", parameters: parameters { $0.maxLength = 20 })
            #expect(try store.load().map(\.parameters.maxLength) == [20])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(leftovers == ["presets.json"])
        }
    }

    @Test func deletingRemovesOnlyThatPreset() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            try store.save(name: "one", parameters: GenerationParameters())
            try store.save(name: "two", parameters: GenerationParameters())
            #expect(try store.delete(name: "one").map(\.name) == ["two"])
            #expect(try store.load().map(\.name) == ["two"])
            #expect(throws: PresetError.notFound("one")) { try store.delete(name: "one") }
            #expect(throws: PresetError.builtInName("beam")) { try store.delete(name: "beam") }
        }
    }

    @Test func namesMustBeUsableAndCannotShadowBuiltIns() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            #expect(throws: PresetError.builtInName("Beam")) { try store.save(name: " Beam ", parameters: GenerationParameters()) }
            #expect(throws: PresetError.invalidName("  ", reason: "it is empty")) { try store.save(name: "  ", parameters: GenerationParameters()) }
            #expect(throws: PresetError.invalidName("a\nb", reason: "it holds control characters")) {
                try store.save(name: "a\nb", parameters: GenerationParameters())
            }
            let long = String(repeating: "x", count: 41)
            #expect(throws: PresetError.invalidName(long, reason: "it is longer than 40 characters")) {
                try store.save(name: long, parameters: GenerationParameters())
            }
            #expect(!FileManager.default.fileExists(atPath: store.file.path))
            #expect(PresetError.builtInName("Beam").description == "\"Beam\" is a built-in preset; choose another name")
        }
    }

    @Test func invalidParametersAreNotSaved() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            let invalid = parameters { $0.mode = .beam; $0.numBeams = 2; $0.numReturnSequences = 3 }
            #expect(throws: PresetError.self) { try store.save(name: "bad", parameters: invalid) }
            #expect(!FileManager.default.fileExists(atPath: store.file.path))
        }
    }

    /// Writes `text` as the presets file and returns the load error's message.
    private func loadError(of text: String) throws -> String? {
        var message: String?
        try withTemporaryDirectory { (directory: URL) throws in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = PresetStore(directory: directory)
            try Data(text.utf8).write(to: store.file)
            let catalog = store.catalog()
            #expect(catalog.all == Preset.builtIns)
            message = catalog.problem
            // Saving over a bad file is refused and leaves it as it was.
            #expect(throws: PresetError.self) { try store.save(name: "new", parameters: GenerationParameters()) }
            #expect(try String(contentsOf: store.file, encoding: .utf8) == text)
            message = message.map { $0.replacingOccurrences(of: store.file.path, with: "FILE") }
        }
        return message
    }

    @Test func aBadFileIsReportedInOneLineNamingItAndLeftUntouched() throws {
        let cases: [(String, String)] = [
            ("{", "FILE: not valid JSON"),
            ("[]", "FILE: the file must hold a JSON object"),
            (#"{"version": 1}"#, #"FILE: "presets" must be an object of named presets"#),
            (#"{"presets": {}}"#, #"FILE: "version" must be a positive integer"#),
            (#"{"version": 2, "presets": {}}"#, "FILE: version 2 was written by a newer gpt2-tui (this one reads version 1)"),
            (#"{"version": 1, "presets": {}, "extra": 1}"#, #"FILE: unknown key "extra""#),
            (#"{"version": 1, "presets": {"x": 3}}"#, #"FILE: preset "x": must be a JSON object of parameters"#),
            (#"{"version": 1, "presets": {"x": {"top_p": "high"}}}"#, #"FILE: preset "x": key "top_p" must be a number"#),
            (#"{"version": 1, "presets": {"x": {"colour": 1}}}"#, #"FILE: preset "x": key "colour" is not a known request key"#),
            (#"{"version": 1, "presets": {"x": {"input": "hi"}}}"#, #"FILE: preset "x": a preset holds no "input""#),
            (#"{"version": 1, "presets": {"x": {"num_return_sequences": 20}}}"#, #"FILE: preset "x": num_return_sequences outside the panel's range"#),
            (#"{"version": 1, "presets": {"x": {"temperature": 0}}}"#,
             #"FILE: preset "x": invalid temperature: must be greater than 0 (use mode greedy for deterministic output), got 0.0"#),
            (#"{"version": 1, "presets": {"greedy": {}}}"#, #"FILE: preset "greedy": the name is taken by a built-in preset"#),
            (#"{"version": 1, "presets": {" x": {}}}"#, #"FILE: preset " x": the name has surrounding spaces"#),
            (#"{"version": 1, "presets": {"": {}}}"#, #"FILE: preset "": the name is not valid: it is empty"#),
        ]
        for (text, expected) in cases {
            #expect(try loadError(of: text) == expected, "\(text)")
        }
    }

    @Test func anUnreadableFileIsReportedWithTheSystemsReason() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let store = PresetStore(directory: directory)
            // A folder where the file should be cannot be read as one.
            try FileManager.default.createDirectory(at: store.file, withIntermediateDirectories: true)
            #expect(store.catalog().problem == "\(store.file.path): cannot read the presets: Is a directory")
            #expect(throws: PresetError.self) { try store.save(name: "x", parameters: GenerationParameters()) }
        }
    }

    @Test func aFileWhereTheFolderShouldBeIsReported() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // A plain file stands where the configuration folder should be.
            let blocker = directory.appendingPathComponent("gpt2-tui")
            try Data().write(to: blocker)
            let store = PresetStore(directory: blocker)
            #expect(store.catalog().problem == "\(store.file.path): cannot read the presets: Not a directory")
            #expect(throws: PresetError.unreadable(file: store.file.path, reason: "Not a directory")) {
                try store.save(name: "x", parameters: GenerationParameters())
            }
        }
    }

    @Test func aFileWrittenByHandWithDefaultsLeftOutLoads() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = PresetStore(directory: directory)
            try Data(#"{"version": 1, "presets": {"short": {"max_length": 20, "mode": "greedy", "stop": "."}}}"#.utf8).write(to: store.file)
            let expected = parameters { $0.maxLength = 20; $0.mode = .greedy; $0.stop = ["."] }
            #expect(try store.load() == [Preset(name: "short", parameters: expected)])
        }
    }
}
