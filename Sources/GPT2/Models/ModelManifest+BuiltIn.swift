extension ModelManifest {
    /// `weights/models.json` as shipped, used when the models folder has no manifest of its own.
    static let builtInJSON = """
        {
          "version": 1,
          "models": [
            {
              "name": "gpt2",
              "description": "GPT-2 small, the original 124M model from OpenAI",
              "parameters": 124439808,
              "repository": "openai-community/gpt2",
              "revision": "main",
              "files": ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
            },
            {
              "name": "gpt2-medium",
              "description": "GPT-2 medium, 355M parameters, 24 layers",
              "parameters": 354823168,
              "repository": "openai-community/gpt2-medium",
              "revision": "main",
              "files": ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
            },
            {
              "name": "gpt2-large",
              "description": "GPT-2 large, 774M parameters, 36 layers",
              "parameters": 774030080,
              "repository": "openai-community/gpt2-large",
              "revision": "main",
              "files": ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
            },
            {
              "name": "gpt2-xl",
              "description": "GPT-2 XL, 1.5B parameters, 48 layers",
              "parameters": 1557611200,
              "repository": "openai-community/gpt2-xl",
              "revision": "main",
              "files": ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
            },
            {
              "name": "distilgpt2",
              "description": "DistilGPT2, 82M parameters, distilled from GPT-2 small (6 layers)",
              "parameters": 81912576,
              "repository": "distilbert/distilgpt2",
              "revision": "main",
              "files": ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
            },
            {
              "name": "demo",
              "description": "A small demo model trained on Shakespeare, bundled as a Q8_0 GGUF",
              "local": "demo/shakespeare-q8_0.gguf"
            }
          ]
        }
        """
}
