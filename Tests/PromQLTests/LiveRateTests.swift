import MetricsCore
@testable import PromQL
import SeriesStore
import Testing

/// `rate` and `increase` as the live dashboard asks them: after each scrape, over the minute just
/// appended, so the product's store serves them from its recent windows and says which hold no
/// counter reset (`SeriesWindow.mayDecrease`). The answers must be the plain storage's, bit for bit,
/// with resets, staleness markers between falling samples, and NaNs.
@Suite struct LiveRateTests {
    @Test func ratesOfRecentWindowsMatchThePlainStorage() throws {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        var plain = MemoryStorage()
        let queries = try ["rate(c_total[1m])", "increase(c_total[30s])", "rate(c_total[2m] offset 10s)", "resets(c_total[1m])"]
            .map { try PromQLParser.parse($0) }
        var checked = 0
        for t in 1...400 {
            let now = Int64(t) * 1000
            for k in 0..<4 {
                // A counter that resets every 97 s (series 1 every 13 s), a staleness marker before a
                // fall in series 2, a NaN in series 3.
                let period = k == 1 ? 13 : 97
                var v = Double((t % period) * (k + 2))
                if k == 2 && t % 50 == 49 { v = StaleNaN.value }
                if k == 3 && t % 71 == 0 { v = .nan }
                let labels = Labels(["__name__": "c_total", "k": "\(k)"])
                store.append(labels, Sample(t: now, v: v))
                plain.add(labels, [Sample(t: now, v: v)])
            }
            guard t >= 30 else { continue }
            for q in queries {
                let live = try Engine(storage: store).instant(q, at: now)
                let expected = try Engine(storage: plain).instant(q, at: now)
                #expect(Self.bits(live.value) == Self.bits(expected.value), "\(q) at t=\(t)")
                checked += 1
            }
        }
        #expect(checked == 371 * 4)
        // Some windows were known to hold no reset (the 13 s counter's always holds one).
        let flags = store.selectWindows([try LabelMatcher(.equal, "__name__", "c_total")], mint: 388_001, maxt: 400_000)
            .map(\.mayDecrease)
        #expect(flags.contains(false) && flags.contains(true))
    }

    static func bits(_ value: QueryValue) -> [String] {
        guard case .vector(let v) = value else { return ["\(value)"] }
        return v.map { "\($0.labels) \($0.sample.t) \($0.sample.v.bitPattern)" }.sorted()
    }
}
