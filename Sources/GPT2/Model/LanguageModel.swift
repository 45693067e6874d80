/// What the decoders need from a model: next-token logits for a batch of sequences.
///
/// Each entry of a batch is one sequence with its own cache; all entries are computed in one
/// pass (their new tokens are the rows of one matrix), which is what makes several sequences
/// side by side cost less than running them one after the other.
public protocol LanguageModel: AnyObject {
    var config: GPT2Config { get }

    /// A cache for one sequence with room for `capacity` positions (it grows when needed).
    func makeCache(capacity: Int) -> KVCache

    /// Appends `tokens[i]` (at least one token each) to `caches[i]` and returns, for each i, the
    /// logits (vocabSize) that follow the last appended token.
    func forward(tokens: [[Int32]], caches: [KVCache]) -> [[Float]]
}
