import Foundation
import HTTPClient
import MetricsCore

/// The settings file (`$XDG_CONFIG_HOME/lookout/config.yaml` or `--config FILE`): default source,
/// timing, TLS, credential files, layouts and rules. Command-line flags override each field.
public struct LookoutConfig: Sendable, Hashable {
    /// Where it was read from (for messages).
    public var file: String
    public var prometheus: String?
    /// An Alertmanager whose alerts and silences are listed with the others.
    public var alertmanager: String?
    public var scrape: [ScrapeTarget] = []
    /// Seconds.
    public var interval: TimeInterval?
    /// Graph range in milliseconds.
    public var range: Int64?
    public var timeout: TimeInterval?
    public var connectTimeout: TimeInterval?
    public var maxBodyBytes: Int?
    /// Series one target may expose (Prometheus' `sample_limit`); the default when nil.
    public var seriesLimit: Int?
    public var tls = TLSOptions()
    public var credentials = Credentials()
    public var layout: String?
    /// Layout files or directories (absolute, `~` expanded, relative ones taken from the config's folder).
    public var layouts: [String] = []
    public var rules: [String] = []
    /// Where `y` in the query inspector copies an expression: `osc52` (the terminal's clipboard) or a
    /// file path. Unset: copying is off.
    public var copy: String?
    /// Line of each key as written (`tls.ca_file`, `scrape[1]`...), so later checks can point at it.
    public var lines: [String: Int] = [:]

    public init(file: String) { self.file = file }

    /// The source settings this file describes, or nil when it names no source.
    public func sourceOptions() -> SourceOptions? {
        let mode: SourceOptions.Mode
        if let prometheus { mode = .prometheus(url: prometheus) }
        else if !scrape.isEmpty { mode = .scrape(scrape) }
        else { return nil }
        var o = SourceOptions(mode: mode, tls: tls, credentials: credentials)
        if let interval { o.interval = interval }
        o.timeout = timeout
        o.connectTimeout = connectTimeout
        if let maxBodyBytes { o.maxBodyBytes = maxBodyBytes }
        if let seriesLimit { o.maxSeriesPerTarget = seriesLimit }
        return o
    }
}

/// A problem in the config file, with where it is.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line)\(column > 0 ? ":\(column)" : ""): \(message)" : "\(file): \(message)"
    }
}

public enum ConfigLoader {
    static let maxFileBytes = 1 << 20

    /// `$XDG_CONFIG_HOME/lookout/config.yaml`, else `$HOME/.config/lookout/config.yaml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/lookout/config.yaml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/lookout/config.yaml" }
        return nil
    }

    /// Loads `path`, or the default file when `path` is nil. A missing default file is not an
    /// error (nil); a missing explicit file is.
    public static func load(
        path: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> LookoutConfig? {
        guard let file = path ?? defaultPath(environment: environment) else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            if path == nil { return nil }
            throw ConfigError(file: file, line: 0, message: "no such file")
        }
        // A directory opens and then fails to read (EISDIR): say so rather than read it as empty.
        guard !isDirectory.boolValue else {
            throw ConfigError(file: file, line: 0, message: "is a directory, not a config file")
        }
        // A FIFO or a device would block the start (or never end): only regular files are read.
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ConfigError(file: file, line: 0, message: "not a regular file")
        }
        let data = try readBounded(file)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, line: 0, message: "not UTF-8 text")
        }
        return try parse(text, file: file, environment: environment)
    }

    /// The file's bytes, at most `maxFileBytes`; every read error is an error naming the file
    /// (never an empty config).
    static func readBounded(_ file: String) throws(ConfigError) -> Data {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        } catch {
            throw ConfigError(file: file, line: 0, message: "cannot read: \(reason(error))")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
        } catch {
            throw ConfigError(file: file, line: 0, message: "cannot read: \(reason(error))")
        }
        guard data.count <= maxFileBytes else { throw ConfigError(file: file, line: 0, message: "larger than 1 MiB") }
        return data
    }

    /// The system's words for a failed open or read (`Permission denied`), without Foundation's wrapping.
    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    /// Parses config text. Unknown keys are errors (a typo must not silently change nothing).
    public static func parse(
        _ text: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> LookoutConfig {
        let baseDirectory = (file as NSString).deletingLastPathComponent
        var reader = ConfigReader(file: file, baseDirectory: baseDirectory, home: environment["HOME"])
        return try reader.read(text)
    }

    /// Checks what parsing cannot: referenced files exist and are readable, and the source
    /// settings make a source. Used by `lookout check`. Returns every problem found.
    public static func validate(_ config: LookoutConfig) -> [ConfigError] {
        var problems: [ConfigError] = []
        func line(_ key: String) -> Int { config.lines[key] ?? 0 }
        func readable(_ path: String?, _ key: String, directoryOK: Bool = false) {
            guard let path else { return }
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                problems.append(ConfigError(file: config.file, line: line(key), message: "\(key): \(path): no such file"))
            } else if isDir.boolValue && !directoryOK {
                problems.append(ConfigError(file: config.file, line: line(key), message: "\(key): \(path) is a directory"))
            } else if !FileManager.default.isReadableFile(atPath: path) {
                problems.append(ConfigError(file: config.file, line: line(key), message: "\(key): \(path): not readable"))
            }
        }
        readable(config.tls.caFile, "tls.ca_file")
        readable(config.credentials.bearerTokenFile, "auth.bearer_token_file")
        readable(config.credentials.basicAuthPasswordFile, "auth.basic_auth_password_file")
        for (i, p) in config.layouts.enumerated() { readable(p, "layouts[\(i)]", directoryOK: true) }
        for (i, p) in config.rules.enumerated() { readable(p, "rules[\(i)]") }
        if problems.isEmpty {
            do { _ = try config.credentials.resolve(environment: [:]) } catch {
                problems.append(ConfigError(file: config.file, line: line("auth"), message: error.description))
            }
        }
        if let interval = config.interval, let timeout = config.timeout, timeout > interval {
            problems.append(ConfigError(
                file: config.file, line: line("timeout"),
                message: "timeout \(timeout)s is longer than the interval \(interval)s; scrapes are cut at the interval"))
        }
        return problems
    }
}
