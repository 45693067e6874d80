/// A subcommand whose work is asynchronous (it talks to the generation engine); `main` awaits
/// it. (ArgumentParser's own async entry point would take over the error handling `main` does.)
protocol AsynchronousCommand {
    func runAsynchronously() async throws
}
