import MetricsCore

/// A vector-vector operation evaluated step by step, as Prometheus' VectorBinop and set operators.
/// Everything that depends only on the series (match signatures, result labels, output slots) is
/// computed once per query, so each step only compares small integers.
struct VectorMatcher {
    private let b: BinaryExpr
    private let m: VectorMatching
    private let l: [StepSeries]
    private let r: [StepSeries]
    private let steps: Int
    /// Signature id of each series, and the signature labels of each id.
    private let lsig: [Int]
    private let rsig: [Int]
    private let sigLabels: [Labels]
    private var asm: SeriesAssembler
    // Output slots cached per series (set operators) or per matched pair (arithmetic, comparisons).
    private var lSlot: [Int?]
    private var rSlot: [Int?]
    private var pairSlot: [Int: Int] = [:]
    private var fillSlot: [Int: Int] = [:]
    // Per-step marks: "step number when last set", so nothing needs clearing between steps.
    private var leftMark: [Int]
    private var rightMark: [Int]
    private var oneAt: [Int]
    private var matchedMark: [Int]
    private var slotMark: [Int] = []
    private var usedOneMark: [Int]

    init(_ b: BinaryExpr, _ l: [StepSeries], _ r: [StepSeries], steps: Int) {
        self.b = b
        let m = b.matching ?? VectorMatching(
            cardinality: b.op.isSetOperator ? .manyToMany : .oneToOne, on: false, labels: [], include: [])
        self.m = m
        self.l = l
        self.r = r
        self.steps = steps
        asm = SeriesAssembler(steps: steps)
        lSlot = [Int?](repeating: nil, count: l.count)
        rSlot = [Int?](repeating: nil, count: r.count)
        let matchSet = Set(m.labels)
        // Set operators ignore all metadata labels; arithmetic and comparisons only the name.
        let metadata = b.op.isSetOperator ? Evaluator.reservedLabels : Evaluator.nameLabel
        let ignored = matchSet.isEmpty ? metadata : matchSet.union(metadata)
        // Few series (the usual case) are compared with the signatures so far; many are hashed.
        let hashed = l.count + r.count > SeriesAssembler.linearLimit
        var ids: [Labels: Int] = [:]
        if hashed { ids.reserveCapacity(l.count + r.count) }
        var sigLabels: [Labels] = []
        func id(_ labels: Labels) -> Int {
            let sig = m.on ? labels.keeping(matchSet) : labels.removing(ignored)
            if !hashed {
                if let i = sigLabels.firstIndex(of: sig) { return i }
            } else if let i = ids[sig] {
                return i
            }
            if hashed { ids[sig] = sigLabels.count }
            sigLabels.append(sig)
            return sigLabels.count - 1
        }
        let lsig = l.map { id($0.labels) }
        let rsig = r.map { id($0.labels) }
        self.lsig = lsig
        self.rsig = rsig
        self.sigLabels = sigLabels
        leftMark = [Int](repeating: -1, count: sigLabels.count)
        rightMark = leftMark
        oneAt = leftMark
        matchedMark = leftMark
        usedOneMark = [Int](repeating: -1, count: Swift.max(l.count, r.count))
    }

    mutating func run() throws(PromQLEvalError) -> [StepSeries] {
        for i in 0..<steps {
            let li = l.indices.filter { l[$0].values[i] != nil }
            let ri = r.indices.filter { r[$0].values[i] != nil }
            switch b.op {
            case .and, .unless:
                guard !li.isEmpty else { continue }
                for k in ri { rightMark[rsig[k]] = i }
                for k in li where (rightMark[lsig[k]] == i) == (b.op == .and) {
                    let slot = lSlot[k] ?? asm.slot(l[k].labels)
                    lSlot[k] = slot
                    try asm.set(slot: slot, l[k].values[i]!, dropName: l[k].dropName, step: i)
                }
            case .or:
                for k in li {
                    leftMark[lsig[k]] = i
                    let slot = lSlot[k] ?? asm.slot(l[k].labels)
                    lSlot[k] = slot
                    try asm.set(slot: slot, l[k].values[i]!, dropName: l[k].dropName, step: i)
                }
                for k in ri where leftMark[rsig[k]] != i {
                    let slot = rSlot[k] ?? asm.slot(r[k].labels)
                    rSlot[k] = slot
                    try asm.set(slot: slot, r[k].values[i]!, dropName: r[k].dropName, step: i)
                }
            default:
                let (fillsLeft, fillsRight) = m.cardinality == .oneToMany ? (b.fillRight, b.fillLeft) : (b.fillLeft, b.fillRight)
                guard !li.isEmpty || fillsLeft != nil, !ri.isEmpty || fillsRight != nil, !(li.isEmpty && ri.isEmpty) else { continue }
                try matchStep(li, ri, step: i)
            }
        }
        return asm.series
    }

