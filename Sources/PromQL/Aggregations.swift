import Foundation
import MetricsCore

extension Evaluator {
    mutating func evalAggregate(_ a: AggregateExpr) throws(PromQLEvalError) -> StepValue {
        var params: [Double] = []
        var labelParam = ""
        if let p = a.param {
            switch try eval(p) {
            case .scalar(let xs): params = xs
            case .string(let s): labelParam = s
            default: throw PromQLEvalError("invalid parameter for \(a.op.rawValue)")
            }
        }
        if [.topk, .bottomk, .limitk].contains(a.op), params.contains(where: \.isNaN) {
            throw PromQLEvalError("Parameter value is NaN")
        }
        if a.op == .limitRatio, params.contains(where: \.isNaN) { throw PromQLEvalError("Ratio value is NaN") }
        if a.op == .quantile, let p = a.param { warnInvalidQuantiles(params, p.position) }
        let input = try evalVector(a.expr)
        if a.op == .countValues, !isValidLabelName(labelParam) {
            throw PromQLEvalError("invalid label name \(StringLiteral.quote(labelParam))")
        }
        // Group ids are computed once per series, so each step only works with integers.
        let (groupOf, groupKeys) = memo?.memo.groupings.groups(input, grouping: a.grouping, without: a.without)
            ?? Evaluator.groups(input, grouping: a.grouping, without: a.without)
        var asm = SeriesAssembler(steps: grid.count)
        // Each step's members, grouped in one flat list of input indices (a counting sort): group g's
        // members are `flat[start[g]..<start[g] + count[g]]`, in input order. Integers only, made
        // once and reused at every step: a list per group, and each series copied out of the input
        // as it was enumerated, cost a retain and release per series and step.
        let groupCount = groupKeys.count
        var count = [Int](repeating: 0, count: groupCount)
        var start = [Int](repeating: 0, count: groupCount)
        var flat = [Int](repeating: 0, count: input.count)
        // -1: no output series yet (an array of optionals is made through the unspecialised path).
        var slots = [Int](repeating: -1, count: groupCount)
        var order: [Int] = []
        order.reserveCapacity(groupCount)
        var values: [Double] = []
        values.reserveCapacity(input.count)
        for i in 0..<grid.count {
            // Groups in order of first appearance at this step, members in input order.
            order.removeAll(keepingCapacity: true)
            for g in 0..<groupCount { count[g] = 0 }
            for k in input.indices where input[k].values[i] != nil {
                let g = groupOf[k]
                if count[g] == 0 { order.append(g) }
                count[g] += 1
            }
            if order.isEmpty { continue }
            var next = 0
            for g in order {
                start[g] = next
                next += count[g]
                count[g] = 0
            }
            for k in input.indices where input[k].values[i] != nil {
                let g = groupOf[k]
                flat[start[g] + count[g]] = k
                count[g] += 1
            }
            let param = params.isEmpty ? 0 : params[i]
            for g in order {
                let key = groupKeys[g]
                let idx = start[g]..<(start[g] + count[g])
                values.removeAll(keepingCapacity: true)
                var dropName = false
                for m in idx {
                    values.append(input[flat[m]].values[i]!)
                    if input[flat[m]].dropName { dropName = true }
                }
                switch a.op {
                case .topk, .bottomk, .limitk, .limitRatio:
                    let picked = try selectK(a.op, param, idx.map { (k: flat[$0], v: input[flat[$0]].values[i]!) }) { input[$0].labels }
                    for k in picked {
                        try asm.add(input[k].labels, input[k].values[i]!, dropName: input[k].dropName, step: i)
                    }
                case .countValues:
                    var counts: [String: Int] = [:]
                    var seen: [String] = []
                    for v in values {
                        let text = PromMath.formatValue(v)
                        if counts[text] == nil { seen.append(text) }
                        counts[text, default: 0] += 1
                    }
                    for text in seen {
                        try asm.add(key.setting(labelParam, text), Double(counts[text] ?? 0), dropName: false, step: i)
                    }
                default:
                    // Group keys are unique, so each group's output series is made once, without hashing.
                    if slots[g] < 0 { slots[g] = asm.appendUnique(key) }
                    let slot = slots[g]
                    try asm.set(slot: slot, Evaluator.aggregateValue(a.op, values, param: param), dropName: dropName, step: i)
                }
            }
        }
        return .vector(asm.series)
    }

