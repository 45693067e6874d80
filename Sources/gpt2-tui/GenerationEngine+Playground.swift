import GPT2Engine
import Playground

/// The playground drives the real engine through its small generator protocol.
extension GenerationEngine: PlaygroundGenerator {}
