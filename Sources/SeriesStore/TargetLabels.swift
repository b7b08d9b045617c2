import MetricsCore

/// A target's labels (`job`, `instance`, …) added to a scraped series, as Prometheus does with
/// honor_labels: false: a scraped label that clashes with a target label is kept as
/// `exported_<name>` (more `exported_` prefixes while that name is taken too); a target label with
/// an empty value removes the label. Runs once per new series: a federated or pushed body, where
/// every series has its own `job` and `instance`, clashes on every line, so the names it needs are
/// made once per target rather than once per series.
struct TargetLabels: Sendable {
    let labels: Labels
    /// `exported_<name>` for each target label, in the same order.
    private let exported: [String]

    init(_ labels: Labels) {
        self.labels = labels
        exported = labels.pairs.map { "exported_" + $0.name }
    }

    func attach(to scraped: Labels) -> Labels {
        for t in labels.pairs where Self.index(of: t.name, in: scraped.pairs) != nil { return renaming(scraped) }
        return merged(scraped)
    }

    /// No clash: both are sorted, so a merge puts them in order without comparing all pairs.
    private func merged(_ scraped: Labels) -> Labels {
        var out: [Label] = []
        out.reserveCapacity(scraped.count + labels.count)
        var a = scraped.pairs[...]
        var b = labels.pairs[...]
        while let x = a.first, let y = b.first {
            if x.name < y.name {
                out.append(x)
                a = a.dropFirst()
            } else {
                if !y.value.isEmpty { out.append(y) }
                b = b.dropFirst()
            }
        }
        out.append(contentsOf: a)
        for y in b where !y.value.isEmpty { out.append(y) }
        return Labels(sortedUnique: out)
    }

    /// Clashes: the target labels are applied one after another, as Prometheus applies them, on a
    /// plain array where labels are found by equal names (cheap), and only at the end are the few
    /// added labels put in order: keeping the array sorted at every step compared and shifted
    /// strings for each one.
    private func renaming(_ scraped: Labels) -> Labels {
        var out: [Label] = []
        out.reserveCapacity(scraped.count + 2 * labels.count)
        out.append(contentsOf: scraped.pairs)
        for (k, t) in labels.pairs.enumerated() {
            guard let i = Self.index(of: t.name, in: out) else {
                if !t.value.isEmpty { out.append(t) }
                continue
            }
            var name = exported[k]
            while Self.index(of: name, in: out) != nil { name = "exported_" + name }
            let existing = out[i].value
            if t.value.isEmpty { out.remove(at: i) } else { out[i].value = t.value }
            out.append(Label(name, existing))
        }
        // Sorted but for the few labels appended at the end (a removal keeps the order): an
        // insertion sort makes one comparison for each label already in place.
        for i in out.indices.dropFirst() {
            let moving = out[i]
            var j = i
            while j > 0, moving.name < out[j - 1].name {
                out[j] = out[j - 1]
                j -= 1
            }
            out[j] = moving
        }
        return Labels(sortedUnique: out)
    }

    /// Where a label named `name` is: names of another length are passed over without comparing
    /// their text, which is most of them.
    private static func index(of name: String, in pairs: [Label]) -> Int? {
        let length = name.utf8.count
        return pairs.firstIndex { $0.name.utf8.count == length && $0.name == name }
    }
}