    /// Each input series' group (ids in order of first appearance) and each group's label set.
    /// `by` groups are found from the grouped labels' values alone (no label set is built or hashed
    /// per series, only per group); `without` removes the names from each series' labels.
    static func groups(_ input: [StepSeries], grouping: [String], without: Bool) -> (groupOf: [Int], keys: [Labels]) {
        var groupOf: [Int] = []
        groupOf.reserveCapacity(input.count)
        var groupKeys: [Labels] = []
        if without {
            let dropped = Set(grouping).union(Evaluator.reservedLabels)
            var idOfKey: [Labels: Int] = [:]
            for s in input {
                let key = s.labels.removing(dropped)
                if let id = idOfKey[key] { groupOf.append(id) } else {
                    idOfKey[key] = groupKeys.count
                    groupOf.append(groupKeys.count)
                    groupKeys.append(key)
                }
            }
            return (groupOf, groupKeys)
        }
        // Sorted like a label set's pairs; a name given twice counts once.
        let names = Array(Set(grouping)).sorted()
        if names.isEmpty {
            return (Array(repeating: 0, count: input.count), input.isEmpty ? [] : [Labels()])
        }
        var table = GroupTable(expected: input.count)
        var values = [String?](repeating: nil, count: names.count)
        for s in input {
            // A label missing and present are different groups, as with the label sets themselves.
            for k in names.indices { values[k] = nil }
            var k = 0
            for pair in s.labels.pairs {
                while k < names.count, names[k] < pair.name { k += 1 }
                if k == names.count { break }
                if names[k] == pair.name { values[k] = pair.value }
            }
            let (id, isNew) = table.id(of: values)
            groupOf.append(id)
            if isNew {
                // The group's labels: the grouped names that are present, already in label order.
                var pairs: [Label] = []
                for k in names.indices { if let v = values[k] { pairs.append(Label(names[k], v)) } }
                groupKeys.append(Labels(sortedUnique: pairs))
            }
        }
        return (groupOf, groupKeys)
    }

    /// Group ids by the grouped labels' values: an open-addressing table over an FNV-1a hash of
    /// the values (cheaper than hashing an array of strings with `Hasher` for every series).
    struct GroupTable {
        private var slots: [Int32]
        private var mask: Int
        private(set) var values: [[String?]] = []
        private var hashes: [UInt64] = []

        init(expected: Int) {
            var size = 16
            while size < expected * 2 { size <<= 1 }
            slots = [Int32](repeating: -1, count: size)
            mask = size - 1
        }

        /// The id of these values, made (and `isNew`) on first sight.
        mutating func id(of key: [String?]) -> (id: Int, isNew: Bool) {
            let h = Self.hash(key)
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 {
                let id = Int(slots[i])
                if hashes[id] == h, values[id] == key { return (id, false) }
                i = (i + 1) & mask
            }
            let id = values.count
            slots[i] = Int32(id)
            values.append(key)
            hashes.append(h)
            if values.count * 2 > slots.count { grow() }
            return (id, true)
        }

        private mutating func grow() {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            mask = slots.count - 1
            for (id, h) in hashes.enumerated() {
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                slots[i] = Int32(id)
            }
        }

        static func hash(_ key: [String?]) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for v in key {
                if let v {
                    for b in v.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                    h = (h ^ 0xff) &* 0x100_0000_01b3
                } else {
                    h = (h ^ 0xfe) &* 0x100_0000_01b3
                }
            }
            // Spread the high bits into the low ones the mask keeps.
            return h ^ (h >> 29)
        }
    }

    static func aggregateValue(_ op: AggregateOp, _ values: [Double], param: Double) -> Double {
        switch op {
        case .sum: return PromMath.sum(values)
        case .avg: return PromMath.mean(values)
        case .count: return Double(values.count)
        case .group: return 1
        case .max:
            var m = values[0]
            for f in values.dropFirst() where m < f || m.isNaN { m = f }
            return m
        case .min:
            var m = values[0]
            for f in values.dropFirst() where m > f || m.isNaN { m = f }
            return m
        case .stddev, .stdvar:
            var count = 0.0, mean = 0.0, acc = 0.0
            for f in values {
                count += 1
                let delta = f - mean
                mean += delta / count
                acc += delta * (f - mean)
            }
            return op == .stdvar ? acc / count : (acc / count).squareRoot()
        case .quantile: return PromMath.quantile(param, values)
        default: return .nan
        }
    }

    /// topk/bottomk: the k largest (smallest) in descending (ascending) order; NaN ranks last.
    private func selectK(
        _ op: AggregateOp, _ param: Double, _ items: [(k: Int, v: Double)], labels input: (Int) -> Labels
    ) throws(PromQLEvalError) -> [Int] {
        switch op {
        case .topk, .bottomk, .limitk:
            if param.isNaN { throw PromQLEvalError("Parameter value is NaN") }
            guard param >= 1 else { return [] }
            let k = param >= Double(items.count) ? items.count : Int(param)
            if op == .limitk { return Array(items.prefix(k).map(\.k)) }
            let top = op == .topk
            let sorted = items.enumerated().sorted { x, y in
                let a = x.element.v, b = y.element.v
                if a.isNaN != b.isNaN { return b.isNaN }
                if a != b, !a.isNaN { return top ? a > b : a < b }
                return x.offset < y.offset
            }
            return sorted.prefix(k).map(\.element.k)
        default:
            if param.isNaN { throw PromQLEvalError("Ratio value is NaN") }
            // Deterministic sampling by label hash: limit_ratio(r) and limit_ratio(r - 1) are complements.
            let r = Swift.max(-1, Swift.min(1, param))
            return items.compactMap { item in
                let offset = Double(Evaluator.stableHash(input(item.k))) / Double(UInt64.max)
                return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r) ? item.k : nil
            }
        }
    }

    /// FNV-1a over the label pairs: stable across runs and machines (unlike Hasher).
    static func stableHash(_ labels: Labels) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in labels.pairs {
            for b in p.name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
            for b in p.value.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xfe) &* 0x100_0000_01b3
        }
        return h
    }

    func isValidLabelName(_ s: String) -> Bool {
        !s.isEmpty && !s.unicodeScalars.contains("\u{FFFD}")
    }
}
