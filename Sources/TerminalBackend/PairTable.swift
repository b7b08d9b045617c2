/// Colour pairs allocated on first use; when the terminal's pairs run out, default colours are used.
struct PairTable {
    private struct Key: Hashable {
        var fg: Int32
        var bg: Int32
    }

    var limit: Int32 = 0
    private var known: [Key: Int32] = [:]
    private var next: Int32 = 1

    mutating func number(fg: Int32, bg: Int32, allocate: (Int32) -> Bool) -> Int32 {
        let key = Key(fg: fg, bg: bg)
        if let n = known[key] { return n }
        guard next < limit, allocate(next) else { return 0 }
        known[key] = next
        next += 1
        return next - 1
    }
}
