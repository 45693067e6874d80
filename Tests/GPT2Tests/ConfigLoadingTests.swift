import Foundation
import Testing
import GPT2

struct ConfigLoadingTests {
    private func load(_ changes: [String: String?] = [:]) throws -> GPT2Config {
        try load(text: TinyCheckpoint.configJSON(changing: changes))
    }

    private func load(text: String) throws -> GPT2Config {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try GPT2Config.load(configURL: directory.write(text, to: "config.json"))
    }

    private func expectRefusal(_ changes: [String: String?], field: String, mentioning text: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ModelFileError.self, sourceLocation: sourceLocation) { try load(changes) }
        guard case let .invalidConfig(file, reportedField, reason) = error else {
            Issue.record("expected invalidConfig, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(file.hasSuffix("config.json"), sourceLocation: sourceLocation)
        #expect(reportedField == field, sourceLocation: sourceLocation)
        #expect(reason.contains(text), "\(reason)", sourceLocation: sourceLocation)
    }

    @Test func readsTransformersConfig() throws {
        let config = try load()
        #expect(config == TinyCheckpoint.config)
    }

    @Test func readsGPT2SmallConfigAsTransformersWritesIt() throws {
        let text = """
        {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
         "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
         "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12,
         "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": null,
         "summary_first_dropout": 0.1, "summary_proj_to_labels": true, "summary_type": "cls_index",
         "summary_use_proj": true, "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}},
         "vocab_size": 50257}
        """
        let config = try load(text: text)
        #expect(config == GPT2Config(nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, vocabSize: 50257))
        #expect(config.headDim == 64)
    }

    @Test func layerNormEpsilonDefaultsTo1e5() throws {
        #expect(try load(["layer_norm_epsilon": nil]).layerNormEpsilon == 1e-5)
        #expect(try load(["layer_norm_epsilon": "0.001"]).layerNormEpsilon == 0.001)
    }

    @Test func nCtxIsAFallbackOnlyWhenNPositionsIsAbsent() throws {
        #expect(try load(["n_positions": nil, "n_ctx": "5"]).nPositions == 5)
        #expect(try load(["n_positions": "6", "n_ctx": "5"]).nPositions == 6)
        expectRefusal(["n_positions": nil], field: "n_positions", mentioning: "missing")
    }

    @Test(arguments: ["n_layer", "n_head", "n_embd", "vocab_size"])
    func missingRequiredFieldIsNamed(field: String) {
        expectRefusal([field: nil], field: field, mentioning: "missing")
    }

    @Test(arguments: [
        ("n_head", "\"2\"", "expected an integer, found a string"),
        ("n_layer", "1.5", "expected an integer, found a number"),
        ("n_embd", "true", "expected an integer, found a boolean"),
        ("vocab_size", "[10]", "expected an integer, found an array"),
        ("n_positions", "{}", "expected an integer, found an object"),
        ("layer_norm_epsilon", "\"1e-5\"", "expected a number, found a string"),
        ("model_type", "2", "expected a string"),
        ("activation_function", "false", "expected a string"),
        ("tie_word_embeddings", "\"yes\"", "expected a boolean"),
    ])
    func fieldOfTheWrongTypeIsNamed(field: String, value: String, reason: String) {
        expectRefusal([field: value], field: field, mentioning: reason)
    }

    @Test func nEmbdMustBeDivisibleByNHead() {
        expectRefusal(["n_head": "3"], field: "n_embd", mentioning: "not divisible by n_head (3)")
    }

    @Test(arguments: [
        ("n_layer", "0"), ("n_head", "-2"), ("n_embd", "131072"), ("n_positions", "0"),
        ("vocab_size", "99999999999"), ("n_layer", "100000"),
    ])
    func sizesOutsideTheSaneRangeAreRefused(field: String, value: String) {
        expectRefusal([field: value], field: field, mentioning: "outside the supported range")
    }

    @Test(arguments: ["0", "-1e-5", "1.5", "1e-300"])
    func layerNormEpsilonMustBePositiveAndSmall(value: String) {
        expectRefusal(["layer_norm_epsilon": value], field: "layer_norm_epsilon", mentioning: "positive")
    }

    @Test(arguments: ["\"relu\"", "\"gelu\"", "\"gelu_pytorch_tanh\"", "\"silu\""])
    func activationOtherThanGeluNewIsRefused(value: String) {
        expectRefusal(["activation_function": value], field: "activation_function", mentioning: "gelu_new")
    }

    @Test func modelTypeOtherThanGPT2IsRefused() {
        expectRefusal(["model_type": "\"gpt_neo\""], field: "model_type", mentioning: "\"gpt_neo\" is not a GPT-2 model")
    }

    @Test func optionalFieldsMayBeAbsentOrNull() throws {
        let config = try load(["model_type": nil, "activation_function": "null", "n_inner": nil, "scale_attn_weights": nil])
        #expect(config == TinyCheckpoint.config)
        #expect(try load(["n_inner": "16"]) == TinyCheckpoint.config)
    }

    @Test func architectureVariantsGPT2DoesNotUseAreRefused() {
        expectRefusal(["n_inner": "8"], field: "n_inner", mentioning: "4 × n_embd = 16")
        expectRefusal(["tie_word_embeddings": "false"], field: "tie_word_embeddings", mentioning: "not tied")
        expectRefusal(["scale_attn_weights": "false"], field: "scale_attn_weights", mentioning: "scaling")
        expectRefusal(["scale_attn_by_inverse_layer_idx": "true"], field: "scale_attn_by_inverse_layer_idx",
                      mentioning: "inverse layer index")
        expectRefusal(["add_cross_attention": "true"], field: "add_cross_attention", mentioning: "cross-attention")
    }

    @Test(arguments: ["", "{", "[1, 2]", "\"gpt2\"", "{\"n_layer\": 2,}"])
    func documentThatIsNotAJSONObjectIsRefused(text: String) {
        let error = #expect(throws: ModelFileError.self) { try load(text: text) }
        #expect(error?.kind == .invalidConfig)
    }

    @Test func missingConfigFileIsUnreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appending(path: "config.json")
        let error = #expect(throws: ModelFileError.self) { try GPT2Config.load(configURL: url) }
        #expect(error?.kind == .unreadable)
    }
}
