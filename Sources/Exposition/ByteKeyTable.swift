/// A small direct-mapped cache from byte strings of the body (label names, values, whole
/// `name="value"` pairs) to what was made of them. A collision just replaces the entry.
///
/// Keys are copied into one byte arena and values kept in one plain buffer, so a hit reads no
/// Array (no bounds, uniqueness or retain traffic for the key) and copies no entry: a hit costs
/// the hash, one slot, one comparison and the value's copy. A class, so the builder holding it is
/// never copied on write (a copy of the builder shares the cache, which only ever memoises).
final class ByteKeyTable<Value> {
    struct Slot {
        var hash: UInt64 = 0
        var offset: Int32 = 0
        /// -1: empty, and its value is not initialised.
        var count: Int32 = -1
    }

    let mask: Int
    /// 64 − log2(size): a slot is the hash's top bits.
    let shift: UInt64
    let slots: UnsafeMutablePointer<Slot>
    let values: UnsafeMutablePointer<Value>
    let arena: UnsafeMutablePointer<UInt8>
    let arenaCapacity: Int
    var arenaCount = 0

    /// `size` is a power of two; keys longer than `arenaCapacity / 8` are never stored.
    init(size: Int) {
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        slots = .allocate(capacity: size)
        slots.initialize(repeating: Slot(), count: size)
        values = .allocate(capacity: size)
        // Keys average well under 48 bytes; when the arena fills up the table starts over.
        arenaCapacity = size * 48
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        clear()
        slots.deallocate()
        values.deallocate()
        arena.deallocate()
    }

    func clear() {
        for i in 0...mask where slots[i].count >= 0 {
            (values + i).deinitialize(count: 1)
            slots[i].count = -1
        }
        arenaCount = 0
    }

    /// The slot for these bytes and their hash; `found` when it holds them.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt8>, _ n: Int) -> (slot: Int, hash: UInt64, found: Bool) {
        let h = Self.hash(key, n)
        // The top bits, not the low ones: the last word's bytes reach the low bits of the hash
        // only weakly (a multiply carries upwards), so keys differing only in their last byte
        // (`device="sd10"`, `device="sd34"`) fell in the same slot and evicted each other: 7,003
        // misses for 456 distinct pairs on a generated 3 MB body, 524 with the top bits.
        let slot = Int(truncatingIfNeeded: h >> shift)
        let s = slots[slot]
        let found = s.hash == h && Int(s.count) == n && Self.equal(arena + Int(s.offset), key, n)
        return (slot, h, found)
    }

    @inline(__always)
    func value(at slot: Int) -> Value { values[slot] }

    /// Stores `value` for the key `find` did not find at `slot`.
    func insert(_ value: Value, at slot: Int, hash: UInt64, _ key: UnsafePointer<UInt8>, _ n: Int) {
        guard n <= arenaCapacity / 8 else { return }
        if arenaCount + n > arenaCapacity { clear() }
        if slots[slot].count >= 0 {
            values[slot] = value
        } else {
            (values + slot).initialize(to: value)
        }
        (arena + arenaCount).update(from: key, count: n)
        slots[slot] = Slot(hash: hash, offset: Int32(truncatingIfNeeded: arenaCount), count: Int32(truncatingIfNeeded: n))
        arenaCount += n
    }

    /// A quick 64-bit hash, eight bytes at a time with the last word read overlapping (hits are
    /// verified byte for byte, so it need only spread well, not resist attack).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        let raw = UnsafeRawPointer(p)
        if n >= 8 {
            var k = 0
            while k &+ 8 < n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                k &+= 8
            }
            h = (h ^ raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
        } else {
            h = (h ^ short(p, n)) &* 0xBF58_476D_1CE4_E5B9
        }
        h ^= h >> 29
        return h &* 0x94D0_49BB_1331_11EB ^ (h >> 32)
    }

    /// All bytes of a key shorter than eight, in one word without reading past it (for a length
    /// n the word is a one-to-one function of the bytes).
    @inline(__always)
    static func short(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        if n >= 4 {
            let lo = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let hi = UInt64(raw.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self))
            return lo | hi << 32
        }
        if n == 0 { return 0 }
        return UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n &- 1]) << 16
    }

    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n < 8 { return short(a, n) == short(b, n) }
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var k = 0
        while k &+ 8 < n {
            if ra.loadUnaligned(fromByteOffset: k, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k &+= 8
        }
        return ra.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    }
}
