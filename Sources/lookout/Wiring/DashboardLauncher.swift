import App
import ArgumentParser
import Foundation
import Logging
import MetricsCore
import Rules

/// Wires layouts, source and rules into a live dashboard and runs it.
enum DashboardLauncher {
    static func run(inputs: Inputs, built: BuiltSource, display: DisplayOptionGroup, demo: DemoControl?,
                    logger: Logger, recording: RecordingSession? = nil) async throws -> Int32 {
        let state = AppState(layouts: inputs.layouts, rangeMs: inputs.rangeMs, scenarios: demo?.scenarioNames ?? [],
                             scenario: demo?.currentScenario)
        let settings = SessionSettings(intervalMs: built.intervalMs, bell: display.bell, insecure: built.insecure,
                                       demo: demo != nil,
                                       copyTarget: inputs.config?.copy.map { $0 == "osc52" ? .osc52 : .file($0) })
        let feed = try await RulesWiring.feed(paths: inputs.rulePaths, built: built)
        // Embedded mode: the rules are first evaluated when the first scrape lands (not against the
        // empty store at launch), and the dashboard hears of that scrape after them, so the first
        // frame with data has the recording rules' outputs (the Health score) instead of waiting
        // one group interval. A dead target holds them back one scrape timeout at most.
        var source = built.source
        if let feed, built.ruleOutput != nil {
            feed.start(clock: .system, firstScrapeWithinMs: built.intervalMs + 10_000)
            source = RulesAfterFirstScrape(source, feed: feed)
        } else {
            feed?.start(clock: .system)
        }
        defer { feed?.stop() }
        recording?.watch(feed, intervalMs: built.intervalMs)
        defer { recording?.stop() }
        let alerts: AlertFeed? = recording.map { $0.feed(wrapping: feed) } ?? feed
        do {
            return try LiveDashboard.run(state: state, source: source, settings: settings,
                                         colorMode: display.color, alerts: alerts, demo: demo, logger: logger)
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// Finds and loads the rules files.
enum RulesWiring {
    /// `--rules` paths, else the first standard folder holding rule files (`./rules`,
    /// `$XDG_CONFIG_HOME/lookout/rules`, the installed share folder). Nil when there are none.
    static func feed(paths: [String], built: BuiltSource) async throws -> RulesFeed? {
        let files = paths.isEmpty ? defaultRuleFiles() : paths
        guard !files.isEmpty else { return nil }
        let source = built.source
        let manager = RuleManager(query: { expr, t in await source.instantQuery(expr, at: t) },
                                  appender: built.ruleOutput)
        let feed = RulesFeed(manager: manager, extraAlerts: built.serverAlerts, recordedSeries: built.recordedSeries,
                             refreshAlerts: built.refreshAlerts)
        await feed.load(paths: files)
        return feed
    }

    static func defaultRuleFiles() -> [String] {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        var folders = [fm.currentDirectoryPath + "/rules"]
        if let xdg = env["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            folders.append(xdg + "/lookout/rules")
        } else if let home = env["HOME"], !home.isEmpty {
            folders.append(home + "/.config/lookout/rules")
        }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(exe.deletingLastPathComponent().deletingLastPathComponent().path + "/share/lookout/rules")
        }
        for folder in folders {
            let names = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
            let files = names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
            if !files.isEmpty { return files.map { folder + "/" + $0 } }
        }
        return []
    }
}
