import Foundation
import MetricsCore
import PromQL
@testable import Rules
import Synchronization
import Testing

/// Server mode on a server without Lookout's recording rules (VictoriaMetrics): queries naming a
/// recorded series the server lacks are sent inlined, after one cached check of which exist.
@Suite("Recorded series inlining")
struct RecordedSeriesInliningTests {
    static let groups = [RuleGroupDefinition.recordingOnly([
        ("a:rate", "sum(rate(x[1m]))"), ("b:ratio", "a:rate / 2"), ("present:sum", "sum(y)"),
    ])]

    /// A fake server: counts the checks, answers which recorded names exist.
    final class Server: Sendable {
        let present: Set<String>
        let checks = Mutex<[String]>([])
        init(present: Set<String>) { self.present = present }

        func query(_ expr: String, _ t: Timestamp) async -> QueryOutcome {
            checks.withLock { $0.append(expr) }
            return .success(.vector(present.sorted().map {
                InstantSample(labels: Labels(["__name__": $0]), sample: Sample(t: t, v: 1))
            }))
        }
    }

    @Test func missingSeriesAreInlinedAndPresentOnesKept() async {
        let server = Server(present: ["present:sum"])
        let inlining = RecordedSeriesInlining(recheckMs: 60_000, clock: { 1_000_000 }) { await server.query($0, $1) }
        inlining.setRules(Self.groups)
        let (sent, note) = await inlining.rewrite("b:ratio + present:sum")
        #expect(sent == "((sum(rate(x[1m]))) / 2) + present:sum")
        #expect(note == "inlined recording rule b:ratio (not on the server)")
        #expect(inlining.missingSeries == ["a:rate", "b:ratio"])
        // A query without recorded names goes as written, and no further check is made within the minute.
        #expect(await inlining.rewrite("up").expr == "up")
        _ = await inlining.rewrite("a:rate")
        #expect(server.checks.withLock { $0 } == [#"count by (__name__) ({__name__=~"a:rate|b:ratio|present:sum"})"#])
    }

    @Test func aCheckStartedAtLoadIsTheOneTheFirstQueryUses() async throws {
        let server = Server(present: ["present:sum"])
        let inlining = RecordedSeriesInlining(recheckMs: 60_000, clock: { 1_000_000 }) { await server.query($0, $1) }
        inlining.setRules(Self.groups)
        inlining.checkSoon()
        for _ in 0..<200 where server.checks.withLock({ $0.isEmpty }) { try await Task.sleep(nanoseconds: 5_000_000) }
        #expect(server.checks.withLock { $0.count } == 1, "the check went out before any query")
        #expect(await inlining.rewrite("a:rate").note != nil)
        #expect(server.checks.withLock { $0.count } == 1, "and the query found its answer")
    }

    @Test func aServerWithTheRulesGetsTheQueryAsWritten() async {
        let server = Server(present: ["a:rate", "b:ratio", "present:sum"])
        let inlining = RecordedSeriesInlining { await server.query($0, $1) }
        inlining.setRules(Self.groups)
        let (sent, note) = await inlining.rewrite("b:ratio > 1")
        #expect(sent == "b:ratio > 1" && note == nil)
    }

    @Test func rangesOverRecordedSeriesBecomeSubqueries() {
        let recorded = ["a:rate": "sum(rate(x[1m]))"]
        #expect(RecordingRuleInliner.inline("max_over_time(a:rate[5m])", recorded: recorded, rangesAsSubqueries: true)
                == "max_over_time((sum(rate(x[1m])))[5m:])")
        // Already a subquery, or a range expression: left alone; the plain form without the option too.
        #expect(RecordingRuleInliner.inline("max_over_time(a:rate[5m:1m])", recorded: recorded, rangesAsSubqueries: true)
                == "max_over_time((sum(rate(x[1m])))[5m:1m])")
        #expect(RecordingRuleInliner.inline("max_over_time(a:rate[5m])", recorded: recorded) == "max_over_time(a:rate[5m])")
        let out = RecordingRuleInliner.inline("max_over_time(a:rate[5m])", recorded: recorded, rangesAsSubqueries: true)
        #expect((try? PromQLParser.parse(out)) != nil)
    }

    @Test func regexOfTheCheckEscapesMetacharacters() {
        #expect(RecordedSeriesInlining.escapeRegex("a:b_c") == "a:b_c")
        #expect(RecordedSeriesInlining.escapeRegex("a.b") == #"a\\.b"#)
    }
}

extension RuleGroupDefinition {
    static func recordingOnly(_ rules: [(String, String)]) -> RuleGroupDefinition {
        var text = "groups:\n- name: g\n  rules:\n"
        for (name, expr) in rules { text += "  - record: \(name)\n    expr: \(expr)\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inline-\(UUID().uuidString.prefix(8)).yml").path
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return (try? RuleFileLoader.load(path: path))?.first ?? RuleGroupDefinition(name: "unloadable", rules: [])
    }
}

extension RecordedSeriesInliningTests {
    /// A server that does not answer the check: queries go as written, and the check is not
    /// repeated on every query (at most every 10 s).
    @Test func unansweredCheckIsRetriedLaterNotPerQuery() async {
        let calls = Mutex(0)
        let now = Mutex<Timestamp>(1_000_000)
        let inlining = RecordedSeriesInlining(recheckMs: 60_000, clock: { now.withLock { $0 } }) { _, _ in
            calls.withLock { $0 += 1 }
            return .failure(QueryFailure(kind: .timeout, message: "timeout after 5s"))
        }
        inlining.setRules(Self.groups)
        #expect(await inlining.rewrite("b:ratio").expr == "b:ratio")
        #expect(await inlining.rewrite("a:rate").expr == "a:rate")
        #expect(calls.withLock { $0 } == 1)
        now.withLock { $0 += 10_000 }
        _ = await inlining.rewrite("a:rate")
        #expect(calls.withLock { $0 } == 2)
    }
}
