import MetricsCore

/// Up to `capacity` samples compressed the Gorilla way: timestamps as delta-of-delta in a few
/// prefix-coded buckets, values XOR-ed with the previous value (only the changed middle bits are
/// stored). A regular scrape costs 1 bit of time and typically 1–3 bytes of value per sample.
/// Every 64-bit pattern round-trips exactly, so StaleNaN stays StaleNaN.
struct XORChunk: Sendable {
    static let capacity = 120

    /// The encoded bits, written in place (no buffer moved in and out per sample).
    private var stream = BitWriter()
    var bytes: [UInt8] { stream.bytes }
    var bitCount: Int { stream.bitCount }
    private(set) var count = 0
    private(set) var minT: Timestamp = 0
    private(set) var maxT: Timestamp = 0
    // Encoder state.
    private var lastDelta: Int64 = 0
    private var lastBits: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0

    var isFull: Bool { count >= Self.capacity }

    mutating func append(_ t: Timestamp, _ v: Double) {
        let bits = v.bitPattern
        if count == 0 {
            stream.write(UInt64(bitPattern: t), 64)
            stream.write(bits, 64)
            minT = t
        } else {
            let delta = t &- maxT
            let dod = count == 1 ? delta : delta &- lastDelta
            lastDelta = delta
            // The time's and the value's bits in one write where they fit 64 (a regular scrape's
            // time is one bit).
            let xor = bits ^ lastBits
            if let time = Self.dodBits(dod) {
                Self.writeValue(&stream, xor, &leading, &trailing, after: time.bits, time.count)
            } else {
                stream.write(0b1111, 4)
                stream.write(UInt64(bitPattern: dod), 64)
                Self.writeValue(&stream, xor, &leading, &trailing, after: 0, 0)
            }
        }
        maxT = t
        lastBits = bits
        count += 1
    }

    /// Buckets as in Prometheus: 0 → `0`; then 14, 17, 20 bits signed, each with its prefix (up to
    /// 24 bits in all); nil for the rest, written as `1111` and the full 64 bits.
    private static func dodBits(_ dod: Int64) -> (bits: UInt64, count: Int)? {
        if dod == 0 { return (0, 1) }
        let raw = UInt64(bitPattern: dod)
        if dod >= -(1 << 13) && dod < (1 << 13) { return (0b10 << 14 | raw & 0x3FFF, 16) }
        if dod >= -(1 << 16) && dod < (1 << 16) { return (0b110 << 17 | raw & 0x1_FFFF, 20) }
        if dod >= -(1 << 19) && dod < (1 << 19) { return (0b1110 << 20 | raw & 0xF_FFFF, 24) }
        return nil
    }

    /// Writes `prefixCount` bits of `prefix` (the time's), then the value (`xor`, its XOR with the
    /// previous one): `0` when unchanged, else control bits and the XOR's middle bits, all in one
    /// write where they fit in 64. `leading` and `trailing` are the encoder's zero counts.
    private static func writeValue(_ w: inout BitWriter, _ xor: UInt64, _ leading: inout UInt8, _ trailing: inout UInt8,
                                   after prefix: UInt64, _ prefixCount: Int) {
        var code: UInt64 = 0
        var n = 1
        var middle: UInt64 = 0
        var significant = 0  // > 0: `middle` did not fit after `code`, written on its own
        if xor != 0 {
            var lead = UInt8(min(xor.leadingZeroBitCount, 31))
            let trail = UInt8(xor.trailingZeroBitCount)
            if leading != 0xff && lead >= leading && trail >= trailing {
                let width = 64 - Int(leading) - Int(trailing)
                middle = xor &>> UInt64(trailing)
                if width <= 62 { code = 0b10 &<< UInt64(width) | middle; n = width + 2 } else { code = 0b10; n = 2; significant = width }
            } else {
                if lead > 31 { lead = 31 }
                let width = 64 - Int(lead) - Int(trail)
                middle = xor &>> UInt64(trail)
                // `11`, 5 bits of leading zeros, 6 bits of length (64 is written as 0).
                let header = 0b11 << 11 | UInt64(lead) << 6 | UInt64(width & 63)
                if width <= 51 { code = header &<< UInt64(width) | middle; n = width + 13 } else { code = header; n = 13; significant = width }
                leading = lead
                trailing = trail
            }
        }
        if prefixCount + n <= 64 {
            w.write(prefix << UInt64(n) | code, prefixCount + n)  // n < 64 whenever prefixCount > 0
        } else {
            w.write(prefix, prefixCount)
            w.write(code, n)
        }
        if significant > 0 { w.write(middle, significant) }
    }

