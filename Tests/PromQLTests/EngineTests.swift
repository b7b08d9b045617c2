import Foundation
import MetricsCore
import Testing
@testable import PromQL

@Suite struct EngineTests {
    /// Storage with `series` loaded every `interval` ms from t = 0.
    private func storage(_ series: [String: String], interval: Int64 = 15_000) throws -> MemoryStorage {
        var s = MemoryStorage()
        for (desc, values) in series {
            let labels = try SeriesNotation.parseSeries(desc)
            let samples = try SeriesNotation.parseValues(values).enumerated().compactMap { i, v in
                v.map { Sample(t: Int64(i) * interval, v: $0) }
            }
            s.add(labels, samples)
        }
        return s
    }

    private func instant(_ q: String, _ st: MemoryStorage, at t: Timestamp) throws -> [InstantSample] {
        let r = try Engine(storage: st).instant(try PromQLParser.parse(q), at: t)
        guard case .vector(let v) = r.value else { Issue.record("not a vector: \(r.value)"); return [] }
        return v.sorted { "\($0.labels)" < "\($1.labels)" }
    }

    @Test func lookbackIsLeftOpenAndStopsAtStaleness() throws {
        let st = try storage(["a": "1 _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _", "b": "1 2 stale 4"])
        // 300s after the only sample, the 5m lookback window (t-5m, t] no longer holds it.
        #expect(try instant("a", st, at: 299_999).map(\.sample.v) == [1])
        #expect(try instant("a", st, at: 300_000).isEmpty)
        #expect(try instant("b", st, at: 30_000).isEmpty)
        #expect(try instant("b", st, at: 45_000).map(\.sample.v) == [4])
        #expect(try instant("b", st, at: 40_000).isEmpty)
    }

    @Test func rateExtrapolatesLikePrometheus() throws {
        // A counter growing 1 per 15 s, with a reset: rate over 1m is 1/15 per second.
        let st = try storage(["c{job=\"x\"}": "0+1x20 0+1x20"])
        let v = try instant("rate(c[1m])", st, at: 150_000)
        #expect(v.count == 1)
        #expect(abs((v.first?.sample.v ?? 0) - 1.0 / 15) < 1e-12)
        #expect(v.first?.labels == Labels(["job": "x"]))
        // Across the reset (at 315 s) the window (270 s, 330 s] holds 19 20 0 1: a raw increase of 2,
        // extrapolated by 15 s towards the window start: 2 * 60 / 45.
        let inc = try instant("increase(c[1m])", st, at: 330_000)
        #expect(abs((inc.first?.sample.v ?? 0) - 8.0 / 3) < 1e-9)
    }

    @Test func annotationsCarryPrometheusTextAndPosition() throws {
        let st = try storage(["temp": "1 2 3 4", "reqs_total": "1 2 3 4"])
        let e = Engine(storage: st)
        let r = try e.instant(try PromQLParser.parse("rate(temp[1m]) + rate(reqs_total[1m])"), at: 45_000)
        #expect(r.infos == [#"PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temp" (1:6)"#])
        let q = try e.instant(try PromQLParser.parse("quantile(2, temp)"), at: 0)
        #expect(q.warnings == ["PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)"])
        let s = try e.range(try PromQLParser.parse("sort(temp)"), start: 0, end: 30_000, step: 15_000)
        #expect(s.warnings.count == 1)
        #expect(try e.instant(try PromQLParser.parse("sort(temp)"), at: 0).warnings.isEmpty)
    }

    @Test func vectorMatchingAndErrors() throws {
        let st = try storage([
            "errors{job=\"a\", code=\"500\"}": "5", "errors{job=\"a\", code=\"503\"}": "1",
            "total{job=\"a\"}": "100", "total{job=\"b\"}": "50",
        ])
        let ratio = try instant("errors / on(job) group_left total", st, at: 0)
        #expect(ratio.map(\.sample.v) == [0.05, 0.01])
        #expect(ratio.first?.labels == Labels(["job": "a", "code": "500"]))
        do {
            _ = try instant("total / on(job) errors", st, at: 0)
            Issue.record("expected a many-to-many error")
        } catch let e as PromQLEvalError {
            #expect(e.message.hasPrefix("found duplicate series for the match group {job=\"a\"} on the right hand-side"))
        }
        #expect(try instant("total unless on(job) errors", st, at: 0).map(\.labels) == [Labels(["__name__": "total", "job": "b"])])
    }

    @Test func aggregationsAndDelayedNameRemoval() throws {
        let st = try storage(["m{i=\"1\"}": "1", "m{i=\"2\"}": "3", "m{i=\"3\"}": "NaN"])
        #expect(try instant("sum(m{i!=\"3\"})", st, at: 0).map(\.sample.v) == [4])
        #expect(try instant("max(m)", st, at: 0).map(\.sample.v) == [3])
        #expect(try instant("count_values(\"v\", m{i!=\"3\"})", st, at: 0).map(\.labels)
            == [Labels(["v": "1"]), Labels(["v": "3"])])
        // abs() drops the name, but label_replace onto __name__ keeps it.
        #expect(try instant("abs(m{i=\"1\"})", st, at: 0).map(\.labels) == [Labels(["i": "1"])])
        let kept = try instant(#"label_replace(abs(m{i="1"}), "__name__", "x_$1", "__name__", "(.*)")"#, st, at: 0)
        #expect(kept.map(\.labels) == [Labels(["__name__": "x_m", "i": "1"])])
    }

