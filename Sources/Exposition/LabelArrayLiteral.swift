import MetricsCore

/// Label arrays of a handful of labels, made as array literals. A literal is allocated at its
/// exact size by the compiler's own intrinsic, with the element type known where it is built; the
/// library's ways to make an array of a size known only at run time either look the array type's
/// metadata up on every call (`init(unsafeUninitializedCapacity:)`) or go through the growth path
/// (`reserveCapacity`: the empty array's release, a zero-length generic copy), ~100 instructions
/// more per array, and then check the capacity on every append.
enum LabelArrayLiteral {
    /// `[label(0), …, label(count - 1)]`, each label asked for once, in order; a literal for up
    /// to ten labels (label sets are rarely bigger), appended to a reserved array beyond.
    @inline(__always)
    static func make(_ count: Int, _ label: (Int) -> Label) -> [Label] {
        switch count {
        case 0: return []
        case 1: return [label(0)]
        case 2: return [label(0), label(1)]
        case 3: return [label(0), label(1), label(2)]
        case 4: return [label(0), label(1), label(2), label(3)]
        case 5: return [label(0), label(1), label(2), label(3), label(4)]
        case 6: return [label(0), label(1), label(2), label(3), label(4), label(5)]
        case 7: return [label(0), label(1), label(2), label(3), label(4), label(5), label(6)]
        case 8: return [label(0), label(1), label(2), label(3), label(4), label(5), label(6), label(7)]
        case 9: return [label(0), label(1), label(2), label(3), label(4), label(5), label(6), label(7), label(8)]
        case 10:
            return [label(0), label(1), label(2), label(3), label(4), label(5), label(6), label(7), label(8), label(9)]
        default:
            var out: [Label] = []
            out.reserveCapacity(count)
            for k in 0..<count { out.append(label(k)) }
            return out
        }
    }
}
