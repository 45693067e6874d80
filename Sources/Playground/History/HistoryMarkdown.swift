import Foundation
import GPT2

/// A run as a Markdown document to share: title, when and on what model, the prompt, every
/// parameter, and each sequence in a code block (fenced so that no text can break out of it).
public enum HistoryMarkdown {
    public static func document(_ record: HistoryRecord) -> String {
        let summary = HistorySummary(record)
        var lines: [String] = []
        lines.append("# " + (record.title.isEmpty ? summary.promptPreview : HistorySummary.preview(record.title)))
        lines.append("")
        lines.append("| run | |")
        lines.append("|---|---|")
        lines.append(row("id", code(record.id)))
        lines.append(row("time", HistoryTimestamp.iso8601(record.createdAt)))
        lines.append(row("model", "\(cell(record.model.name)) (\(record.model.precision)), file \(code(record.model.file))"))
        lines.append(row("weights sha256", code(record.model.sha256)))
        if !record.tags.isEmpty { lines.append(row("tags", record.tags.map(cell).joined(separator: ", "))) }
        if record.starred { lines.append(row("starred", "yes")) }
        let timing = record.timing
        lines.append(row("timing", String(format: "prefill %.1f ms, decode %.1f ms, %.1f tokens/s", timing.prefillMilliseconds,
                                          timing.decodeMilliseconds, timing.decodeTokensPerSecond)))
        lines.append("")
        lines.append("## Prompt")
        lines.append("")
        lines.append(contentsOf: block(record.prompt))
        if record.droppedPromptTokens > 0 {
            lines.append("")
            lines.append("The oldest \(record.droppedPromptTokens) tokens of the prompt did not fit the context and were left out.")
        }
        lines.append("")
        lines.append("## Parameters")
        lines.append("")
        lines.append("| parameter | value |")
        lines.append("|---|---|")
        let p = record.parameters
        lines.append(row("mode", p.mode.rawValue))
        lines.append(row("max_length", "\(p.maxLength)"))
        lines.append(row("num_return_sequences", "\(p.numReturnSequences)"))
        lines.append(row("temperature", "\(p.temperature)"))
        lines.append(row("top_p", "\(p.topP)"))
        lines.append(row("top_k", "\(p.topK)"))
        lines.append(row("num_beams", "\(p.numBeams)"))
        lines.append(row("no_repeat_ngram_size", p.noRepeatNgramSize.map(String.init) ?? "mode default (\(p.effectiveNoRepeatNgramSize))"))
        lines.append(row("repetition_penalty", "\(p.repetitionPenalty)"))
        lines.append(row("stop", p.stop.isEmpty ? "none" : p.stop.map { code(HistoryJSON.string($0).text.dropLast()) }.joined(separator: ", ")))
        lines.append(row("seed", p.seed == nil ? "\(record.seed) (picked at random)" : "\(record.seed)"))
        lines.append("")
        lines.append("Replay on the model above: `gpt2-tui generate --model MODEL --from-history \(record.id)`")
        for (i, sequence) in record.sequences.enumerated() {
            lines.append("")
            var facts = ["\(sequence.finishReason.rawValue)", "\(sequence.tokenIDs.count) tokens",
                         String(format: "%.1f tokens/s", sequence.tokensPerSecond)]
            if let mean = sequence.meanLogprob { facts.append(String(format: "mean log-probability %.3f", mean)) }
            lines.append("## Sequence \(i + 1)")
            lines.append("")
            lines.append(facts.joined(separator: " · "))
            lines.append("")
            lines.append(contentsOf: block(sequence.text))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ name: String, _ value: String) -> String {
        "| \(name) | \(value) |"
    }

    /// Text for a table cell: one line, pipes escaped.
    private static func cell(_ text: String) -> String {
        HistorySummary.preview(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// An inline code span that holds `text` whatever backticks it contains.
    private static func code<S: StringProtocol>(_ text: S) -> String {
        let oneLine = String(text).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
        let fence = String(repeating: "`", count: longestBacktickRun(oneLine) + 1)
        let padding = oneLine.hasPrefix("`") || oneLine.hasSuffix("`") ? " " : ""
        return fence + padding + oneLine + padding + fence
    }

    /// A fenced code block longer than any run of backticks inside `text`.
    private static func block(_ text: String) -> [String] {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
        return [fence + "text", text, fence]
    }

    private static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
