import DataSources
import Foundation
import HTTPClient
import Testing

@Suite("Config file")
struct ConfigTests {
    let env = ["HOME": "/home/op"]

    func parse(_ text: String) throws(ConfigError) -> LookoutConfig {
        try ConfigLoader.parse(text, file: "/etc/lookout/config.yaml", environment: env)
    }

    func failure(_ text: String) -> ConfigError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func fullServerConfig() throws {
        let c = try parse("""
            # server mode
            prometheus: https://prom.example.com/prometheus
            interval: 2s
            range: 1h
            timeout: 1500ms
            max_body: 16MiB
            tls:
              ca_file: certs/ca.pem
              insecure: false
            auth:
              basic_auth_user: alice
              basic_auth_password_file: ~/secrets/prom
            layout: technical
            layouts: [layouts, /opt/lookout/extra.yaml]
            rules: rules/alerts.yml
            """)
        #expect(c.prometheus == "https://prom.example.com/prometheus")
        #expect(c.interval == 2 && c.range == 3_600_000 && c.timeout == 1.5 && c.maxBodyBytes == 16 << 20)
        #expect(c.tls == TLSOptions(caFile: "/etc/lookout/certs/ca.pem", insecure: false))
        #expect(c.credentials == Credentials(basicAuthUser: "alice", basicAuthPasswordFile: "/home/op/secrets/prom"))
        #expect(c.layout == "technical")
        #expect(c.layouts == ["/etc/lookout/layouts", "/opt/lookout/extra.yaml"])
        #expect(c.rules == ["/etc/lookout/rules/alerts.yml"])
        #expect(c.lines["tls.ca_file"] == 8 && c.lines["rules[0]"] == 15)
        let o = try #require(c.sourceOptions())
        #expect(o.mode == .prometheus(url: "https://prom.example.com/prometheus") && o.interval == 2)
    }

