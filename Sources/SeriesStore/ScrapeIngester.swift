import Exposition
import Foundation
import MetricsCore

/// What one scrape did to the store.
public struct ScrapeSummary: Hashable, Sendable {
    public var up: Bool
    /// Samples in the body (what `scrape_samples_scraped` reports).
    public var samplesScraped: Int
    /// Distinct series this scrape wrote (without the synthetic ones).
    public var seriesCount: Int
    /// Series not present in the previous scrape.
    public var seriesAdded: Int
    /// Staleness markers written for series that disappeared.
    public var staleMarkers: Int
    /// Why the body was rejected, when `ingest(body:contentType:…)` was given a malformed one.
    public var parseError: ExpositionError?

    public init(up: Bool, samplesScraped: Int = 0, seriesCount: Int = 0, seriesAdded: Int = 0, staleMarkers: Int = 0,
                parseError: ExpositionError? = nil) {
        self.up = up
        self.samplesScraped = samplesScraped
        self.seriesCount = seriesCount
        self.seriesAdded = seriesAdded
        self.staleMarkers = staleMarkers
        self.parseError = parseError
    }
}

/// Prometheus' scrape semantics for one target, independent of any network code: attaches the
/// target's labels (honor_labels: false, so clashing labels become `exported_<name>`), writes the
/// synthetic `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
/// `scrape_samples_post_metric_relabeling` and `scrape_series_added`, and writes staleness markers
/// for series that vanished since the previous scrape, or for all of them when the scrape failed.
public final class ScrapeIngester: @unchecked Sendable {
    /// `job`, `instance` and any other target labels, attached to every sample.
    public let targetLabels: Labels
    private let appender: any SampleAppender
    private let lock = NSLock()
    // Guarded by `lock`: the series (without explicit timestamps) written by the previous scrape.
    private var previous: Set<Labels> = []

    public init(targetLabels: Labels, appender: any SampleAppender) {
        self.targetLabels = targetLabels
        self.appender = appender
    }

    public convenience init(job: String, instance: String, appender: any SampleAppender) {
        self.init(targetLabels: Labels(["job": job, "instance": instance]), appender: appender)
    }

    /// A successful scrape: `duration` in seconds, `time` the scrape's timestamp (milliseconds).
    @discardableResult
    public func ingest(_ scrape: ParsedScrape, at time: Timestamp, duration: Double) -> ScrapeSummary {
        lock.lock()
        defer { lock.unlock() }
        var batch: [InstantSample] = []
        batch.reserveCapacity(scrape.samples.count + 5)
        var current: Set<Labels> = []
        current.reserveCapacity(scrape.samples.count)
        var timestamped: Set<Labels> = []
        for s in scrape.samples {
            let labels = attachTargetLabels(s.labels)
            if let t = s.timestamp {
                // Samples with their own timestamp are not tracked for staleness (as in Prometheus).
                timestamped.insert(labels)
                batch.append(InstantSample(labels: labels, sample: Sample(t: t, v: s.value)))
            } else {
                current.insert(labels)
                batch.append(InstantSample(labels: labels, sample: Sample(t: time, v: s.value)))
            }
        }
        var stale = 0
        for gone in previous where !current.contains(gone) {
            batch.append(InstantSample(labels: gone, sample: Sample(t: time, v: StaleNaN.value)))
            stale += 1
        }
        let added = current.subtracting(previous).count
        previous = current
        let summary = ScrapeSummary(
            up: true, samplesScraped: scrape.samples.count, seriesCount: current.union(timestamped).count,
            seriesAdded: added, staleMarkers: stale)
        appendReport(&batch, summary, at: time, duration: duration)
        write(batch)
        return summary
    }

    /// Parses a response body (format from its Content-Type) and ingests it; a malformed body
    /// counts as a failed scrape, as in Prometheus, and its error is in `parseError`.
    @discardableResult
    public func ingest<Bytes: Collection<UInt8>>(
        body: Bytes, contentType: String?, at time: Timestamp, duration: Double,
        limits: ExpositionLimits = .default
    ) -> ScrapeSummary {
        do throws(ExpositionError) {
            let scrape = try Exposition.parse(body, format: ExpositionFormat(contentType: contentType), limits: limits)
            return ingest(scrape, at: time, duration: duration)
        } catch {
            var summary = ingestFailure(at: time, duration: duration)
            summary.parseError = error
            return summary
        }
    }

    /// A failed scrape (network error, bad status, parse error): `up` 0 and every series stale.
    @discardableResult
    public func ingestFailure(at time: Timestamp, duration: Double) -> ScrapeSummary {
        lock.lock()
        defer { lock.unlock() }
        var batch: [InstantSample] = []
        for gone in previous {
            batch.append(InstantSample(labels: gone, sample: Sample(t: time, v: StaleNaN.value)))
        }
        let summary = ScrapeSummary(up: false, staleMarkers: previous.count)
        previous = []
        appendReport(&batch, summary, at: time, duration: duration)
        write(batch)
        return summary
    }

    /// The target went away: every series it wrote, the synthetic ones included, becomes stale.
    public func markTargetGone(at time: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        var batch: [InstantSample] = []
        for labels in previous { batch.append(InstantSample(labels: labels, sample: Sample(t: time, v: StaleNaN.value))) }
        for name in Self.reportNames {
            batch.append(InstantSample(labels: reportLabels(name), sample: Sample(t: time, v: StaleNaN.value)))
        }
        previous = []
        write(batch)
    }

    static let reportNames = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ]

    private func reportLabels(_ name: String) -> Labels { targetLabels.setting(Labels.metricName, name) }

    private func appendReport(_ batch: inout [InstantSample], _ s: ScrapeSummary, at time: Timestamp, duration: Double) {
        let values: [Double] = [
            s.up ? 1 : 0, duration, Double(s.samplesScraped), Double(s.samplesScraped), Double(s.seriesAdded),
        ]
        for (name, v) in zip(Self.reportNames, values) {
            batch.append(InstantSample(labels: reportLabels(name), sample: Sample(t: time, v: v)))
        }
    }

    private func write(_ batch: [InstantSample]) {
        if let batching = appender as? any BatchSampleAppender {
            batching.appendBatch(batch)
        } else {
            for s in batch { appender.append(s.labels, s.sample) }
        }
    }

    /// honor_labels: false. A scraped label that clashes with a target label is kept as
    /// `exported_<name>` (more `exported_` prefixes while that is taken too).
    func attachTargetLabels(_ labels: Labels) -> Labels {
        var clash = false
        for t in targetLabels where labels[t.name] != nil { clash = true; break }
        if !clash {
            // Both sorted: merge without re-sorting.
            var out: [Label] = []
            out.reserveCapacity(labels.count + targetLabels.count)
            var a = labels.pairs[...]
            var b = targetLabels.pairs[...]
            while let x = a.first, let y = b.first {
                if x.name < y.name { out.append(x); a = a.dropFirst() } else { out.append(y); b = b.dropFirst() }
            }
            out.append(contentsOf: a)
            out.append(contentsOf: b)
            return Labels(sortedUnique: out)
        }
        var result = labels
        for t in targetLabels {
            if let existing = result[t.name] {
                var exported = "exported_" + t.name
                while result[exported] != nil { exported = "exported_" + exported }
                result.set(exported, existing)
            }
            result.set(t.name, t.value)
        }
        return result
    }

    /// Series without their own timestamps written by the last successful scrape (those tracked
    /// for staleness).
    public var lastSeriesCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return previous.count
    }
}
