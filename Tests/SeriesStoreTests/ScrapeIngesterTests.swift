import Exposition
import MetricsCore
import Testing
@testable import SeriesStore

@Suite struct ScrapeIngesterTests {
    func m(_ name: String, _ value: String) -> LabelMatcher { try! LabelMatcher(.equal, name, value) }

    func scrape(_ text: String) throws -> ParsedScrape { try Exposition.parse(text, format: .text) }

    func value(_ store: MemoryStore, _ matchers: [LabelMatcher], at t: Timestamp) -> [Labels: Double] {
        var out: [Labels: Double] = [:]
        for s in store.select(matchers, mint: t, maxt: t) { if let v = s.samples.last?.v { out[s.labels] = v } }
        return out
    }

    @Test func targetLabelsAndSyntheticSeries() throws {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "node", instance: "127.0.0.1:9100", appender: store)
        let summary = ingester.ingest(try scrape("a 1\nb{x=\"y\"} 2\n"), at: 1000, duration: 0.25)
        #expect(summary == ScrapeSummary(up: true, samplesScraped: 2, seriesCount: 2, seriesAdded: 2, staleMarkers: 0))
        let target = ["job": "node", "instance": "127.0.0.1:9100"]
        let a = value(store, [m("__name__", "a")], at: 1000)
        #expect(a == [Labels(target.merging(["__name__": "a"]) { $1 }): 1])
        #expect(value(store, [m("__name__", "b"), m("x", "y"), m("job", "node")], at: 1000).count == 1)
        func synthetic(_ name: String) -> Double? {
            value(store, [m("__name__", name)], at: 1000)[Labels(target.merging(["__name__": name]) { $1 })]
        }
        #expect(synthetic("up") == 1)
        #expect(synthetic("scrape_duration_seconds") == 0.25)
        #expect(synthetic("scrape_samples_scraped") == 2)
        #expect(synthetic("scrape_samples_post_metric_relabeling") == 2)
        #expect(synthetic("scrape_series_added") == 2)
        #expect(ingester.lastSeriesCount == 2)
    }

    @Test func clashingLabelsBecomeExported() throws {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "federate", instance: "h:1", appender: store)
        ingester.ingest(try scrape("m{job=\"inner\",instance=\"x\",exported_job=\"taken\"} 7\n"), at: 5, duration: 0.1)
        let got = try #require(store.select([m("__name__", "m")], mint: 0, maxt: 10).first).labels
        #expect(got == Labels([
            "__name__": "m", "job": "federate", "instance": "h:1", "exported_instance": "x",
            "exported_job": "taken", "exported_exported_job": "inner",
        ]))
    }

    @Test func vanishedSeriesAndFailedScrapesGetStalenessMarkers() throws {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        ingester.ingest(try scrape("a 1\nb 2\n"), at: 1000, duration: 0.1)
        let second = ingester.ingest(try scrape("a 3\nc 4\n"), at: 2000, duration: 0.1)
        #expect(second.staleMarkers == 1)
        #expect(second.seriesAdded == 1)
        let b = store.select([m("__name__", "b")], mint: 0, maxt: 5000)[0].samples
        #expect(b.count == 2)
        #expect(b[1].t == 2000 && StaleNaN.isStale(b[1].v))

        let failed = ingester.ingestFailure(at: 3000, duration: 0.5)
        #expect(failed == ScrapeSummary(up: false, staleMarkers: 2))
        for name in ["a", "c"] {
            let last = store.select([m("__name__", name)], mint: 3000, maxt: 3000)[0].samples
            #expect(last.count == 1 && StaleNaN.isStale(last[0].v), "\(name)")
        }
        let up = store.select([m("__name__", "up")], mint: 0, maxt: 5000)[0].samples.map(\.v)
        #expect(up == [1, 1, 0])
        let scraped = store.select([m("__name__", "scrape_samples_scraped")], mint: 3000, maxt: 3000)[0].samples
        #expect(scraped.map(\.v) == [0])

        // Recovery: everything is "added" again and nothing more is marked stale.
        let back = ingester.ingest(try scrape("a 5\n"), at: 4000, duration: 0.1)
        #expect(back.staleMarkers == 0 && back.seriesAdded == 1)
    }

    @Test func explicitTimestampsAreHonouredAndNotTrackedForStaleness() throws {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        let first = ingester.ingest(try scrape("pushed 9 500\nlive 1\n"), at: 1000, duration: 0.1)
        #expect(first.seriesCount == 2)
        #expect(ingester.lastSeriesCount == 1, "only series without own timestamps are tracked for staleness")
        let pushed = store.select([m("__name__", "pushed")], mint: 0, maxt: 5000)[0].samples
        #expect(pushed == [Sample(t: 500, v: 9)])
        let second = ingester.ingest(try scrape("live 2\n"), at: 2000, duration: 0.1)
        #expect(second.staleMarkers == 0)
        #expect(store.select([m("__name__", "pushed")], mint: 0, maxt: 5000)[0].samples.count == 1)
    }

    @Test func targetRemovalMarksEverythingStale() throws {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        ingester.ingest(try scrape("a 1\n"), at: 1000, duration: 0.1)
        ingester.markTargetGone(at: 2000)
        for name in ["a", "up", "scrape_duration_seconds", "scrape_series_added"] {
            let last = store.select([m("__name__", name)], mint: 2000, maxt: 2000)[0].samples
            #expect(last.count == 1 && StaleNaN.isStale(last[0].v), "\(name)")
        }
    }

    @Test func rawBodiesAreParsedByContentTypeAndBadOnesFailTheScrape() throws {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        let ok = ingester.ingest(body: Array("a 1\n".utf8), contentType: "text/plain; version=0.0.4", at: 1000, duration: 0.1)
        #expect(ok.up && ok.seriesCount == 1 && ok.parseError == nil)
        let om = ingester.ingest(body: Array("a 2 1.5\n# EOF\n".utf8), contentType: "application/openmetrics-text",
                                 at: 2000, duration: 0.1)
        #expect(om.up && om.parseError == nil)
        #expect(store.select([m("__name__", "a")], mint: 0, maxt: 5000)[0].samples.contains(Sample(t: 1500, v: 2)),
                "OpenMetrics seconds timestamp honoured")
        let bad = ingester.ingest(body: Array("a 1\nb{ 2\n".utf8), contentType: nil, at: 3000, duration: 0.1)
        #expect(!bad.up)
        #expect(bad.parseError?.line == 2)
        let up = store.select([m("__name__", "up")], mint: 0, maxt: 5000)[0].samples.map(\.v)
        #expect(up == [1, 1, 0])
    }

    /// A plain SampleAppender (not a MemoryStore) works too: samples arrive one by one.
    final class Recorder: SampleAppender, @unchecked Sendable {
        var written: [(Labels, Sample)] = []
        func append(_ labels: Labels, _ sample: Sample) { written.append((labels, sample)) }
    }

    @Test func worksWithAnyAppender() throws {
        let recorder = Recorder()
        let ingester = ScrapeIngester(targetLabels: Labels(["job": "x", "instance": "y", "env": "prod"]), appender: recorder)
        ingester.ingest(try scrape("m 1\n"), at: 7, duration: 0.01)
        #expect(recorder.written.count == 6)
        #expect(recorder.written[0].0 == Labels(["__name__": "m", "job": "x", "instance": "y", "env": "prod"]))
        #expect(recorder.written.allSatisfy { $0.1.t == 7 })
    }
}
