import DataSources
import DemoService

extension SourceWiring {
    /// For the one-shot commands (`query`, `snapshot`): with `--demo`, a demo server on loopback and
    /// a scrape source reading it; otherwise the source the flags and the config file name.
    /// The caller stops the returned server when done.
    static func demoOrConfigured(usesDemo: Bool, demo: DemoOptionGroup, source: SourceOptionGroup,
                                 config: LookoutConfig?, intervalMs: Int64) async throws -> (BuiltSource, DemoServer?) {
        guard usesDemo else { return (try make(source, config: config, intervalMs: intervalMs), nil) }
        let (server, url) = try await demo.startServer()
        return (try SourceWiring.demo(url: url, intervalMs: intervalMs), server)
    }
}
