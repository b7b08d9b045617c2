/// A single label pair.
public struct Label: Hashable, Sendable, Comparable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (a: Label, b: Label) -> Bool {
        a.name != b.name ? a.name < b.name : a.value < b.value
    }
}

/// A label set, always sorted by name with unique names, so that equal sets compare and hash equal.
/// `__name__` is an ordinary label here, as in Prometheus.
public struct Labels: Hashable, Sendable, Sequence, CustomStringConvertible {
    public static let metricName = "__name__"
    public private(set) var pairs: [Label]

    public init() { pairs = [] }

    /// Builds a set from pairs in any order; a later duplicate name wins.
    public init(_ pairs: [Label]) {
        var byName: [String: String] = [:]
        for p in pairs { byName[p.name] = p.value }
        self.pairs = byName.map { Label($0.key, $0.value) }.sorted()
    }

    public init(_ dict: [String: String]) {
        self.pairs = dict.map { Label($0.key, $0.value) }.sorted()
    }

    /// Builds a set from pairs already sorted by name and unique (not checked in release builds).
    public init(sortedUnique pairs: [Label]) {
        assert(zip(pairs, pairs.dropFirst()).allSatisfy { $0.name < $1.name })
        self.pairs = pairs
    }

    /// Inlined where label sets are compared (PromQL compares hundreds a refresh): the synthesised
    /// == was a call into this module, and passing two label sets to it retained and released both.
    /// The array comparison sees the store's shared buffers first.
    @inlinable public static func == (a: Labels, b: Labels) -> Bool { a.pairs == b.pairs }

    public func makeIterator() -> IndexingIterator<[Label]> { pairs.makeIterator() }
    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    public subscript(name: String) -> String? {
        pairs.first(where: { $0.name == name })?.value
    }

    public var name: String? { self[Labels.metricName] }

    /// Sets a label; an empty value removes it, as in Prometheus.
    public mutating func set(_ name: String, _ value: String) {
        if let i = pairs.firstIndex(where: { $0.name == name }) {
            if value.isEmpty { pairs.remove(at: i) } else { pairs[i].value = value }
        } else if !value.isEmpty {
            let at = pairs.firstIndex(where: { $0.name > name }) ?? pairs.endIndex
            pairs.insert(Label(name, value), at: at)
        }
    }

    public func setting(_ name: String, _ value: String) -> Labels {
        var copy = self
        copy.set(name, value)
        return copy
    }

    public func removing(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: pairs.filter { !names.contains($0.name) })
    }

    public func keeping(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: pairs.filter { names.contains($0.name) })
    }

    public func withoutName() -> Labels { removing([Labels.metricName]) }

    /// Prometheus' text form: `name{a="b", c="d"}` (values escaped).
    public var description: String {
        var out = name ?? ""
        let rest = pairs.filter { $0.name != Labels.metricName }
        if rest.isEmpty && !out.isEmpty { return out }
        out += "{"
        out += rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ")
        out += "}"
        return out
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
