import ArgumentParser
import Rules
import SeriesStore

/// `lookout test FILE.yml...`: rule unit tests in `promtool test rules` format.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule unit tests (promtool test rules format); exit 1 on any failure.")

    @Argument(help: ArgumentHelp("Rule test files.", valueName: "file.yml"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one rule test file") }
    }

    func run() async throws {
        // Unbounded retention: test inputs sit at time 0 and may span days.
        let runner = RuleTestRunner(makeStorage: { MemoryStore(options: StoreOptions(retention: nil)) })
        let result = await runner.run(paths: files)
        print(result.output, terminator: "")
        if !result.passed { throw ExitCode(1) }
    }
}