    /// Appends the samples with `mint <= t <= maxt` to `out`.
    func decode(into out: inout [Sample], mint: Timestamp, maxt: Timestamp) {
        guard count > 0, maxT >= mint, minT <= maxt else { return }
        stream.bytes.withUnsafeBufferPointer { buf in
            var r = BitReader(buf, bitCount: bitCount)
            guard let t0 = r.read(64), let v0 = r.read(64) else { return }
            var t = Int64(bitPattern: t0)
            var bits = v0
            var delta: Int64 = 0
            var lead = 0
            var trail = 0
            if t >= mint && t <= maxt { out.append(Sample(t: t, v: Double(bitPattern: bits))) }
            for i in 1..<count {
                guard let dod = Self.readDoD(&r) else { return }
                delta = i == 1 ? dod : delta &+ dod
                t = t &+ delta
                guard Self.readValue(&r, bits: &bits, lead: &lead, trail: &trail) else { return }
                if t > maxt { return }
                if t >= mint { out.append(Sample(t: t, v: Double(bitPattern: bits))) }
            }
        }
    }

    /// Decodes every sample after `start` (from the first when it is the zero cursor) up to this
    /// chunk's count into `out`, and says where it stopped: a later call with that cursor decodes
    /// only what was appended since (the head chunk), which is how `DecodeCache` reads it.
    /// Corrupt data stops it early, like `decode`.
    func decodeAll(from start: XORCursor, into out: inout [Sample]) -> XORCursor {
        var c = start
        guard c.index < count else { return c }
        stream.bytes.withUnsafeBufferPointer { buf in
            var r = BitReader(buf, bitCount: bitCount)
            r.position = c.position
            if c.index == 0 {
                guard let t0 = r.read(64), let v0 = r.read(64) else { return }
                c = XORCursor(position: r.position, index: 1, t: Int64(bitPattern: t0), delta: 0, bits: v0, lead: 0, trail: 0)
                out.append(Sample(t: c.t, v: Double(bitPattern: c.bits)))
            }
            while c.index < count {
                guard let dod = Self.readDoD(&r) else { return }
                let delta = c.index == 1 ? dod : c.delta &+ dod
                var bits = c.bits, lead = c.lead, trail = c.trail
                guard Self.readValue(&r, bits: &bits, lead: &lead, trail: &trail) else { return }
                c = XORCursor(position: r.position, index: c.index + 1, t: c.t &+ delta, delta: delta, bits: bits,
                              lead: lead, trail: trail)
                out.append(Sample(t: c.t, v: Double(bitPattern: bits)))
            }
        }
        return c
    }

    /// Reads one XOR-encoded value into `bits` (same value: one 0 bit; else the XOR with the previous
    /// value, reusing or replacing the leading/trailing zero counts). False on corrupt or short data.
    @inline(__always)
    private static func readValue(_ r: inout BitReader, bits: inout UInt64, lead: inout Int, trail: inout Int) -> Bool {
        guard let first = r.readBit() else { return false }
        guard first else { return true }
        guard let fresh = r.readBit() else { return false }
        if fresh {
            guard let l = r.read(5), let s = r.read(6) else { return false }
            lead = Int(l)
            trail = 64 - lead - (s == 0 ? 64 : Int(s))
            guard trail >= 0 else { return false }
        }
        let significant = 64 - lead - trail
        guard significant > 0, let x = r.read(significant) else { return false }
        bits ^= x << UInt64(trail)
        return true
    }

    private static func readDoD(_ r: inout BitReader) -> Int64? {
        var prefix = 0
        while prefix < 4 {
            guard let b = r.readBit() else { return nil }
            if !b { break }
            prefix += 1
        }
        let width: Int
        switch prefix {
        case 0: return 0
        case 1: width = 14
        case 2: width = 17
        case 3: width = 20
        default: width = 64
        }
        guard let raw = r.read(width) else { return nil }
        if width == 64 { return Int64(bitPattern: raw) }
        // Sign-extend.
        let shift = UInt64(64 - width)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    /// Drops spare capacity once the chunk is full, so sealed chunks cost only their bytes.
    mutating func seal() {
        if stream.bytes.capacity > stream.bytes.count { stream.bytes = Array(stream.bytes) }
    }
}

/// Where `XORChunk.decodeAll` stopped: the bits read, the samples decoded and the decoder's state
/// after the last of them.
struct XORCursor: Sendable {
    var position = 0
    var index = 0
    var t: Int64 = 0
    var delta: Int64 = 0
    var bits: UInt64 = 0
    var lead = 0
    var trail = 0
}
