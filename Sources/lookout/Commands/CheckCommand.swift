import ArgumentParser
import Foundation
import Layouts
import Rules

/// `lookout check FILE...`: validates layouts (`.json`) and rule files (`.yml`, `.yaml`).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check layout and rule files; exit 1 on errors (and on warnings with --strict).")

    @Argument(help: ArgumentHelp("Layout (.json) or rule (.yml, .yaml) files.", valueName: "file"))
    var files: [String]

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file to check") }
    }

    func run() throws {
        var failed = false
        var warnings = 0
        let checker = LayoutChecker(strict: strict)
        for file in files {
            if file.hasSuffix(".yml") || file.hasSuffix(".yaml") {
                let reports = RuleFileChecker.check(paths: [file])
                print(RuleFileChecker.render(reports), terminator: "")
                failed = failed || reports.contains { !$0.ok }
            } else {
                let diagnostics = checker.check(file: file)
                for d in diagnostics { print(d.description) }
                warnings += diagnostics.filter { $0.severity == .warning }.count
                if LayoutChecker.hasErrors(diagnostics) || (strict && !diagnostics.isEmpty) {
                    failed = true
                } else if diagnostics.isEmpty {
                    print("\(file): ok")
                }
            }
        }
        if failed { throw ExitCode(1) }
        if warnings > 0 { print("\(warnings) warning\(warnings == 1 ? "" : "s")") }
    }
}
