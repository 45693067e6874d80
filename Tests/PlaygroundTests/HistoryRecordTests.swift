import Foundation
import GPT2
import Testing
@testable import Playground

@Suite struct HistoryRecordTests {
    @Test func everyFieldSurvivesWritingAndReading() throws {
        let record = HistorySamples.record()
        let read = try HistorySchema.standard.record(from: record.fileContents, id: record.id)
        #expect(read == record)
        // And the other way round for the optional values: a seed asked for, no-repeat left to the mode.
        var other = HistorySamples.record(title: "", tags: [], starred: false)
        other.parameters.seed = 0
        other.parameters.noRepeatNgramSize = nil
        other.parameters.mode = .beam
        other.parameters.topP = 1
        other.parameters.temperature = 1e-5
        other.sequences[0].logprobs = [.nan, .infinity, -Float.leastNonzeroMagnitude, -Float.greatestFiniteMagnitude]
        other.timing.prefillMilliseconds = 0.1 + 0.2
        #expect(try HistorySchema.standard.record(from: other.fileContents, id: other.id).fileContents == other.fileContents)
        let again = try HistorySchema.standard.record(from: other.fileContents, id: other.id)
        #expect(again.parameters == other.parameters && again.timing == other.timing && again.title.isEmpty)
        #expect(again.sequences[0].logprobs[0].isNaN && again.sequences[0].logprobs[1] == .infinity)
        #expect(Array(again.sequences[0].logprobs.dropFirst(2)) == [-Float.leastNonzeroMagnitude, -Float.greatestFiniteMagnitude])
    }

    @Test func theFileIsJSONWithTheRequestKeyNames() throws {
        let record = HistorySamples.record()
        let object = try #require(try JSONSerialization.jsonObject(with: record.fileContents) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["id"] as? String == record.id)
        #expect(object["created_at"] as? String == "2026-09-21T14:13:20.123Z")
        #expect(object["seed"] as? UInt64 == UInt64(Int64.max))
        let model = try #require(object["model"] as? [String: String])
        #expect(model == ["name": "tiny-a", "file": "/models/tiny-a/model.safetensors",
                          "sha256": String(repeating: "ab", count: 32), "precision": "fp32"])
        var parameters = try #require(object["parameters"] as? [String: Any])
        #expect(Set(parameters.keys) == GenerationRequest.keys.subtracting(["input", "max_new_tokens"]))
        #expect(parameters["seed"] is NSNull)
        // The parameters plus the prompt are a request that `generate --request` takes.
        parameters["input"] = record.prompt
        parameters["seed"] = -1
        let request = try GenerationRequest(json: JSONSerialization.data(withJSONObject: parameters))
        #expect(request.parameters == record.parameters && request.input == record.prompt)
        let sequence = try #require((object["sequences"] as? [[String: Any]])?.first)
        #expect(sequence["mean_logprob"] as? String == "-Infinity")
        #expect(sequence["finish_reason"] as? String == "stop")
        #expect(sequence["token_ids"] as? [Int] == [0, 1023, 7])
        // Arrays of numbers stay on one line, so the file reads top to bottom.
        #expect(String(decoding: record.fileContents, as: UTF8.self).contains("\"token_ids\": [0, 1023, 7]"))
    }

    @Test func replayRequestCarriesTheSeedTheRunUsed() {
        let record = HistorySamples.record()
        #expect(record.parameters.seed == nil)
        let request = record.replayRequest
        #expect(request.input == record.prompt)
        #expect(request.parameters.seed == record.seed)
        var expected = record.parameters
        expected.seed = record.seed
        #expect(request.parameters == expected)
    }

    @Test func timesAreUTCToTheMillisecond() throws {
        let date = Date(timeIntervalSince1970: 1_790_000_000.1239)
        #expect(HistoryTimestamp.iso8601(date) == "2026-09-21T14:13:20.123Z")
        #expect(HistoryTimestamp.compact(date) == "20260921T141320.123Z")
        let normalized = HistoryTimestamp.normalized(date)
        #expect(HistoryTimestamp.parseISO8601("2026-09-21T14:13:20.123Z") == normalized)
        #expect(HistoryTimestamp.parseISO8601("2026-09-21T16:13:20.123+02:00") == normalized)
        #expect(HistoryTimestamp.parseISO8601("2026-09-21T14:13:20.1239999Z") == normalized)
        #expect(HistoryTimestamp.parseISO8601("2026-09-21T14:13:20Z") == Date(timeIntervalSince1970: 1_790_000_000))
        #expect(HistoryTimestamp.parseCompact(prefixOf: "20260921T141320.123Z-0badcafe") == normalized)
        for bad in ["", "2026-09-21", "2026-09-21T14:13:20", "2026-13-21T14:13:20Z", "2026-09-21T14:13:20.Z", "x2026-09-21T14:13:20Z"] {
            #expect(HistoryTimestamp.parseISO8601(bad) == nil, "\(bad)")
        }
    }

    @Test func idsSortByTimeAndDoNotCollide() {
        let early = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = (0..<1000).map { HistoryID.make(at: early.addingTimeInterval(Double($0 / 10) * 0.001)) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.map { $0.prefix(20) } == ids.sorted().map { $0.prefix(20) })
        #expect(ids.allSatisfy { $0.count == 29 && HistoryID.isUsableAsFileName($0) })
        #expect(!HistoryID.isUsableAsFileName(".index") && !HistoryID.isUsableAsFileName("a/b") && !HistoryID.isUsableAsFileName(""))
    }

    @Test func markdownHoldsTheRunAndCannotBeBrokenByItsText() {
        var record = HistorySamples.record(outputs: ["Here ``` fences and ```` more", "x"])
        record.parameters.stop = ["|", "`"]
        let markdown = HistoryMarkdown.document(record)
        #expect(markdown.hasPrefix("# Balcony \"take\" 2\n"))
        #expect(markdown.contains("| mode | sample |"))
        #expect(markdown.contains("| seed | 9223372036854775807 (picked at random) |"))
        #expect(markdown.contains("## Sequence 1\n\nstop · 3 tokens · 123.5 tokens/s · mean log-probability -inf\n\n`````text\nHere ``` fences and ```` more\n`````"))
        #expect(markdown.contains("## Sequence 2"))
        #expect(markdown.contains("```text\n" + record.prompt + "\n```"))
        #expect(markdown.contains("| stop | `\"\\|\"`, ``\"`\"`` |"))
        #expect(markdown.contains("--from-history \(record.id)"))
        let untitled = HistorySamples.record(prompt: "A  long\n\nprompt", title: "")
        #expect(HistoryMarkdown.document(untitled).hasPrefix("# A long prompt\n"))
    }

    @Test func summaryShowsTheFirstWordsOnOneLine() {
        let record = HistorySamples.record(prompt: "  Once\n\tupon   a time " + String(repeating: "word ", count: 40))
        let summary = HistorySummary(record)
        #expect(summary.promptPreview.hasPrefix("Once upon a time word word"))
        #expect(summary.promptPreview.count == HistorySummary.previewLength)
        #expect(summary.outputPreview == "Because I am here.")
        #expect(summary.mode == .sample && summary.modelName == "tiny-a" && summary.sequenceCount == 2)
        #expect(summary.displayTitle == "Balcony \"take\" 2")
    }
}