    private mutating func slot(for labels: Labels) -> Int {
        let s = asm.slot(labels)
        while slotMark.count <= s { slotMark.append(-1) }
        return s
    }

    /// One step of an arithmetic or comparison operation. With `group_right` the operands are swapped
    /// so that the left is always the "many" side, as in Prometheus.
    private mutating func matchStep(_ li: [Int], _ ri: [Int], step i: Int) throws(PromQLEvalError) {
        let swap = m.cardinality == .oneToMany
        let (manySide, oneSide) = swap ? (r, l) : (l, r)
        let (manyIdx, oneIdx) = swap ? (ri, li) : (li, ri)
        let (manySig, oneSig) = swap ? (rsig, lsig) : (lsig, rsig)
        for k in oneIdx {
            let sid = oneSig[k]
            if rightMark[sid] == i {
                let sideName = swap ? "left" : "right"
                let pair = [braceForm(oneSide[k].labels), braceForm(oneSide[oneAt[sid]].labels)].sorted()
                throw PromQLEvalError(
                    "found duplicate series for the match group \(braceForm(sigLabels[sid])) on the \(sideName) hand-side of the operation: [\(pair[0]), \(pair[1])];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            rightMark[sid] = i
            oneAt[sid] = k
        }
        // As in Prometheus, fill_left fills the "many" side and fill_right the "one" side.
        let fillMany = b.fillLeft
        let fillOne = b.fillRight
        let arithmetic = b.op.isArithmetic
        let width = oneSide.count + 1
        for k in manyIdx {
            let sid = manySig[k]
            let o: Int? = rightMark[sid] == i ? oneAt[sid] : nil
            guard o != nil || fillOne != nil else { continue }
            let many = manySide[k]
            if let o { usedOneMark[o] = i }
            let key = k * width + (o.map { $0 + 1 } ?? 0)
            let slot: Int
            if let cached = pairSlot[key] {
                slot = cached
            } else {
                var labels = many.labels
                if m.cardinality == .oneToOne {
                    labels = m.on ? labels.keeping(Set(m.labels)) : labels.removing(Set(m.labels))
                }
                for name in m.include {
                    // A filled-in "one" side has no labels to join.
                    labels.set(name, o.flatMap { oneSide[$0].labels[name] } ?? "")
                }
                slot = self.slot(for: labels)
                pairSlot[key] = slot
            }
            // Matching errors are raised even for elements a comparison filters out.
            if m.cardinality == .oneToOne {
                if matchedMark[sid] == i {
                    throw PromQLEvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matchedMark[sid] = i
            } else {
                if slotMark[slot] == i {
                    throw PromQLEvalError("multiple matches for labels: grouping labels must ensure unique matches")
                }
                slotMark[slot] = i
            }
            let oneValue = o.map { oneSide[$0].values[i]! } ?? fillOne ?? .nan
            let (fl, fr) = swap ? (oneValue, many.values[i]!) : (many.values[i]!, oneValue)
            var (value, keep) = b.op.apply(fl, fr)
            if b.returnBool { value = keep ? 1 : 0 } else if !keep { continue }
            try asm.set(slot: slot, value, dropName: many.dropName || arithmetic || b.returnBool, step: i)
        }
        guard let fillMany else { return }
        // One series per unmatched match group, labelled by the group's matching labels.
        for k in oneIdx where usedOneMark[k] != i {
            let one = oneSide[k]
            let slot: Int
            if let cached = fillSlot[k] {
                slot = cached
            } else {
                var labels = sigLabels[oneSig[k]]
                for name in m.include { labels.set(name, one.labels[name] ?? "") }
                slot = self.slot(for: labels)
                fillSlot[k] = slot
            }
            let (fl, fr) = swap ? (one.values[i]!, fillMany) : (fillMany, one.values[i]!)
            var (value, keep) = b.op.apply(fl, fr)
            if b.returnBool { value = keep ? 1 : 0 } else if !keep { continue }
            try asm.set(slot: slot, value, dropName: arithmetic || b.returnBool, step: i)
        }
    }
}
