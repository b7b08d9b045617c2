// The `lookout` executable: argument parsing and wiring only; everything else lives in the modules.
import ArgumentParser
import Foundation

do {
    var command = try Lookout.parseAsRoot()
    try command.run()
} catch let error as CLIError {
    FileHandle.standardError.write(Data("lookout: \(error.message)\n".utf8))
    exit(error.status)
} catch {
    Lookout.exit(withError: error)
}
