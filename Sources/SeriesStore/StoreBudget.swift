import MetricsCore

extension StoreState {
    /// Over the byte budget: drops the oldest eighth of the time the sealed chunks cover, until
    /// the store is back under seven eighths of the budget, so that the next trim waits for that
    /// much new data rather than coming at every sealed chunk. Every series loses the same span,
    /// so the history left is whole, only shorter.
    mutating func trimToBudget(_ budget: Int) {
        let target = budget - budget / 8
        while sealedBytes > target {
            guard let oldest = oldestSealedEnd(), let newest else { return }
            // At least a millisecond past the oldest chunk's end, so each pass drops that chunk.
            removeOlderThan(oldest + max(1, (newest - oldest) / 8))
        }
    }

    /// The end of the oldest sealed chunk of any series.
    func oldestSealedEnd() -> Timestamp? {
        var oldest: Timestamp?
        for s in series {
            if let end = s.sealed.first?.maxT, oldest.map({ end < $0 }) ?? true { oldest = end }
        }
        return oldest
    }
}
