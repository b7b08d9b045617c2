import MetricsCore

extension LabelBuilder {
    /// The full label set (with `__name__`) of the parser's current sample. Inlined: called out
    /// of line, the whole parser struct was copied for each call (`collect` holds it `inout`).
    @inline(__always)
    mutating func labels(of parser: ExpositionPullParser) -> Labels {
        // What the parser found the same as the previous sample line is taken from the labels made
        // for that line, when they were made (a scrape cache asks only for series it does not know).
        let follows = parser.sampleCount == lastSample + 1
        lastSample = parser.sampleCount
        let p = parser.p
        let sameName = follows && parser.sharesMetricName
        // Kept in the builder, not copied to a local: the copy was a retain and a release of the
        // metric name's String (atomic, as a longer name is on the heap) for every sample, and the
        // swap below does not use the name at all.
        if !sameName {
            lastMetric = caches.string(p, parser.nameStart, parser.nameEnd, escaped: parser.nameQuoted)
        }
        let shared = follows ? parser.sharedLabels : 0
        let ascending = parser.labelsAscending
        let made = parser.labelSpans.withSpans { spans, count -> Labels? in
            // The swap keeps the previous set's `__name__`: only for the same metric name.
            if sameName, let swapped = swappedTail(p, spans, count, shared: shared) { return swapped }
            if ascending { return ascendingLabels(p, spans, count, shared: shared) }
            for i in 0..<count where spans[i].nameQuoted { return nil }
            return sortedByBytes(p, spans, count, shared: shared, ascending: false)
        }
        if let made { return made }
        lastSorted = nil
        return generalLabels(p, parser.labelSpans, lastMetric)
    }

    /// Unquoted names (ASCII, so byte order is String order): the set is put in order on the body's
    /// bytes, without comparing Strings. Nil for an explicit `__name__` label.
    mutating func sortedByBytes(_ p: UnsafePointer<UInt8>, _ spans: UnsafePointer<LabelSpan>, _ count: Int,
                                shared: Int, ascending: Bool) -> Labels? {
        /// A label to place: its name in the body and its span's index.
        struct Pending {
            var nameStart: Int
            var nameEnd: Int
            var index: Int
        }
        return withUnsafeTemporaryAllocation(of: Pending.self, capacity: count + 1) { order -> Labels? in
            var m = 0
            for index in 0..<count {
                let s = spans[index]
                // An empty value means "no such label", as in Prometheus.
                guard s.valueEnd != s.valueStart else { continue }
                if s.nameEnd - s.nameStart == 8 && Self.isMetricNameKey(p + s.nameStart) { return nil }
                order[m] = Pending(nameStart: s.nameStart, nameEnd: s.nameEnd, index: index)
                m += 1
            }
            if !ascending {
                // Label sets are small: an insertion sort beats anything cleverer.
                for i in 1..<Swift.max(m, 1) {
                    let moving = order[i]
                    var j = i
                    while j > 0, Self.less(p, moving.nameStart, moving.nameEnd, order[j - 1].nameStart, order[j - 1].nameEnd) {
                        order[j] = order[j - 1]
                        j -= 1
                    }
                    order[j] = moving
                }
            }
            var nameAt = m
            for k in 0..<m where Self.followsMetricNameKey(p + order[k].nameStart, order[k].nameEnd - order[k].nameStart) {
                nameAt = k
                break
            }
            return assembled(p, spans, count, labels: m, nameAt: nameAt, shared: shared) { order[$0].index }
        }
    }

    /// Names already in increasing byte order (the parser saw that, as it nearly always is): the
    /// labels are made in one pass over the spans, with no order to work out, into an array
    /// literal. Nil for a quoted name or an explicit `__name__` label.
    mutating func ascendingLabels(_ p: UnsafePointer<UInt8>, _ spans: UnsafePointer<LabelSpan>, _ count: Int,
                                  shared: Int) -> Labels? {
        // Where `__name__` goes among the labels; and whether a span is left out.
        var nameAt = count
        var leavesOut = false
        for index in 0..<count {
            let s = spans + index
            if s.pointee.nameQuoted { return nil }
            // An empty value means "no such label", as in Prometheus.
            if s.pointee.valueEnd == s.pointee.valueStart { leavesOut = true; continue }
            // Names ascend: once one sorts after `__name__`, so do the rest (none can be it).
            if nameAt == count {
                let start = s.pointee.nameStart, n = s.pointee.nameEnd - start
                if n == 8 && Self.isMetricNameKey(p + start) { return nil }
                if Self.followsMetricNameKey(p + start, n) { nameAt = index }
            }
        }
        if leavesOut { return sortedByBytes(p, spans, count, shared: shared, ascending: true) }
        return assembled(p, spans, count, labels: count, nameAt: nameAt, shared: shared) { $0 }
    }

    /// The set of `labels` labels in order plus `__name__` at `nameAt`: the label at place `j`
    /// (without `__name__`) is span `spanAt(j)`'s, taken from the previous line's set when that
    /// span is in the prefix it shares with this one. Records where each span went, for the next line.
    @inline(__always)
    private mutating func assembled(_ p: UnsafePointer<UInt8>, _ spans: UnsafePointer<LabelSpan>, _ count: Int,
                                    labels m: Int, nameAt: Int, shared: Int, spanAt: (Int) -> Int) -> Labels {
        // Taken out, not copied: a copy was one more retain and release of the array (atomic).
        let previous = shared > 0 ? lastSorted.take() : nil
        lastPlaces.reserve(count)
        let places = lastPlaces.places
        let caches = self.caches
        let out = LabelArrayLiteral.make(m + 1) { k in
            if k == nameAt { return Label(metricNameKey, lastMetric) }
            let index = spanAt(k < nameAt ? k : k - 1)
            if let previous, index < shared { return previous[places[index]] }
            return caches.label(p, spans[index])
        }
        for j in 0..<m { places[spanAt(j)] = j < nameAt ? j : j + 1 }
        lastSorted = out
        recordTail(p, spans, count, places: places)
        return Labels(sortedUnique: out)
    }

    @inline(__always)
    static func isMetricNameKey(_ p: UnsafePointer<UInt8>) -> Bool {
        let key: StaticString = "__name__"
        let k = key.utf8Start
        for i in 0..<8 where p[i] != k[i] { return false }
        return true
    }

    /// Any names (quoted ones may be anything): sorted as Strings, and an explicit `__name__` label
    /// replaces the metric name, as in Prometheus.
    func generalLabels(_ p: UnsafePointer<UInt8>, _ spans: SpanList, _ metric: String) -> Labels {
        var out: [Label] = [Label(metricNameKey, metric)]
        for s in spans where s.valueEnd != s.valueStart {
            out.append(caches.label(p, s))
        }
        // Label sets are small: an insertion sort beats building a dictionary.
        for i in 1..<out.count {
            var j = i
            while j > 0, out[j - 1].name > out[j].name {
                out.swapAt(j - 1, j)
                j -= 1
            }
        }
        for i in 1..<out.count where out[i - 1].name == out[i].name {
            return Labels(out)  // an explicit __name__ label: let the later one win
        }
        return Labels(sortedUnique: out)
    }
}
