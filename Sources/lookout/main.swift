// The `lookout` executable: argument parsing and wiring only; everything else lives in the modules.
import ArgumentParser
import Foundation

do {
    var command = try Lookout.parseAsRoot()
    if let asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(asyncCommand)
    } else {
        try command.run()
    }
} catch let error as CLIError {
    FileHandle.standardError.write(Data("lookout: \(error.message)\n".utf8))
    exit(error.status)
} catch {
    Lookout.exit(withError: error)
}

/// Calls the command's async `run()` (on the existential, overload resolution picks the synchronous
/// default that prints help).
func runAsync<Command: AsyncParsableCommand>(_ command: Command) async throws {
    var command = command
    try await command.run()
}
