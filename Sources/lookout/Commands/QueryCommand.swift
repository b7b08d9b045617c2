import App
import DataSources
import ArgumentParser
import DemoService
import Foundation
import MetricsCore
import Render

/// `lookout query EXPR`: evaluates one expression and prints the result.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Evaluate one PromQL expression against a source and print the result.",
        discussion: "With --scrape, the targets are scraped first (and again during --after); --at picks the time.")

    @Argument(help: ArgumentHelp("The PromQL expression.", valueName: "expr"))
    var expr: String

    @OptionGroup var source: SourceOptionGroup

    @Flag(name: .long, help: "Query the built-in demo service.")
    var demo = false

    @OptionGroup var demoOptions: DemoOptionGroup

    @Option(name: .long, help: ArgumentHelp("Collect data this long before evaluating.", valueName: "duration"))
    var after: DurationArgument?

    @Option(name: .long, help: ArgumentHelp("Evaluation time: RFC 3339 or Unix seconds (default: now).",
                                            valueName: "time"))
    var at: String?

    @Flag(name: .long, help: "Print the result as Prometheus API JSON.")
    var json = false

    var usesDemo: Bool { demo || demoOptions.scenario != nil }

    func validate() throws {
        if let at, QueryTime.parse(at) == nil {
            throw ValidationError("--at: expected RFC 3339 (2026-01-02T15:04:05Z) or Unix seconds, got \"\(at)\"")
        }
        if usesDemo && source.hasExplicitSource {
            throw ValidationError("--demo cannot be combined with --prometheus or --scrape")
        }
    }

    func run() async throws {
        _ = LogSetup.bootstrap()
        let config = usesDemo ? nil : try Inputs.loadConfig(source.config)
        let intervalMs = source.interval?.milliseconds ?? config?.interval.map { Int64($0 * 1000) } ?? 5000
        let (built, server) = try await SourceWiring.demoOrConfigured(
            usesDemo: usesDemo, demo: demoOptions, source: source, config: config, intervalMs: intervalMs)
        let scraped = !(built.source is PrometheusSource)
        let afterMs = after?.milliseconds ?? 0
        let fixedTime = at.flatMap(QueryTime.parse)
        let expr = self.expr
        let (outcome, targets) = try await stopping(server) { () async -> (QueryOutcome, [TargetStatus]) in
            let src = built.source
            let seen = FirstSignal()
            src.setDataHandler { seen.mark() }
            src.start()
            if scraped { await seen.wait(timeoutMs: intervalMs + 10_000) }
            if afterMs > 0 { try? await Task.sleep(nanoseconds: UInt64(afterMs) * 1_000_000) }
            let outcome = await src.instantQuery(expr, at: fixedTime ?? WallClock.system.now())
            src.stop()
            return (outcome, src.targets())
        }
        // A target that failed its scrape is in the answer only as `up` 0: say why.
        for t in targets where t.health == .down {
            let why = Sanitize.text(t.lastError ?? "scrape failed")
            FileHandle.standardError.write(Data("warning: scrape of \(Sanitize.text(t.url)) failed: \(why)\n".utf8))
        }
        for w in outcome.warnings { FileHandle.standardError.write(Data("warning: \(Sanitize.text(w))\n".utf8)) }
        switch outcome.result {
        case .success(let value):
            print(json ? QueryOutput.json(value) : QueryOutput.text(value), terminator: "")
        case .failure(let failure):
            if json {
                print(QueryOutput.jsonError(failure))
            } else {
                FileHandle.standardError.write(Data("lookout: \(failure.message)\(failure.location.map { " (\($0))" } ?? "")\n".utf8))
            }
            throw ExitCode(1)
        }
    }
}

/// `--at` values.
enum QueryTime {
    static func parse(_ text: String) -> Timestamp? {
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 1e12 {
            return Timestamp((seconds * 1000).rounded())
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return Timestamp((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return Timestamp((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }
}
