import Foundation
import MetricsCore
import Synchronization
import Testing
@testable import SeriesStore

/// A pathological pattern from a layout must not stall scrapes: the store matches regular
/// expressions with its lock released.
@Suite struct SlowMatcherTests {
    /// A label value on which `(a|a)*b` backtracks exponentially, long enough that one match takes
    /// at least `atLeast` seconds on this machine (calibrated, so the test holds on fast and slow CPUs).
    func slowValue(_ matcher: LabelMatcher, atLeast: Double) -> (value: String, seconds: Double) {
        var n = 12
        while true {
            let value = String(repeating: "a", count: n) + "!"
            let start = Date()
            _ = matcher.matches(value)
            let took = Date().timeIntervalSince(start)
            if took >= atLeast || n >= 40 { return (value, took) }
            n += took < atLeast / 16 ? 2 : 1
        }
    }

    @Test func aSlowPatternDoesNotBlockAnIngest() throws {
        let slow = try LabelMatcher(.regexMatch, "path", "(a|a)*b")
        let (victim, seconds) = slowValue(slow, atLeast: 0.4)
        try #require(seconds >= 0.4, "the pattern must be slow here for the test to mean anything")

        let store = MemoryStore(options: .unbounded)
        store.append(Labels(["__name__": "m", "path": victim]), Sample(t: 1, v: 1))
        store.append(Labels(["__name__": "m", "path": "b"]), Sample(t: 1, v: 2))

        let finished = Mutex<[SeriesSamples]?>(nil)
        let started = Mutex(false)
        let thread = Thread {
            started.withLock { $0 = true }
            let r = store.select([slow], mint: 0, maxt: 10)
            finished.withLock { $0 = r }
        }
        thread.start()
        while !started.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.005) }
        Thread.sleep(forTimeInterval: 0.05)   // the query is now inside the slow match

        let start = Date()
        for t in 2...101 { store.append(Labels(["__name__": "ingested", "n": "1"]), Sample(t: Timestamp(t), v: 1)) }
        let appendSeconds = Date().timeIntervalSince(start)
        let stillMatching = finished.withLock { $0 == nil }

        // The writer went through while the query was still matching.
        #expect(stillMatching, "the match took \(seconds) s in calibration")
        #expect(appendSeconds < seconds / 4, "100 appends took \(appendSeconds) s beside a \(seconds) s match")

        var result: [SeriesSamples]?
        while result == nil {
            Thread.sleep(forTimeInterval: 0.02)
            result = finished.withLock { $0 }
        }
        #expect(result == [SeriesSamples(labels: Labels(["__name__": "m", "path": "b"]), samples: [Sample(t: 1, v: 2)])])
        #expect(store.select([try LabelMatcher(.equal, "__name__", "ingested")], mint: 0, maxt: 200).first?.samples.count == 100)
    }

    @Test func labelValuesMatchOutsideTheLockToo() throws {
        let store = MemoryStore(options: .unbounded)
        for (i, v) in ["api", "api2", "web", "apix"].enumerated() {
            store.append(Labels(["__name__": "m", "svc": v, "i": "\(i)"]), Sample(t: 1, v: 1))
        }
        let re = try LabelMatcher(.regexMatch, "svc", "api.?")
        #expect(store.labelValues("i", matching: [re]) == ["0", "1", "3"])
        let notRe = try LabelMatcher(.regexNoMatch, "svc", "api.*")
        #expect(store.labelValues("svc", matching: [notRe]) == ["web"])
        // A regex that accepts the empty string also selects series without the label.
        store.append(Labels(["__name__": "n"]), Sample(t: 1, v: 1))
        let maybe = try LabelMatcher(.regexMatch, "svc", "web|")
        #expect(store.labelValues("__name__", matching: [maybe]) == ["m", "n"])
    }
}
