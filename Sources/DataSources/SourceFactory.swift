import Foundation
import HTTPClient
import MetricsCore

/// Builds the source the options describe. `storage` makes the store for embedded mode
/// (by default a MemoryStore behind the exposition parser).
public func makeSource(
    _ options: SourceOptions, storage: () -> any ScrapeStorage = { StoreScrapeStorage() },
    environment: [String: String] = ProcessInfo.processInfo.environment
) throws(SourceError) -> any QuerySource {
    let auth = try options.credentials.resolve(environment: environment)
    switch options.mode {
    case .prometheus(let url):
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .invalidURL(redactURL(url), reason: "must start with http:// or https://")
        }
        return PrometheusSource(baseURL: url, options: options, auth: auth)
    case .scrape(let targets):
        guard !targets.isEmpty else { throw .noTargets }
        return EmbeddedSource(targets: targets, store: storage(), options: options, auth: auth)
    }
}
