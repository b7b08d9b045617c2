import DataSources
import Foundation
import HTTPClient
import Testing

@Suite("Source options")
struct SourceOptionsTests {
    @Test func targetParsing() throws {
        let plain = try ScrapeTarget.parse("http://127.0.0.1:9100/metrics")
        #expect(plain.job == ScrapeTarget.defaultJob && plain.instance == "127.0.0.1:9100")
        let named = try ScrapeTarget.parse("node=http://u:p@host:9100/metrics?x=a=b")
        #expect(named.job == "node" && named.url == "http://u:p@host:9100/metrics?x=a=b" && named.instance == "host:9100")
        let file = try ScrapeTarget.parse("saved=file:///tmp/node.prom")
        #expect(file.instance == "/tmp/node.prom")
        #expect(throws: SourceError.self) { try ScrapeTarget.parse("127.0.0.1:9100") }
        #expect(throws: SourceError.invalidTarget("bad job=http://h/", reason: "job name \"bad job\" is not a plain name")) {
            try ScrapeTarget.parse("bad job=http://h/")
        }
    }

    @Test func timeoutsAreSizedToTheInterval() {
        let fast = SourceOptions(mode: .scrape([]), interval: 1)
        #expect(fast.effectiveScrapeTimeout == 0.9 && fast.effectiveConnectTimeout == 0.9)
        let slow = SourceOptions(mode: .scrape([]), interval: 60)
        #expect(slow.effectiveScrapeTimeout == 10 && slow.effectiveConnectTimeout == 5)
        let explicit = SourceOptions(mode: .scrape([]), interval: 5, timeout: 30)
        #expect(explicit.effectiveScrapeTimeout == 5)   // never past the interval
        #expect(explicit.effectiveQueryTimeout == 30)
    }

    @Test func credentialsFromFilesAndEnvironment() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-cred-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = dir.appendingPathComponent("token").path
        try Data("t0k3n\n".utf8).write(to: URL(fileURLWithPath: token))
        let empty = dir.appendingPathComponent("empty").path
        try Data().write(to: URL(fileURLWithPath: empty))

        #expect(try Credentials(bearerTokenFile: token).resolve(environment: [:]) == .bearer(token: "t0k3n"))
        #expect(try Credentials().resolve(environment: ["LOOKOUT_BEARER_TOKEN": "env"]) == .bearer(token: "env"))
        #expect(try Credentials(basicAuthUser: "bob", basicAuthPasswordFile: token).resolve(environment: [:])
            == .basic(user: "bob", password: "t0k3n"))
        #expect(try Credentials().resolve(environment: ["LOOKOUT_BASIC_AUTH_USER": "a", "LOOKOUT_BASIC_AUTH_PASSWORD": "b"])
            == .basic(user: "a", password: "b"))
        #expect(try Credentials().resolve(environment: [:]) == nil)
        #expect(throws: SourceError.credentials(empty, reason: "file is empty")) {
            try Credentials(bearerTokenFile: empty).resolve(environment: [:])
        }
        #expect(throws: SourceError.credentials("/nonexistent/x", reason: "cannot read file")) {
            try Credentials(bearerTokenFile: "/nonexistent/x").resolve(environment: [:])
        }
        #expect(throws: SourceError.self) { try Credentials(basicAuthPasswordFile: token).resolve(environment: [:]) }
    }
}

@Suite("Flags over config")
struct SourceFlagsTests {
    func config(_ text: String) throws -> LookoutConfig {
        try ConfigLoader.parse(text, file: "/c/config.yaml", environment: [:])
    }

    @Test func flagsOverrideTheConfigFieldByField() throws {
        let c = try config("prometheus: http://a:9090\ninterval: 10s\ntls: {insecure: true}\nauth: {bearer_token_file: t}\n")
        var flags = SourceFlags()
        #expect(try flags.resolve(config: c)?.mode == .prometheus(url: "http://a:9090"))
        flags.interval = 2
        flags.scrape = ["node=http://n:9100/metrics"]
        let o = try #require(try flags.resolve(config: c))
        #expect(o.mode == .scrape([ScrapeTarget(job: "node", url: "http://n:9100/metrics")]))
        #expect(o.interval == 2 && o.tls.insecure && o.credentials.bearerTokenFile == "/c/t")
        flags.basicAuthUser = "bob"
        #expect(try flags.resolve(config: c)?.credentials == Credentials(basicAuthUser: "bob"))
    }

    @Test func configWithoutSourceStillGivesSettings() throws {
        let c = try config("interval: 3s\ntls: {ca_file: /ca.pem}\nseries_limit: 400000\n")
        var flags = SourceFlags()
        #expect(try flags.resolve(config: c) == nil)
        flags.prometheus = "http://p:9090"
        let o = try #require(try flags.resolve(config: c))
        #expect(o.interval == 3 && o.tls.caFile == "/ca.pem" && o.maxSeriesPerTarget == 400_000)
        #expect(try SourceFlags().resolve(config: nil) == nil)
    }
}

@Suite("Source factory")
struct SourceFactoryTests {
    @Test func buildsEachModeAndRejectsBadOptions() throws {
        let p = try makeSource(SourceOptions(mode: .prometheus(url: "http://u:secret@127.0.0.1:1/")), environment: [:])
        defer { p.stop() }
        #expect(p is PrometheusSource)
        #expect(p.displayName == "http://***@127.0.0.1:1")
        #expect(p.targets().isEmpty && p.serverInfo() == nil)

        let file = ScrapeTarget(job: "saved", url: "file:///tmp/none.prom")
        let e = try makeSource(SourceOptions(mode: .scrape([file]), tls: TLSOptions(insecure: true)), environment: [:])
        defer { e.stop() }
        #expect(e is EmbeddedSource && e.displayName == "file:///tmp/none.prom")
        #expect(e.serverInfo() == "TLS NOT VERIFIED")
        #expect(e.targets().map(\.health) == [.unknown])

        #expect(throws: SourceError.noTargets) { try makeSource(SourceOptions(mode: .scrape([])), environment: [:]) }
        #expect(throws: SourceError.self) { try makeSource(SourceOptions(mode: .prometheus(url: "ftp://x")), environment: [:]) }
        #expect(throws: SourceError.credentials("/nonexistent", reason: "cannot read file")) {
            try makeSource(
                SourceOptions(mode: .prometheus(url: "http://x"), credentials: Credentials(bearerTokenFile: "/nonexistent")),
                environment: [:])
        }
    }
}
