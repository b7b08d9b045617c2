import Foundation
import HTTPClient
import MetricsCore
import SeriesStore
import Yams

/// Walks the YAML node tree of a config file, keeping the line of every key for errors.
struct ConfigReader {
    let file: String
    let baseDirectory: String
    let home: String?

    static let topKeys: Set<String> = [
        "prometheus", "alertmanager", "scrape", "interval", "range", "timeout", "connect_timeout", "max_body",
        "series_limit", "tls", "auth", "layout", "layouts", "rules", "copy",
    ]

    func error(_ node: Node?, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message)
    }

    mutating func read(_ text: String) throws(ConfigError) -> LookoutConfig {
        var config = LookoutConfig(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw yamlError(e)
        } catch {
            throw ConfigError(file: file, line: 0, message: "\(error)")
        }
        guard let root else { return config }   // an empty file is a valid, empty config
        guard let mapping = root.mapping else { throw self.error(root, "expected a mapping of settings at the top level") }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw self.error(keyNode, "keys must be plain words") }
            config.lines[key] = keyNode.mark?.line
            switch key {
            case "prometheus":
                let url = try string(value, key)
                guard url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") else {
                    throw self.error(value, "prometheus: URL must start with http:// or https://")
                }
                config.prometheus = url
            case "alertmanager":
                let url = try string(value, key)
                guard url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") else {
                    throw self.error(value, "alertmanager: URL must start with http:// or https://")
                }
                config.alertmanager = url
            case "scrape": config.scrape = try targets(value, lines: &config.lines)
            case "interval": config.interval = try seconds(value, key, minimum: 0.1)
            case "range": config.range = Int64(try seconds(value, key, minimum: 1) * 1000)
            case "timeout": config.timeout = try seconds(value, key, minimum: 0.01)
            case "connect_timeout": config.connectTimeout = try seconds(value, key, minimum: 0.01)
            case "max_body": config.maxBodyBytes = try size(value, key)
            case "series_limit": config.seriesLimit = try seriesLimit(value, key)
            case "tls": try tls(value, into: &config)
            case "auth": try auth(value, into: &config)
            case "layout": config.layout = try string(value, key)
            case "layouts": config.layouts = try paths(value, key, lines: &config.lines)
            case "rules": config.rules = try paths(value, key, lines: &config.lines)
            case "copy":
                let target = try string(value, key)
                config.copy = target == "osc52" ? target : path(target)
            default:
                throw self.error(keyNode, "unknown setting \"\(key)\" (known: \(Self.topKeys.sorted().joined(separator: ", ")))")
            }
        }
        if config.prometheus != nil && !config.scrape.isEmpty {
            throw self.error(mapping["scrape"], "give either prometheus or scrape, not both")
        }
        return config
    }

    private func yamlError(_ e: YamlError) -> ConfigError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return ConfigError(file: file, line: 0, message: "YAML: \(e)")
        }
    }

    private func string(_ node: Node, _ key: String) throws(ConfigError) -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw error(node, "\(key): expected a text value") }
        return s
    }

    private func seconds(_ node: Node, _ key: String, minimum: Double) throws(ConfigError) -> TimeInterval {
        let text = try string(node, key)
        let value: Double
        if let plain = Double(text) {
            value = plain   // bare numbers are seconds
        } else {
            do { value = Double(try PromDuration.parse(text)) / 1000 } catch {
                throw self.error(node, "\(key): \(error.description)")
            }
        }
        guard value.isFinite, value >= minimum else { throw error(node, "\(key): must be at least \(minimum)s") }
        return value
    }

    private func size(_ node: Node, _ key: String) throws(ConfigError) -> Int {
        let text = try string(node, key).replacingOccurrences(of: " ", with: "")
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000),
                                      ("MB", 1_000_000), ("KB", 1000), ("B", 1)]
        var number = text
        var factor = 1
        if let unit = units.first(where: { text.hasSuffix($0.0) }) {
            number = String(text.dropLast(unit.0.count))
            factor = unit.1
        }
        guard let n = Int(number), n > 0, n <= (1 << 40) / factor else {
            throw error(node, "\(key): expected a size such as 64MiB or 1048576")
        }
        return n * factor
    }

    /// Series per scrape, up to what the store holds in all (a higher limit would let a scrape
    /// through whose series the store then drops without a word).
    private func seriesLimit(_ node: Node, _ key: String) throws(ConfigError) -> Int {
        let most = StoreOptions().maxSeries
        guard let n = Int(try string(node, key).replacingOccurrences(of: "_", with: "")), n > 0, n <= most else {
            throw error(node, "\(key): expected a count of series from 1 to \(most) (what the store holds), such as 200000")
        }
        return n
    }

    private func bool(_ node: Node, _ key: String) throws(ConfigError) -> Bool {
        guard let b = node.bool else { throw error(node, "\(key): expected true or false") }
        return b
    }

    func path(_ text: String) -> String {
        var p = text
        if p == "~" || p.hasPrefix("~/"), let home { p = home + p.dropFirst() }
        if !p.hasPrefix("/") { p = baseDirectory.isEmpty ? p : baseDirectory + "/" + p }
        return p
    }

    private func paths(_ node: Node, _ key: String, lines: inout [String: Int]) throws(ConfigError) -> [String] {
        if node.scalar != nil { lines["\(key)[0]"] = node.mark?.line; return [path(try string(node, key))] }
        guard let seq = node.sequence else { throw error(node, "\(key): expected a path or a list of paths") }
        var out: [String] = []
        for (i, item) in seq.enumerated() {
            lines["\(key)[\(i)]"] = item.mark?.line
            out.append(path(try string(item, "\(key)[\(i)]")))
        }
        return out
    }

    private func targets(_ node: Node, lines: inout [String: Int]) throws(ConfigError) -> [ScrapeTarget] {
        guard let seq = node.sequence else { throw error(node, "scrape: expected a list of targets") }
        var out: [ScrapeTarget] = []
        for (i, item) in seq.enumerated() {
            lines["scrape[\(i)]"] = item.mark?.line
            let text: String
            if let m = item.mapping {
                for k in m.keys where !["job", "url"].contains(k.scalar?.string ?? "") {
                    throw error(k, "scrape[\(i)]: unknown key \"\(k.scalar?.string ?? "?")\" (known: job, url)")
                }
                guard let url = m["url"] else { throw error(item, "scrape[\(i)]: missing url") }
                let job = try m["job"].map { (n: Node) throws(ConfigError) in try string(n, "scrape[\(i)].job") }
                text = (job.map { "\($0)=" } ?? "") + (try string(url, "scrape[\(i)].url"))
            } else {
                text = try string(item, "scrape[\(i)]")
            }
            do { out.append(try ScrapeTarget.parse(text)) } catch { throw self.error(item, error.description) }
        }
        return out
    }

    private func tls(_ node: Node, into config: inout LookoutConfig) throws(ConfigError) {
        guard let m = node.mapping else { throw error(node, "tls: expected a mapping (ca_file, insecure)") }
        for (k, v) in m {
            let key = k.scalar?.string ?? ""
            config.lines["tls.\(key)"] = k.mark?.line
            switch key {
            case "ca_file": config.tls.caFile = path(try string(v, "tls.ca_file"))
            case "insecure": config.tls.insecure = try bool(v, "tls.insecure")
            default: throw error(k, "tls: unknown key \"\(key)\" (known: ca_file, insecure)")
            }
        }
    }

    private func auth(_ node: Node, into config: inout LookoutConfig) throws(ConfigError) {
        let known = "bearer_token_file, basic_auth_user, basic_auth_password_file"
        guard let m = node.mapping else { throw error(node, "auth: expected a mapping (\(known))") }
        for (k, v) in m {
            let key = k.scalar?.string ?? ""
            config.lines["auth.\(key)"] = k.mark?.line
            switch key {
            case "bearer_token_file": config.credentials.bearerTokenFile = path(try string(v, "auth.\(key)"))
            case "basic_auth_user": config.credentials.basicAuthUser = try string(v, "auth.\(key)")
            case "basic_auth_password_file": config.credentials.basicAuthPasswordFile = path(try string(v, "auth.\(key)"))
            case "bearer_token", "basic_auth_password", "password", "token":
                throw error(k, "auth.\(key): secrets are not written in the config; name a file (\(known))")
            default: throw error(k, "auth: unknown key \"\(key)\" (known: \(known))")
            }
        }
    }
}
