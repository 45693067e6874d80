import GPT2

/// "Copy as request": the prompt and parameters as the seed documents' request JSON, and as a
/// `curl` command posting it. The JSON holds `input`, `max_length`, `mode` and
/// `num_return_sequences` always, the values the mode uses (`seed` -1 when random), and
/// `no_repeat_ngram_size`, `repetition_penalty` and `stop` when set; `GenerationRequest(json:)`
/// reads it back to `relevantParameters(of:)`.
public enum RequestExport {
    public static let defaultURL = "http://localhost:8080/generate"

    /// The request as pretty-printed JSON with a stable key order.
    public static func json(prompt: String, parameters: GenerationParameters) -> String {
        ParameterJSON.object([("input", .string(prompt))] + ParameterJSON.members(of: parameters, complete: false))
    }

    /// A shell command that posts the request to `url`; every argument is single-quoted, so
    /// any prompt (quotes, newlines, `$`, backticks, any Unicode) reaches the server as it is.
    public static func curlCommand(prompt: String, parameters: GenerationParameters, url: String = defaultURL) -> String {
        [
            "curl -X POST " + ShellQuoting.quoted(url),
            "-H " + ShellQuoting.quoted("Content-Type: application/json"),
            // --data-binary sends the text byte for byte (plain --data strips newlines from files).
            "--data-binary " + ShellQuoting.quoted(json(prompt: prompt, parameters: parameters)),
        ].joined(separator: " \\\n    ")
    }

    /// The parameters the exported request stands for: `parameters` with the values its mode
    /// does not use back at their defaults.
    public static func relevantParameters(of parameters: GenerationParameters) -> GenerationParameters {
        ParameterJSON.relevant(parameters)
    }
}
