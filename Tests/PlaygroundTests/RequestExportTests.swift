import Foundation
import GPT2
import Testing
@testable import Playground

@Suite struct RequestExportTests {
    static let awkwardPrompts = [
        "Hello",
        "",
        "It's a \"quoted\" 'single' prompt",
        "two\nlines\n\nand a tab\there",
        "$HOME $(whoami) `date` ${x} \\ \\\\ ! * ? [a] ~ # ; & | < > ( )",
        "日本語のテキスト 👍🏽 e\u{301} 👨‍👩‍👧",
        "control \u{1} \u{1B}[31m \u{7F} end",
        "line\u{2028}separator",
        "'",
        "'''",
        "ends with a backslash \\",
    ]

    private func parameters(_ change: (inout GenerationParameters) -> Void) -> GenerationParameters {
        var p = GenerationParameters()
        change(&p)
        return p
    }

    @Test func theDefaultRequestHasTheKeysOfItsModeInTheSeedOrder() {
        #expect(RequestExport.json(prompt: "This is an input text", parameters: GenerationParameters()) == """
            {
                "input": "This is an input text",
                "max_length": 100,
                "mode": "sample-top-p",
                "top_p": 0.92,
                "temperature": 0.7,
                "num_return_sequences": 3,
                "seed": -1
            }
            """)
    }

    @Test func eachModeWritesOnlyTheKeysItUses() {
        let beam = parameters { $0.mode = .beam }
        #expect(RequestExport.json(prompt: "x", parameters: beam) == """
            {
                "input": "x",
                "max_length": 100,
                "mode": "beam",
                "num_beams": 5,
                "num_return_sequences": 3
            }
            """)
        let sample = parameters {
            $0.mode = .sample
            $0.seed = 42
            $0.noRepeatNgramSize = 3
            $0.repetitionPenalty = 1.2
            $0.stop = ["\n\n", "END"]
        }
        #expect(RequestExport.json(prompt: "x", parameters: sample) == """
            {
                "input": "x",
                "max_length": 100,
                "mode": "sample",
                "top_p": 0.92,
                "top_k": 50,
                "temperature": 0.7,
                "no_repeat_ngram_size": 3,
                "num_return_sequences": 3,
                "seed": 42,
                "repetition_penalty": 1.2,
                "stop": ["\\n\\n", "END"]
            }
            """)
        let greedy = parameters { $0.mode = .greedy; $0.seed = 9; $0.temperature = 1.5 }
        #expect(RequestExport.json(prompt: "x", parameters: greedy) == """
            {
                "input": "x",
                "max_length": 100,
                "mode": "greedy",
                "num_return_sequences": 3
            }
            """)
        let topK = parameters { $0.mode = .sampleTopK; $0.topK = 0 }
        #expect(RequestExport.json(prompt: "x", parameters: topK).contains("\"top_k\": 0,\n    \"temperature\": 0.7,"))
    }

    @Test func relevantParametersPutWhatTheModeIgnoresBackToDefaults() {
        let greedy = parameters { $0.mode = .greedy; $0.seed = 9; $0.temperature = 1.5; $0.stop = ["x"] }
        #expect(RequestExport.relevantParameters(of: greedy) == parameters { $0.mode = .greedy; $0.stop = ["x"] })
        let sample = parameters { $0.mode = .sample; $0.seed = 9; $0.temperature = 1.5; $0.numBeams = 2 }
        #expect(RequestExport.relevantParameters(of: sample) == parameters { $0.mode = .sample; $0.seed = 9; $0.temperature = 1.5 })
    }

    @Test func theRequestReadsBackToTheSameParameters() throws {
        var random = RandomSource(seed: 2024)
        func pick(_ field: ParameterField) -> Double {
            guard let scale = field.scale else { return 0 }
            return scale.value(atPosition: Int(random.next() % 200), trackWidth: 200)
        }
        for round in 0..<400 {
            var p = GenerationParameters()
            p.mode = DecodingMode.allCases[round % DecodingMode.allCases.count]
            for field in ParameterField.allCases where field.scale != nil && random.next() % 2 == 0 {
                p = field.setting(pick(field), in: p)
            }
            // Typed values are not on a step's grid.
            if random.next() % 3 == 0 { p.temperature = 0.7351 }
            switch random.next() % 4 {
            case 0: p.seed = nil
            case 1: p.seed = random.next() % (ParameterField.maximumSeed + 1)
            case 2: p.seed = ParameterField.maximumSeed
            default: p.seed = 0
            }
            if random.next() % 2 == 0 { p.stop = Array(Self.awkwardPrompts.filter { !$0.isEmpty }.prefix(Int(random.next() % 4))) }
            if p.mode == .beam, p.numReturnSequences > p.numBeams { p.numBeams = p.numReturnSequences }
            try p.validate()
            let prompt = Self.awkwardPrompts[round % Self.awkwardPrompts.count]
            let json = RequestExport.json(prompt: prompt, parameters: p)
            let request = try GenerationRequest(json: Data(json.utf8))
            #expect(request.input == prompt)
            #expect(request.parameters == RequestExport.relevantParameters(of: p), "\(json)")
        }
    }

    @Test func theJSONIsValidForAnyPrompt() throws {
        for prompt in Self.awkwardPrompts {
            let json = RequestExport.json(prompt: prompt, parameters: GenerationParameters())
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["input"] as? String == prompt)
        }
        #expect(RequestExport.json(prompt: "\u{1}\u{2028}", parameters: GenerationParameters()).contains(#""input": "\u0001\u2028""#))
    }

    @Test func theCurlCommandPostsTheRequest() {
        #expect(RequestExport.curlCommand(prompt: "It's", parameters: parameters { $0.mode = .greedy }) == """
            curl -X POST 'http://localhost:8080/generate' \\
                -H 'Content-Type: application/json' \\
                --data-binary '{
                "input": "It'\\''s",
                "max_length": 100,
                "mode": "greedy",
                "num_return_sequences": 3
            }'
            """)
        #expect(RequestExport.curlCommand(prompt: "x", parameters: GenerationParameters(), url: "https://example.test/api?a=1&b=2")
            .hasPrefix("curl -X POST 'https://example.test/api?a=1&b=2' \\\n"))
    }

    @Test func quotedTextSurvivesTheShell() throws {
        for text in Self.awkwardPrompts where !text.unicodeScalars.contains("\u{0}") {
            #expect(try shell("printf %s " + ShellQuoting.quoted(text)) == text, "\(text)")
        }
        #expect(ShellQuoting.quoted("it's") == #"'it'\''s'"#)
    }

    @Test func theShellHandsCurlExactlyTheRequestAndURL() throws {
        for prompt in Self.awkwardPrompts {
            let p = parameters { $0.stop = ["'", "$x"] }
            let url = "http://localhost:8080/generate?q='$x'"
            let command = RequestExport.curlCommand(prompt: prompt, parameters: p, url: url)
            // A shell function named curl prints the arguments it gets, each ended by a NUL.
            let arguments = try shell(#"curl() { for a in "$@"; do printf '%s\0' "$a"; done; }; "# + command)
                .split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
            #expect(arguments == ["-X", "POST", url, "-H", "Content-Type: application/json", "--data-binary",
                                  RequestExport.json(prompt: prompt, parameters: p)])
        }
    }

    /// The standard output of `/bin/sh -c script`.
    private func shell(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ["LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
