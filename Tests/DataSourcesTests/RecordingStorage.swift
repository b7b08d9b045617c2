import DataSources
import MetricsCore
import Synchronization

/// A test double for the scrape store: it checks only that a body is UTF-8 text without control
/// characters and counts sample lines, so embedded-source tests exercise scheduling, timeouts and
/// target status without depending on the exposition parser.
final class RecordingStorage: ScrapeStorage {
    struct Record: Hashable { var target: Labels; var up: Bool; var series: Int }
    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func ingest(
        body: [UInt8], contentType: String?, target: Labels, at time: Timestamp, duration: Double, maxSeries: Int
    ) -> Result<Int, ScrapeIngestFailure> {
        guard let text = String(validating: body, as: UTF8.self) else { return .failure(.init("invalid UTF-8")) }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            return .failure(.init("binary data in text exposition"))
        }
        let series = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
        guard series <= maxSeries else { return .failure(.init("more than \(maxSeries) series")) }
        records.withLock { $0.append(Record(target: target, up: true, series: series)) }
        return .success(series)
    }

    func recordFailure(target: Labels, at time: Timestamp, duration: Double) {
        records.withLock { $0.append(Record(target: target, up: false, series: 0)) }
    }

    func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] { [] }
    func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String] { [] }
}
