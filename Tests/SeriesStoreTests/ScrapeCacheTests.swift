import Exposition
import Foundation
import MetricsCore
import Synchronization
import Testing
@testable import SeriesStore

/// The per-target scrape cache: series found again by their text, the store's references reused,
/// and the same staleness and counts as a scrape parsed from scratch.
@Suite struct ScrapeCacheTests {
    func m(_ name: String, _ value: String) -> LabelMatcher { try! LabelMatcher(.equal, name, value) }

    func ingest(_ ingester: ScrapeIngester, _ text: String, at t: Timestamp) -> ScrapeSummary {
        ingester.ingest(body: Array(text.utf8), contentType: nil, at: t, duration: 0.1)
    }

    @Test func aRepeatedSeriesIsFoundByItsTextAndWrittenByReference() {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        let body = "a{x=\"1\"} 1\na{x=\"2\"} 2\nb 3\n"
        let first = ingest(ingester, body, at: 1000)
        #expect(first.seriesCount == 3 && first.seriesAdded == 3 && first.staleMarkers == 0)
        let refs = ingester.state.withLock { st in st.cache.entries.map(\.ref) }
        #expect(refs.count == 3 && refs.allSatisfy { $0 != nil })
        let second = ingest(ingester, body.replacingOccurrences(of: " 2\n", with: " 5\n"), at: 2000)
        #expect(second.seriesCount == 3 && second.seriesAdded == 0 && second.staleMarkers == 0)
        #expect(ingester.state.withLock { st in st.cache.entries.map(\.ref) } == refs, "no series made again")
        let x2 = store.select([m("__name__", "a"), m("x", "2")], mint: 0, maxt: 3000)
        #expect(x2.map { $0.samples } == [[Sample(t: 1000, v: 2), Sample(t: 2000, v: 5)]])
        #expect(x2.first?.labels == Labels(["__name__": "a", "x": "2", "job": "j", "instance": "i"]))
    }