    @Test func scrapeTargetsInBothForms() throws {
        let c = try parse("""
            scrape:
              - node=http://127.0.0.1:9100/metrics
              - job: redis
                url: http://127.0.0.1:9121/metrics
              - file:///var/lib/node_exporter/textfile/app.prom
            interval: 1
            series_limit: 250_000
            """)
        #expect(c.scrape == [
            ScrapeTarget(job: "node", url: "http://127.0.0.1:9100/metrics"),
            ScrapeTarget(job: "redis", url: "http://127.0.0.1:9121/metrics"),
            ScrapeTarget(job: "scrape", url: "file:///var/lib/node_exporter/textfile/app.prom"),
        ])
        #expect(c.interval == 1)
        #expect(c.sourceOptions()?.mode == .scrape(c.scrape))
        #expect(c.sourceOptions()?.maxSeriesPerTarget == 250_000)
        #expect(try parse("scrape: [http://a/metrics]\n").sourceOptions()?.maxSeriesPerTarget == 100_000)
    }

    @Test func emptyFileIsAnEmptyConfig() throws {
        let c = try parse("")
        #expect(c.prometheus == nil && c.scrape.isEmpty && c.sourceOptions() == nil)
    }

    @Test(arguments: [
        ("prometheus: http://a\ninterval: 5x\n", 2, "interval: invalid duration \"5x\""),
        ("promethus: http://a\n", 1, "unknown setting \"promethus\""),
        ("prometheus: ftp://a\n", 1, "prometheus: URL must start with http:// or https://"),
        ("prometheus: http://a\nscrape: [http://b/metrics]\n", 2, "either prometheus or scrape"),
        ("scrape:\n  - http://a/metrics\n  - 127.0.0.1:9100\n", 3, "invalid scrape target 127.0.0.1:9100"),
        ("scrape:\n  - job: x\n", 2, "scrape[0]: missing url"),
        ("tls:\n  insecure: maybe\n", 2, "tls.insecure: expected true or false"),
        ("auth:\n  bearer_token: abc\n", 2, "secrets are not written in the config"),
        ("max_body: lots\n", 1, "max_body: expected a size"),
        ("series_limit: 0\n", 1, "series_limit: expected a count of series from 1 to 500000 (what the store holds)"),
        ("series_limit: 500001\n", 1, "series_limit: expected a count"),
        ("series_limit: 1e9\n", 1, "series_limit: expected a count"),
        ("interval: 0.01\n", 1, "interval: must be at least 0.1s"),
        ("- a\n- b\n", 1, "expected a mapping of settings"),
        ("prometheus: [unclosed\n", 2, "YAML:"),
    ])
    func errorsNameFileAndLine(text: String, line: Int, message: String) throws {
        let e = try #require(failure(text))
        #expect(e.file == "/etc/lookout/config.yaml")
        #expect(e.line == line, "\(e)")
        #expect(e.message.contains(message), "\(e)")
        #expect(e.description.hasPrefix("/etc/lookout/config.yaml:\(line)"))
    }

    @Test func defaultPathFollowsXDG() {
        #expect(ConfigLoader.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/lookout/config.yaml")
        #expect(ConfigLoader.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/lookout/config.yaml")
    }

    @Test func loadAndValidateFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-config-\(UUID())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lookout"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = dir.appendingPathComponent("token")
        try Data("abc\n".utf8).write(to: token)
        let file = dir.appendingPathComponent("lookout/config.yaml")
        try Data("""
            prometheus: http://127.0.0.1:9090
            interval: 1s
            timeout: 3s
            auth:
              bearer_token_file: ../token
            rules: [missing.yml]
            """.utf8).write(to: file)

        // No explicit path: the XDG default is used; a missing default is simply no config.
        let c = try #require(try ConfigLoader.load(path: nil, environment: ["XDG_CONFIG_HOME": dir.path]))
        #expect(c.credentials.bearerTokenFile == dir.appendingPathComponent("lookout/../token").path)
        #expect(try ConfigLoader.load(path: nil, environment: ["XDG_CONFIG_HOME": dir.path + "/none"]) == nil)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: dir.path + "/nope.yaml") }

        let problems = ConfigLoader.validate(c)
        #expect(problems.map(\.line) == [6, 3])
        #expect(problems[0].message.contains("rules[0]") && problems[0].message.contains("no such file"))
        #expect(problems[1].message.contains("longer than the interval"))
    }
}

/// Issue 13, finding 4: a `--config` that cannot be read is an error naming the path, never an
/// empty (valid) config.
@Suite("Config file read errors")
struct ConfigReadErrorTests {
    func loadError(_ path: String) -> String? {
        do { _ = try ConfigLoader.load(path: path, environment: [:]); return nil } catch { return error.description }
    }

    @Test func directoryIsAnErrorNamingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-cfgdir-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(loadError(dir) == "\(dir): is a directory, not a config file")
    }

    @Test func readErrorIsAnErrorNamingTheFile() {
        // Reading /proc/self/mem at offset 0 fails with EIO, even as root: a real read error on a
        // file that exists and opens.
        #expect(loadError("/proc/self/mem") == "/proc/self/mem: cannot read: Input/output error")
    }

    @Test func unreadableFileIsAnErrorNamingIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-cfg-\(getpid()).yaml").path
        try "interval: 5s\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        chmod(file, 0)
        // Root reads through mode 0, so there the file opens and must parse; otherwise the open fails.
        if geteuid() == 0 {
            #expect(loadError(file) == nil)
        } else {
            #expect(loadError(file) == "\(file): cannot read: Permission denied")
        }
    }

    @Test func fifoIsRefusedInsteadOfBlocking() throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-cfgfifo-\(getpid())").path
        unlink(fifo)
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        #expect(loadError(fifo) == "\(fifo): not a regular file")
    }

    @Test func missingExplicitFileNamesIt() {
        #expect(loadError("/nonexistent/lookout.yaml") == "/nonexistent/lookout.yaml: no such file")
    }
}
