import GPT2

extension PlaygroundState {
    /// Runs the prompt: a new run, or the same again. `sameSeed` keeps the last run's seed (for
    /// comparing one changed setting); otherwise the panel's seed, random when unset.
    mutating func rerun(sameSeed: Bool) -> [Effect] {
        let seed = sameSeed ? (panel.parameters.seed ?? run?.seed) : panel.parameters.seed
        guard modelSummary != nil else {
            if case .failed(_, let text, let hint) = model {
                say(hint ?? text, error: true)
                return []
            }
            runWhenReady = true
            say("the model is still loading; the run starts when it is ready", error: false)
            return []
        }
        return startRun(seed: seed)
    }

    mutating func startRun(seed: UInt64?) -> [Effect] {
        var parameters = panel.parameters
        // Drawn seeds stay short enough to read and type back.
        parameters.seed = seed ?? (seeds.next() % 1_000_000_000)
        do {
            try parameters.validate()
        } catch {
            say(error.description, error: true)
            return []
        }
        let request = GenerationRequest(input: editor.text, parameters: parameters)
        let id = nextRunID
        nextRunID += 1
        var output = RunOutput(id: id, request: request, startedAt: now)
        output.seed = parameters.seed
        run = output
        rerunDue = nil
        columns.focusedColumn = min(columns.focusedColumn, parameters.numReturnSequences - 1)
        columns.tokenCursor = nil
        if !editor.text.isEmpty, promptHistory.first != editor.text { promptHistory.insert(editor.text, at: 0) }
        return [.startRun(id: id, request)]
    }

    /// Continues the finished run by the panel's max length.
    mutating func continueRun() -> [Effect] {
        guard var current = run, !current.isRunning else {
            say(isRunning ? "the run is still going" : "nothing to continue yet: run first", error: false)
            return []
        }
        guard current.request.parameters.mode != .beam else {
            say("a beam search cannot be continued; run again with a larger max length", error: true)
            return []
        }
        guard current.result != nil else {
            say("the last run failed; run again", error: true)
            return []
        }
        current.phase = .generating
        current.finishedAt = nil
        for i in current.columns.indices where current.columns[i].finishReason == .length {
            current.columns[i].finishReason = nil
        }
        run = current
        return [.continueRun(id: current.id, tokens: panel.parameters.maxLength)]
    }

    /// After a parameter changed: apply it to the running run when it can, and schedule an
    /// automatic re-run when that is on.
    mutating func parametersChanged(from old: GenerationParameters) -> [Effect] {
        let new = panel.parameters
        guard new != old else { return [] }
        if autoRerun, run != nil, modelSummary != nil {
            rerunDue = now + Self.rerunDelay
        }
        guard isRunning, let running = run?.request.parameters else { return [] }
        var live = new
        live.seed = running.seed
        do {
            try GenerationRun.checkLiveUpdate(from: running, to: live)
        } catch {
            if !autoRerun { say("\(error.description) (applies to the next run)", error: false) }
            return []
        }
        run?.request.parameters = live
        return [.updateParameters(live)]
    }
}