    /// A body that gives a series twice (concatenated exporter bodies, another spelling) keeps the
    /// first sample, as Prometheus does; the repeats never reach the store, which would otherwise
    /// look each one up by its label set in the series' first scrape.
    @Test func aSeriesRepeatedInOneBodyKeepsItsFirstSample() {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        let body = "a{x=\"1\",y=\"2\"} 1\nb 2\na{x=\"1\",y=\"2\"} 3\na{y=\"2\",x=\"1\"} 4\nb 5\nc 6 500\nc 7 600\n"
        for t: Timestamp in [1000, 2000] {
            let summary = ingest(ingester, body, at: t)
            #expect(summary.samplesScraped == 7 && summary.seriesCount == 3 && summary.duplicateSamples == 3)
        }
        #expect(store.stats().droppedOutOfOrder == 2, "only the second scrape's own-timestamp samples of c")
        #expect(store.select([m("__name__", "a")], mint: 0, maxt: 3000).map(\.samples)
            == [[Sample(t: 1000, v: 1), Sample(t: 2000, v: 1)]])
        #expect(store.select([m("__name__", "b")], mint: 0, maxt: 3000).map(\.samples)
            == [[Sample(t: 1000, v: 2), Sample(t: 2000, v: 2)]])
        #expect(store.select([m("__name__", "c")], mint: 0, maxt: 3000).map(\.samples)
            == [[Sample(t: 500, v: 6), Sample(t: 600, v: 7)]], "own timestamps are the store's to order")
    }

    @Test func anotherSpellingOfTheSameSeriesIsOneSeries() {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        _ = ingest(ingester, "a{y=\"2\",x=\"1\"} 1\n", at: 1000)
        let second = ingest(ingester, "a{x=\"1\",y=\"2\"} 2\n", at: 2000)
        #expect(second.seriesCount == 1 && second.seriesAdded == 0 && second.staleMarkers == 0)
        #expect(store.select([m("__name__", "a")], mint: 0, maxt: 3000).map(\.samples)
            == [[Sample(t: 1000, v: 1), Sample(t: 2000, v: 2)]])
    }

    @Test func vanishedSeriesGetMarkersAndLeaveTheCache() {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        _ = ingest(ingester, "a 1\nb 2\nc 3\n", at: 1000)
        let second = ingest(ingester, "a 1\nc 3\nd 4\n", at: 2000)
        #expect(second.seriesCount == 3 && second.seriesAdded == 1 && second.staleMarkers == 1)
        #expect(ingester.state.withLock { $0.cache.entries.map { $0.labels.name ?? "" } } == ["a", "c", "d"])
        let b = store.select([m("__name__", "b")], mint: 0, maxt: 3000)[0].samples
        #expect(b.count == 2 && StaleNaN.isStale(b[1].v) && b[1].t == 2000)
        // Back again: a new series for staleness purposes, written to the same store series.
        let third = ingest(ingester, "a 1\nb 5\nc 3\nd 4\n", at: 3000)
        #expect(third.seriesAdded == 1 && third.staleMarkers == 0)
        #expect(store.select([m("__name__", "b")], mint: 0, maxt: 3000)[0].samples.last == Sample(t: 3000, v: 5))
    }

    @Test func aRejectedBodyLeavesNoEntriesAndMarksTheLastScrapeStale() {
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        _ = ingest(ingester, "a 1\n", at: 1000)
        let bad = ingest(ingester, "new 1\nnew2 2\nbroken{ 3\n", at: 2000)
        #expect(!bad.up && bad.staleMarkers == 1 && bad.parseError?.line == 3)
        #expect(ingester.state.withLock { $0.cache.entries.map { $0.labels.name ?? "" } } == ["a"])
        #expect(store.select([m("__name__", "new")], mint: 0, maxt: 3000).isEmpty, "nothing of a rejected body is written")
        let back = ingest(ingester, "a 2\n", at: 3000)
        #expect(back.up && back.seriesAdded == 1 && back.staleMarkers == 0)
    }

    @Test func referencesSurviveACompactionThatRenumbersSeries() {
        // One hour retention: the sweep after the old series expire renumbers the store.
        let store = MemoryStore(options: StoreOptions(retention: 3_600_000))
        let now = Timestamp(Date().timeIntervalSince1970 * 1000)
        store.append(Labels(["__name__": "old"]), Sample(t: now - 7_200_000, v: 1))
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: store)
        for k in 0..<12 { _ = ingest(ingester, "a 1\nb 2\n", at: now - 3_000_000 + Timestamp(k) * 300_000) }
        #expect(store.select([m("__name__", "old")], mint: 0, maxt: now).isEmpty, "the old series was compacted away")
        let a = store.select([m("__name__", "a")], mint: 0, maxt: now + 3_600_000)
        #expect(a.count == 1 && a[0].samples.count == 12, "\(a)")
        #expect(store.stats().seriesCount == 7, "a, b and the five report series")
    }

    @Test func theSameBodyAsParsedScrapeOrAsBytesGivesTheSameStore() throws {
        let body = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\nx{q=\"a\\\"b\"} 4 500\n"
        let viaBytes = MemoryStore(), viaParsed = MemoryStore()
        let i1 = ScrapeIngester(job: "j", instance: "i", appender: viaBytes)
        let i2 = ScrapeIngester(job: "j", instance: "i", appender: viaParsed)
        for t in [Timestamp(1000), 2000] {
            let s1 = i1.ingest(body: Array(body.utf8), contentType: nil, at: t, duration: 0.1)
            let s2 = i2.ingest(try Exposition.parse(body, format: .text), at: t, duration: 0.1)
            #expect(s1 == s2)
        }
        let all = try LabelMatcher(.regexMatch, "__name__", ".+")
        let a = viaBytes.select([all], mint: 0, maxt: 3000).sorted { $0.labels.description < $1.labels.description }
        let b = viaParsed.select([all], mint: 0, maxt: 3000).sorted { $0.labels.description < $1.labels.description }
        #expect(a == b && a.count == 10)
    }

    /// Scrapes mostly list their series in the previous scrape's order, and each line is first
    /// compared with the line at its place there: series added, dropped, moved, respelled or
    /// timestamped in between, and a rejected body, must leave the store as the label-set path does.
    @Test func bodiesThatChangeTheirOrderGiveTheSameStoreAsParsedScrapes() throws {
        let bodies = [
            "a 1\nb{x=\"1\"} 2\nc 3\n",
            "a 2\nb{x=\"1\"} 3\nc 4\n",
            "a 3\nnew 1\nb{x=\"1\"} 4\nc 5\n",
            "a 4\nc 6\n",
            "c 7\na 5\nb{x=\"1\"} 5\n",
            "c 8\na 6\nb {x=\"1\"} 6\n",
            "c 9\na 7 123\nb{x=\"1\"} 7\nb{x=\"1\"} 8\n",
            "c 10\na{y=\"2\"} 8\nb{x=\"1\"} 9\n",
            "c 11\na 9\nb{x=\"1\"} 10\nbroken{ 1\n",
            "c 12\na 10\nb{x=\"1\"} 11\n",
            "c 13\na  11\nb{x=\"1\"}\t12\n",
        ]
        let viaBytes = MemoryStore(options: .unbounded), viaParsed = MemoryStore(options: .unbounded)
        let i1 = ScrapeIngester(job: "j", instance: "i", appender: viaBytes)
        let i2 = ScrapeIngester(job: "j", instance: "i", appender: viaParsed)
        for (k, body) in bodies.enumerated() {
            let t = Timestamp(1000 * (k + 1))
            let s1 = i1.ingest(body: Array(body.utf8), contentType: nil, at: t, duration: 0.1)
            let s2: ScrapeSummary
            if let parsed = try? Exposition.parse(body, format: .text) {
                s2 = i2.ingest(parsed, at: t, duration: 0.1)
            } else {
                s2 = i2.ingestFailure(at: t, duration: 0.1)
                #expect(s1.parseError != nil)
            }
            #expect(ScrapeSummary(up: s1.up, samplesScraped: s1.samplesScraped, seriesCount: s1.seriesCount,
                                  seriesAdded: s1.seriesAdded, staleMarkers: s1.staleMarkers,
                                  duplicateSamples: s1.duplicateSamples) == s2, "scrape \(k)")
        }
        let all = try LabelMatcher(.regexMatch, "__name__", ".+")
        let a = viaBytes.select([all], mint: 0, maxt: .max).sorted { $0.labels.description < $1.labels.description }
        let b = viaParsed.select([all], mint: 0, maxt: .max).sorted { $0.labels.description < $1.labels.description }
        #expect(a.map(\.labels) == b.map(\.labels))
        // And every value of every accepted body is in the store at its time (but for a sample older
        // than its series' newest and the second of a series twice in one body: out of order).
        for (k, body) in bodies.enumerated() {
            guard let parsed = try? Exposition.parse(body, format: .text) else { continue }
            for s in parsed.samples where s.timestamp == nil && parsed.samples.filter({ $0.labels == s.labels }).count == 1 {
                let labels = s.labels.setting("job", "j").setting("instance", "i")
                let t = Timestamp(1000 * (k + 1))
                let series = a.first { $0.labels == labels }
                #expect(series?.samples.contains(Sample(t: t, v: s.value)) == true, "\(labels) at \(t)")
            }
        }
        #expect(a.map { $0.samples.map { [Double($0.t), $0.v.bitPattern == StaleNaN.value.bitPattern ? -1 : $0.v] } }
            == b.map { $0.samples.map { [Double($0.t), $0.v.bitPattern == StaleNaN.value.bitPattern ? -1 : $0.v] } })
    }

    /// A line is taken on the previous body's word only when it was checked under the same limits.
    @Test func tighterLimitsAreCheckedOnLinesSeenBefore() {
        let ingester = ScrapeIngester(job: "j", instance: "i", appender: MemoryStore())
        let body = Array("a{x=\"1\",y=\"2\"} 1\nb 2\n".utf8)
        #expect(ingester.ingest(body: body, contentType: nil, at: 1000, duration: 0.1).up)
        var tight = ExpositionLimits.default
        tight.maxLabelsPerSeries = 1
        let rejected = ingester.ingest(body: body, contentType: nil, at: 2000, duration: 0.1, limits: tight)
        #expect(!rejected.up && rejected.parseError?.kind == .limit && rejected.parseError?.line == 1)
        #expect(ingester.ingest(body: body, contentType: nil, at: 3000, duration: 0.1).up)
        // An OpenMetrics scrape in between leaves no order for the text body after it.
        let om = Array("a{x=\"1\",y=\"2\"} 1\nb 2\n# EOF\n".utf8)
        #expect(ingester.ingest(body: om, contentType: "application/openmetrics-text", at: 4000, duration: 0.1).up)
        let again = ingester.ingest(body: body, contentType: nil, at: 5000, duration: 0.1)
        #expect(again.up && again.seriesAdded == 0 && again.seriesCount == 2)
    }
}
