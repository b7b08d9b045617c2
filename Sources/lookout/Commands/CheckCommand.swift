import ArgumentParser
import DataSources
import Foundation
import Layouts
import Render
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

    @Flag(name: .long, help: "For layouts: a table of every panel, drawn / approximated / not drawn, and why.")
    var coverage = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file to check") }
    }

    func run() throws {
        var failed = false
        var warnings = 0
        let checker = LayoutChecker(strict: strict)
        for file in files {
            if Self.isConfigFile(file) {
                failed = !checkConfig(file) || failed
            } else if file.hasSuffix(".yml") || file.hasSuffix(".yaml") {
                let reports = RuleFileChecker.check(paths: [file])
                print(RuleFileChecker.render(reports), terminator: "")
                failed = failed || reports.contains { !$0.ok }
            } else {
                let diagnostics = checker.check(file: file)
                // Titles and expressions come from the file: escape sequences never reach the terminal.
                for d in diagnostics { print(Sanitize.text(d.description)) }
                if let rows = checker.coverage(file: file) {
                    if coverage {
                        for line in LayoutChecker.coverageTable(rows, file: file).split(separator: "\n") {
                            print(Sanitize.text(String(line)))
                        }
                    } else if let summary = Self.coverageSummary(rows, file: file) {
                        print(Sanitize.text(summary))
                    }
                }
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

    /// One line when some panels are approximated or not drawn (nothing when all are drawn).
    static func coverageSummary(_ rows: [PanelCoverage], file: String) -> String? {
        let approximated = rows.filter { $0.status == .approximated }.count
        let notDrawn = rows.filter { $0.status == .notDrawn }.count
        guard approximated + notDrawn > 0 else { return nil }
        return "\(file): coverage: \(rows.count - approximated - notDrawn) of \(rows.count) panels drawn, "
            + "\(approximated) approximated, \(notDrawn) not drawn (--coverage for the table)"
    }

    /// `config.yaml` (or any `config*.yml`) is Lookout's settings file, not a rules file.
    static func isConfigFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasPrefix("config") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    private func checkConfig(_ file: String) -> Bool {
        do {
            guard let config = try ConfigLoader.load(path: file) else { return false }
            let problems = ConfigLoader.validate(config)
            for p in problems { print("\(p.description): error") }
            if problems.isEmpty { print("\(file): ok") }
            return problems.isEmpty
        } catch {
            print("\(error)")
            return false
        }
    }
}
