import Foundation
import MetricsCore
import SeriesStore

/// Reads a recording back: the samples into a MemoryStore, the sidecar's start event (interval,
/// layouts) and alert transitions. A torn tail (a crash in the middle of a chunk) is tolerated: an
/// unfinished last line and a missing `# EOF` are ignored, so a killed recording replays up to its
/// last whole scrape.
public struct Recording: Sendable {
    public var path: String
    public var store: MemoryStore
    public var samples: Int
    public var firstMs: Int64
    public var lastMs: Int64
    public var intervalMs: Int64?
    public var layouts: [String]
    public var source: String?
    /// `(time ms, alert name, state)` in the order recorded.
    public var alertTransitions: [(t: Int64, alert: String, state: String)]

    /// Reads FILE and FILE.events.jsonl (the sidecar is optional). Bounded by `maxBytes`.
    public static func read(path: String, maxBytes: Int64 = 4 << 30) throws(RecordingError) -> Recording {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw .unreadable(path, reason: "no such file")
        }
        guard size <= maxBytes else { throw .unreadable(path, reason: "larger than \(maxBytes) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path, reason: "cannot read") }
        let store = MemoryStore(options: StoreOptions(retention: nil))
        var batch: [InstantSample] = []
        var count = 0, first = Int64.max, last = Int64.min
        var lineNumber = 0
        var badLine: Int?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { break }   // torn tail
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                if line.isEmpty || line[0] == UInt8(ascii: "#") { continue }
                guard let sample = RecordingLineParser.parse(line) else {
                    badLine = lineNumber
                    return
                }
                batch.append(sample)
                count += 1
                first = min(first, sample.sample.t)
                last = max(last, sample.sample.t)
                if batch.count >= 4096 {
                    store.appendBatch(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if let badLine { throw .unreadable(path, reason: "line \(badLine): not a recorded sample") }
        store.appendBatch(batch)
        guard count > 0 else { throw .unreadable(path, reason: "holds no samples") }
        var recording = Recording(path: path, store: store, samples: count, firstMs: first, lastMs: last,
                                  intervalMs: nil, layouts: [], source: nil, alertTransitions: [])
        recording.readEvents(RecordingWriter.eventsPath(for: path))
        return recording
    }

    private mutating func readEvents(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        for line in data.split(separator: UInt8(ascii: "\n")).prefix(1_000_000) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let event = object["event"] as? String else { continue }
            let t = (object["t"] as? NSNumber)?.int64Value ?? 0
            switch event {
            case "start":
                intervalMs = (object["interval_ms"] as? NSNumber)?.int64Value
                layouts = object["layouts"] as? [String] ?? []
                source = object["source"] as? String
            case "alert":
                if let name = object["alert"] as? String, let state = object["state"] as? String {
                    alertTransitions.append((t, name, state))
                }
            default: break
            }
        }
    }
}

/// One line as RecordingWriter writes it: `name{l="v",...} value seconds`.
enum RecordingLineParser {
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> InstantSample? {
        var i = 0
        func isNameByte(_ b: UInt8) -> Bool { b != UInt8(ascii: "{") && b != UInt8(ascii: " ") }
        while i < line.count && isNameByte(line[i]) { i += 1 }
        guard i > 0, i < line.count else { return nil }
        var pairs = [Label(Labels.metricName, String(decoding: UnsafeBufferPointer(rebasing: line[0..<i]), as: UTF8.self))]
        if line[i] == UInt8(ascii: "{") {
            i += 1
            while i < line.count && line[i] != UInt8(ascii: "}") {
                let nameStart = i
                while i < line.count && line[i] != UInt8(ascii: "=") { i += 1 }
                guard i + 1 < line.count, line[i + 1] == UInt8(ascii: "\"") else { return nil }
                let name = String(decoding: UnsafeBufferPointer(rebasing: line[nameStart..<i]), as: UTF8.self)
                i += 2
                var value: [UInt8] = []
                while i < line.count && line[i] != UInt8(ascii: "\"") {
                    if line[i] == UInt8(ascii: "\\"), i + 1 < line.count {
                        i += 1
                        value.append(line[i] == UInt8(ascii: "n") ? UInt8(ascii: "\n") : line[i])
                    } else {
                        value.append(line[i])
                    }
                    i += 1
                }
                guard i < line.count else { return nil }
                pairs.append(Label(name, String(decoding: value, as: UTF8.self)))
                i += 1
                if i < line.count && line[i] == UInt8(ascii: ",") { i += 1 }
            }
            guard i < line.count else { return nil }
            i += 1
        }
        let rest = String(decoding: UnsafeBufferPointer(rebasing: line[i...]), as: UTF8.self)
        let fields = rest.split(separator: " ")
        guard fields.count == 2, let seconds = Double(fields[1]) else { return nil }
        let value: Double
        switch fields[0] {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default:
            guard let v = Double(fields[0]) else { return nil }
            value = v
        }
        return InstantSample(labels: Labels(pairs), sample: Sample(t: Int64((seconds * 1000).rounded()), v: value))
    }
}
