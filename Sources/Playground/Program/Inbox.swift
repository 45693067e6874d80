import Foundation

/// Messages from other threads (the engine's streams, loaders) waiting for the program loop.
final class Inbox: @unchecked Sendable {
    // @unchecked: every property is touched only under `lock`.
    private let lock = NSLock()
    private var messages: [Message] = []
    private var model: LoadedModel?

    func post(_ message: Message) {
        lock.withLock { messages.append(message) }
    }

    func post(model: LoadedModel) {
        lock.withLock {
            self.model = model
            messages.append(.modelLoaded(model.summary))
        }
    }

    /// Everything posted since the last call, in order, and a newly loaded model if any.
    func take() -> (messages: [Message], model: LoadedModel?) {
        lock.withLock {
            defer {
                messages = []
                model = nil
            }
            return (messages, model)
        }
    }
}
