import Foundation
import HTTPClient

/// One `--scrape [JOB=]URL` target.
public struct ScrapeTarget: Sendable, Hashable {
    public var job: String
    public var url: String

    public static let defaultJob = "scrape"

    public init(job: String, url: String) {
        self.job = job
        self.url = url
    }

    /// Parses `[JOB=]URL`. The job must be a plain name; the URL needs a scheme.
    public static func parse(_ text: String) throws(SourceError) -> ScrapeTarget {
        var job = defaultJob
        var url = text.trimmingCharacters(in: .whitespaces)
        if let eq = url.firstIndex(of: "="), let scheme = url.range(of: "://"), eq < scheme.lowerBound {
            job = String(url[..<eq])
            url = String(url[url.index(after: eq)...])
            let nameOK = job.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
                && job.allSatisfy { $0 == "_" || $0 == "-" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            guard nameOK else { throw .invalidTarget(redactURL(text), reason: "job name \"\(job)\" is not a plain name") }
        }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file://") else {
            throw .invalidTarget(redactURL(text), reason: "URL must start with http://, https:// or file://")
        }
        return ScrapeTarget(job: job, url: url)
    }

    /// Prometheus' `instance` label: host:port, or the path for file:// URLs.
    public var instance: String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        if url.lowercased().hasPrefix("file://") { return String(rest) }
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        return String(host)
    }
}

/// Where credentials come from. Values are read from files or the environment, never from flags.
public struct Credentials: Sendable, Hashable {
    public static let bearerTokenVariable = "LOOKOUT_BEARER_TOKEN"
    public static let basicUserVariable = "LOOKOUT_BASIC_AUTH_USER"
    public static let basicPasswordVariable = "LOOKOUT_BASIC_AUTH_PASSWORD"
    static let maxFileBytes = 64 << 10

    public var bearerTokenFile: String?
    public var basicAuthUser: String?
    public var basicAuthPasswordFile: String?

    public init(bearerTokenFile: String? = nil, basicAuthUser: String? = nil, basicAuthPasswordFile: String? = nil) {
        self.bearerTokenFile = bearerTokenFile
        self.basicAuthUser = basicAuthUser
        self.basicAuthPasswordFile = basicAuthPasswordFile
    }

    /// Files win over environment variables; bearer wins over basic.
    public func resolve(environment: [String: String]) throws(SourceError) -> HTTPAuth? {
        if let file = bearerTokenFile { return .bearer(token: try Self.readSecret(file)) }
        if let token = environment[Self.bearerTokenVariable], !token.isEmpty { return .bearer(token: token) }
        let user = basicAuthUser ?? environment[Self.basicUserVariable]
        if let file = basicAuthPasswordFile {
            guard let user, !user.isEmpty else { throw .credentials(file, reason: "a password file needs a user name") }
            return .basic(user: user, password: try Self.readSecret(file))
        }
        if let user, !user.isEmpty {
            return .basic(user: user, password: environment[Self.basicPasswordVariable] ?? "")
        }
        return nil
    }

    /// Reads a one-line secret; the trailing newline editors add is not part of it.
    static func readSecret(_ path: String) throws(SourceError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .credentials(path, reason: "cannot read file")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxFileBytes + 1)) ?? Data()
        guard data.count <= maxFileBytes else { throw .credentials(path, reason: "file larger than 64 KiB") }
        guard let text = String(data: data, encoding: .utf8) else { throw .credentials(path, reason: "not UTF-8 text") }
        let secret = text.trimmingCharacters(in: .newlines)
        guard !secret.isEmpty else { throw .credentials(path, reason: "file is empty") }
        guard !secret.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw .credentials(path, reason: "secret spans several lines")
        }
        return secret
    }
}

/// Everything the App passes to `makeSource`. Timeouts left nil are sized to the interval.
public struct SourceOptions: Sendable {
    public enum Mode: Sendable, Hashable {
        case prometheus(url: String)
        case scrape([ScrapeTarget])
    }

    public var mode: Mode
    /// Seconds between scrapes (embedded) or refreshes (server).
    public var interval: TimeInterval
    public var connectTimeout: TimeInterval?
    /// Scrape or query timeout.
    public var timeout: TimeInterval?
    public var tls: TLSOptions
    public var credentials: Credentials
    public var maxBodyBytes: Int
    /// Embedded mode: a target exposing more series than this fails its scrape.
    public var maxSeriesPerTarget: Int
    /// Prometheus' `sample_limit` is the model; 100,000 series is far above any single exporter seen here.
    public static let defaultMaxSeriesPerTarget = 100_000

    public init(
        mode: Mode, interval: TimeInterval = 5, connectTimeout: TimeInterval? = nil, timeout: TimeInterval? = nil,
        tls: TLSOptions = TLSOptions(), credentials: Credentials = Credentials(),
        maxBodyBytes: Int = HTTPRequest.defaultMaxBodyBytes, maxSeriesPerTarget: Int = SourceOptions.defaultMaxSeriesPerTarget
    ) {
        self.mode = mode
        self.interval = interval
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.tls = tls
        self.credentials = credentials
        self.maxBodyBytes = maxBodyBytes
        self.maxSeriesPerTarget = maxSeriesPerTarget
    }

    var safeInterval: TimeInterval { interval.isFinite && interval >= 0.1 ? interval : 5 }

    public var effectiveConnectTimeout: TimeInterval {
        min(connectTimeout ?? min(5, safeInterval), effectiveScrapeTimeout)
    }

    /// A scrape must end before the next one starts, as in Prometheus (timeout ≤ interval).
    public var effectiveScrapeTimeout: TimeInterval {
        min(timeout ?? min(10, safeInterval * 0.9), safeInterval)
    }

    /// Queries may take longer than one refresh; identical ones in flight are shared anyway.
    public var effectiveQueryTimeout: TimeInterval {
        timeout ?? min(30, max(5, safeInterval * 2))
    }
}

/// Why a source could not be made.
public enum SourceError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidTarget(String, reason: String)
    case invalidURL(String, reason: String)
    case credentials(String, reason: String)
    case noTargets

    public var description: String {
        switch self {
        case .invalidTarget(let t, let reason): return "invalid scrape target \(t): \(reason)"
        case .invalidURL(let u, let reason): return "invalid server URL \(u): \(reason)"
        case .credentials(let file, let reason): return "credentials \(file): \(reason)"
        case .noTargets: return "no scrape targets"
        }
    }
}
