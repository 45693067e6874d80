import Testing
@testable import GPT2

/// The names and size labels llama.cpp's converter derives (checked against gguf-py by hand).
struct GGUFModelNamingTests {
    @Test(arguments: [
        ("tiny-a", "Tiny A"), ("gpt2", "Gpt2"), ("gpt2-medium", "Gpt2 Medium"), ("distilgpt2", "Distilgpt2"),
        ("v1.5-x", "v1.5 X"), ("7b", "7b"), ("GPT-2", "GPT 2"), ("my_model-v2", "My_Model v2"),
        ("hello world", "Hello World"), ("x1y", "X1Y"), ("tiny--b", "Tiny B"), ("éclair-ÉTÉ", "Éclair ÉTÉ"),
    ])
    func titlesFollowGGUFPy(identifier: String, title: String) {
        #expect(GGUFModelNaming.title(fromIdentifier: identifier) == title)
    }

    @Test(arguments: [
        (173_824, "174K"), (124_439_808, "124M"), (354_823_168, "355M"), (774_030_080, "774M"),
        (1_557_611_200, "1.6B"), (81_912_576, "82M"), (999, "1.0K"), (0, "0.00K"), (5, "0.01K"),
        (1_000, "1.0K"), (1_500_000, "1.5M"), (9_999_999, "10M"), (2_500_000_000_000, "2.5T"),
    ])
    func sizeLabelsFollowGGUFPy(count: Int, label: String) {
        #expect(GGUFModelNaming.sizeLabel(parameterCount: count) == label)
    }
}
