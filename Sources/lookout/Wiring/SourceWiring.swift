import App
import Foundation
import MetricsCore
import Rules

/// A data source ready to use, with what the rest of the wiring needs to know about it.
struct BuiltSource {
    var source: any QuerySource
    /// Where recording rules write (the embedded store); nil in server mode.
    var ruleOutput: (any SampleAppender)?
    /// Alerts the server itself reports (server mode).
    var serverAlerts: (@Sendable () -> [AlertInstance])?
    var insecure: Bool
    var intervalMs: Int64
}

enum SourceWiring {
    /// The source named by the flags, else by the config file, else an error that says what to pass.
    static func make(_ options: SourceOptionGroup, intervalMs: Int64, extraScrape: [String] = []) throws -> BuiltSource {
        guard options.hasExplicitSource || !extraScrape.isEmpty else {
            throw CLIError("""
                no data source: pass --prometheus URL or --scrape [JOB=]URL (or name one in the config file).
                Try `lookout demo` to see Lookout on a simulated service.
                """, status: 64)
        }
        throw CLIError("data sources are not available in this build yet")
    }

    /// The demo's source: scraping the simulated service like any other target.
    static func demo(url: URL, intervalMs: Int64) throws -> BuiltSource {
        throw CLIError("data sources are not available in this build yet (demo at \(url.absoluteString))")
    }
}
