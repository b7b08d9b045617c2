import MetricsCore
import Synchronization

/// The groups of an aggregation's input, kept from the last evaluation with the same grouping: a
/// dashboard aggregates the same series every refresh (`sum by (le) (rate(…))` over the same 432
/// bucket series), and comparing label sets the store shares is much cheaper than grouping them
/// again. An entry is used only when the input's label sets equal the ones it was computed from,
/// in order, so the answer is always that of `Evaluator.groups`.
final class GroupingCache: Sendable {
    struct Key: Hashable {
        var grouping: [String]
        var without: Bool
    }

    private struct Entry {
        var labels: [Labels]
        var groupOf: [Int]
        var keys: [Labels]
    }

    private struct HistogramEntry {
        var labels: [Labels]
        var groups: Evaluator.BucketGroups
    }

    /// `Evaluator.bucketGroups` of the last inputs (the same sums of buckets every refresh).
    private let histogramEntries = Mutex<[HistogramEntry]>([])

    func histograms(_ input: [StepSeries]) -> Evaluator.BucketGroups {
        let kept = histogramEntries.withLock { entries in entries.first { Self.same($0.labels, input) } }
        if let kept { return kept.groups }
        let groups = Evaluator.bucketGroups(input)
        let entry = HistogramEntry(labels: input.map(\.labels), groups: groups)
        histogramEntries.withLock {
            if $0.count >= Self.maxEntries { $0.removeFirst() }
            $0.append(entry)
        }
        return groups
    }

    /// Distinct groupings kept at most (a layout has a handful); past it the cache starts again.
    static let maxEntries = 32
    private let entries = Mutex<[Key: Entry]>([:])

    func groups(_ input: [StepSeries], grouping: [String], without: Bool) -> (groupOf: [Int], keys: [Labels]) {
        let key = Key(grouping: grouping, without: without)
        if let kept = entries.withLock({ $0[key] }), Self.same(kept.labels, input) {
            return (kept.groupOf, kept.keys)
        }
        let computed = Evaluator.groups(input, grouping: grouping, without: without)
        let entry = Entry(labels: input.map(\.labels), groupOf: computed.groupOf, keys: computed.keys)
        entries.withLock {
            if $0.count >= Self.maxEntries { $0.removeAll() }
            $0[key] = entry
        }
        return computed
    }

    /// Whether `input` has exactly the label sets an entry was computed from, in order. Read in place
    /// through the buffers: iterating the arrays copied each label set and series out (a retain and a
    /// release each, for hundreds of series a refresh).
    private static func same(_ labels: [Labels], _ input: [StepSeries]) -> Bool {
        guard labels.count == input.count else { return false }
        return labels.withUnsafeBufferPointer { l in
            input.withUnsafeBufferPointer { s in
                for i in l.indices where l[i] != s[i].labels { return false }
                return true
            }
        }
    }
}
