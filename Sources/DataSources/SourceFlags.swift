import Foundation
import HTTPClient

/// Source-related command-line flags as the App parsed them; nil means "not given".
/// `resolve(config:)` applies the rule: flags override the config file, field by field.
public struct SourceFlags: Sendable, Hashable {
    public var prometheus: String?
    /// `--scrape [JOB=]URL`, repeatable.
    public var scrape: [String] = []
    public var interval: TimeInterval?
    public var timeout: TimeInterval?
    public var caFile: String?
    public var insecure: Bool?
    public var bearerTokenFile: String?
    public var basicAuthUser: String?
    public var basicAuthPasswordFile: String?
    public var maxBodyBytes: Int?

    public init() {}

    /// The options to build the source from, or nil when neither flags nor config name a source.
    /// A source given by flag replaces the config's source entirely (no mixing of modes).
    public func resolve(config: LookoutConfig?) throws(SourceError) -> SourceOptions? {
        var options: SourceOptions
        if let prometheus {
            options = config?.sourceOptions() ?? SourceOptions(mode: .prometheus(url: prometheus))
            options.mode = .prometheus(url: prometheus)
        } else if !scrape.isEmpty {
            var targets: [ScrapeTarget] = []
            for text in scrape { targets.append(try ScrapeTarget.parse(text)) }
            options = config?.sourceOptions() ?? SourceOptions(mode: .scrape(targets))
            options.mode = .scrape(targets)
        } else if let fromConfig = config?.sourceOptions() {
            options = fromConfig
        } else {
            return nil
        }
        if let config, config.sourceOptions() == nil {
            // The config names no source but may still carry timing, TLS and credentials.
            if let i = config.interval { options.interval = i }
            options.timeout = config.timeout
            options.connectTimeout = config.connectTimeout
            options.tls = config.tls
            options.credentials = config.credentials
            if let m = config.maxBodyBytes { options.maxBodyBytes = m }
            if let n = config.seriesLimit { options.maxSeriesPerTarget = n }
        }
        if let interval { options.interval = interval }
        if let timeout { options.timeout = timeout }
        if let caFile { options.tls.caFile = caFile }
        if let insecure { options.tls.insecure = insecure }
        if let maxBodyBytes { options.maxBodyBytes = maxBodyBytes }
        if bearerTokenFile != nil || basicAuthUser != nil || basicAuthPasswordFile != nil {
            // Credentials given by flag replace the config's as a whole (never a mix of two identities).
            options.credentials = Credentials(
                bearerTokenFile: bearerTokenFile, basicAuthUser: basicAuthUser, basicAuthPasswordFile: basicAuthPasswordFile)
        }
        return options
    }
}