    @Test func rangeQueryAndSubquery() throws {
        let st = try storage(["g": "0+1x40"], interval: 15_000)
        let e = Engine(storage: st)
        let r = try e.range(try PromQLParser.parse("max_over_time(g[1m:30s])"), start: 60_000, end: 180_000, step: 60_000)
        guard case .matrix(let m) = r.value else { Issue.record("not a matrix"); return }
        #expect(m.count == 1)
        #expect(m.first?.samples.map(\.v) == [4, 8, 12])
        #expect(m.first?.labels == Labels())
        let s = try e.range(try PromQLParser.parse("time()"), start: 0, end: 2000, step: 1000)
        guard case .matrix(let sm) = s.value else { Issue.record("not a matrix"); return }
        #expect(sm.first?.samples.map(\.v) == [0, 1, 2])
    }

    @Test func rangeResultsAreSortedLikePrometheus() throws {
        let st = try storage(["m{a=\"1\", b=\"2\"}": "1", "m{a=\"1\"}": "2", "m{a=\"0\", c=\"9\"}": "3"])
        let r = try Engine(storage: st).range(try PromQLParser.parse("m"), start: 0, end: 0, step: 1000)
        guard case .matrix(let m) = r.value else { Issue.record("not a matrix"); return }
        // A label set that is a prefix of another sorts first, as labels.Compare does.
        #expect(m.map { $0.samples.first?.v } == [3, 2, 1])
    }

    @Test func histogramQuantileEdgeCases() throws {
        let st = try storage([
            "h_bucket{le=\"1\"}": "10", "h_bucket{le=\"2\"}": "8", "h_bucket{le=\"+Inf\"}": "20",
            "n_bucket{le=\"1\"}": "1",
        ])
        let e = Engine(storage: st)
        let r = try e.instant(try PromQLParser.parse("histogram_quantile(0.5, h_bucket)"), at: 0)
        guard case .vector(let v) = r.value else { Issue.record("not a vector"); return }
        // The decreasing le="2" bucket is raised to 10, so rank 10 ends in the first bucket.
        #expect(v.map(\.sample.v) == [1])
        #expect(r.infos.count == 1)
        // Without a +Inf bucket the quantile is NaN.
        let n = try e.instant(try PromQLParser.parse("histogram_quantile(0.5, n_bucket)"), at: 0)
        guard case .vector(let nv) = n.value else { Issue.record("not a vector"); return }
        #expect(nv.first?.sample.v.isNaN == true)
    }

    @Test func rejectsRunawayQueries() throws {
        let e = Engine(storage: MemoryStorage())
        #expect(throws: PromQLEvalError.self) { try e.instant(try PromQLParser.parse("max_over_time(up[1000d:1ms])"), at: 0) }
        #expect(throws: PromQLParseError.self) { try PromQLParser.parse("up offset 99999999y") }
        #expect(throws: PromQLEvalError.self) { try e.range(try PromQLParser.parse("up"), start: 0, end: 1_000_000_000, step: 1) }
        var small = EngineOptions()
        small.maxSamples = 100
        var st = MemoryStorage()
        st.add(Labels(["__name__": "up"]), (0..<200).map { Sample(t: Int64($0) * 1000, v: 1) })
        let limited = Engine(storage: st, options: small)
        #expect(throws: PromQLEvalError.self) { try limited.instant(try PromQLParser.parse("count_over_time(up[10m])"), at: 200_000) }
        #expect(throws: PromQLEvalError.self) { try limited.range(try PromQLParser.parse("up"), start: 0, end: 200_000, step: 1000) }
        #expect(try limited.instant(try PromQLParser.parse("up"), at: 100_000).value == .vector([
            InstantSample(labels: Labels(["__name__": "up"]), sample: Sample(t: 100_000, v: 1)),
        ]))
    }

    /// Measures a dashboard-sized range query; prints the figure used in docs/promql.md.
    @Test func rangeQueryThroughput() throws {
        var st = MemoryStorage()
        let interval: Int64 = 15_000, points = 1440  // 6 h of 15 s samples
        for k in 0..<200 {
            let labels = Labels(["__name__": "http_requests_total", "job": "j\(k % 5)", "instance": "i\(k)"])
            st.add(labels, (0..<points).map { Sample(t: Int64($0) * interval, v: Double($0 * (k + 1))) })
        }
        let expr = try PromQLParser.parse("sum by (job) (rate(http_requests_total[5m]))")
        let clock = ContinuousClock()
        var result: EvalResult?
        let elapsed = try clock.measure {
            result = try Engine(storage: st).range(expr, start: 3_600_000, end: 21_600_000, step: 60_000)
        }
        guard case .matrix(let m) = result?.value else { Issue.record("not a matrix"); return }
        #expect(m.count == 5)
        // Job j0 holds instances 0, 5, ..., 195: rates (k+1)/15 summed.
        let expected = stride(from: 0, to: 200, by: 5).map { Double($0 + 1) / 15 }.reduce(0, +)
        #expect(abs((m.first?.samples.first?.v ?? 0) - expected) < 1e-9 * expected)
        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        print("promql engine: 200 series x 301 steps sum(rate[5m]) in \(String(format: "%.3f", seconds)) s")
    }
}
