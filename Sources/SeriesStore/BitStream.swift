/// Appends bits, most significant first, to a byte array.
struct BitWriter {
    var bytes: [UInt8] = []
    var bitCount = 0

    /// Writes the low `n` bits of `value` (1...64): what fits into the last byte's free low bits,
    /// then whole bytes, then the top of a new last byte (a few operations per byte written rather
    /// than per run of bits, as most samples write one to three bytes).
    @inline(__always)
    mutating func write(_ value: UInt64, _ n: Int) {
        var remaining = n
        let used = bitCount & 7
        bitCount &+= n
        if used != 0 {
            let free = 8 &- used
            if remaining <= free {
                let bits = UInt8(truncatingIfNeeded: value) & ((1 &<< UInt8(remaining)) &- 1)
                bytes[bytes.count &- 1] |= bits &<< UInt8(free &- remaining)
                return
            }
            remaining &-= free
            bytes[bytes.count &- 1] |= UInt8(truncatingIfNeeded: value &>> UInt64(remaining)) & ((1 &<< UInt8(free)) &- 1)
        }
        while remaining >= 8 {
            remaining &-= 8
            bytes.append(UInt8(truncatingIfNeeded: value &>> UInt64(remaining)))
        }
        if remaining > 0 { bytes.append(UInt8(truncatingIfNeeded: value &<< UInt64(8 &- remaining))) }
    }

    @inline(__always)
    mutating func writeBit(_ bit: Bool) { write(bit ? 1 : 0, 1) }
}

/// Reads bits back in the order `BitWriter` wrote them; nil past the end (corrupt data never traps).
struct BitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let bitLimit: Int
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, bitCount: Int) {
        self.bytes = bytes
        self.bitLimit = min(bitCount, bytes.count * 8)
    }

    @inline(__always)
    mutating func read(_ n: Int) -> UInt64? {
        guard n > 0, position + n <= bitLimit else { return n == 0 ? 0 : nil }
        var result: UInt64 = 0
        var remaining = n
        while remaining > 0 {
            let used = position & 7
            let available = 8 - used
            let take = min(available, remaining)
            let byte = UInt64(bytes[position >> 3])
            let bits = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            result = (result << UInt64(take)) | bits
            remaining -= take
            position += take
        }
        return result
    }

    @inline(__always)
    mutating func readBit() -> Bool? {
        guard position < bitLimit else { return nil }
        let bit = (bytes[position >> 3] >> UInt8(7 - (position & 7))) & 1
        position += 1
        return bit == 1
    }
}
