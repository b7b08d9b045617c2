import MetricsCore
import Testing
import TestSupport
@testable import SeriesStore

@Suite struct ChunkTests {

    func roundTrip(_ samples: [Sample]) -> [Sample] {
        var chunk = XORChunk()
        for s in samples { chunk.append(s.t, s.v) }
        var out: [Sample] = []
        chunk.decode(into: &out, mint: .min, maxt: .max)
        return out
    }

    func bits(_ samples: [Sample]) -> [UInt64] { samples.map(\.v.bitPattern) }

    @Test func specialValuesKeepTheirExactBits() {
        let values: [Double] = [
            0, -0.0, 1, .nan, StaleNaN.value, .infinity, -.infinity, Double(bitPattern: 0x7ff8_0000_0000_0001),
            .greatestFiniteMagnitude, .leastNonzeroMagnitude, 42, StaleNaN.value, 42,
        ]
        let samples = values.enumerated().map { Sample(t: Int64($0.offset) * 15_000, v: $0.element) }
        let decoded = roundTrip(samples)
        #expect(decoded.map(\.t) == samples.map(\.t))
        #expect(bits(decoded) == bits(samples))
        #expect(StaleNaN.isStale(decoded[4].v))
        #expect(!StaleNaN.isStale(decoded[3].v))
    }

    @Test func randomSeriesRoundTripExactly() {
        var rng = SplitMix(state: 1)
        for _ in 0..<200 {
            var t = Int64.random(in: -1_000_000_000_000...2_000_000_000_000, using: &rng)
            var samples: [Sample] = []
            for _ in 0..<Int.random(in: 1...XORChunk.capacity, using: &rng) {
                let v: Double
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: v = Double(bitPattern: rng.next())
                case 1: v = Double(Int.random(in: 0...1000, using: &rng))
                case 2: v = samples.last?.v ?? 1
                default: v = Double.random(in: -1e9...1e9, using: &rng)
                }
                samples.append(Sample(t: t, v: v))
                // Deltas from 1 ms to far beyond the 20-bit bucket.
                let jump: Int64 = [1, 15_000, 15_003, 70_000, 600_000, 10_000_000_000][Int.random(in: 0..<6, using: &rng)]
                t += jump
            }
            let decoded = roundTrip(samples)
            #expect(decoded.map(\.t) == samples.map(\.t))
            #expect(bits(decoded) == bits(samples))
        }
    }

    @Test func decodeHonoursTheTimeWindow() {
        let samples = (0..<100).map { Sample(t: Int64($0) * 1000, v: Double($0)) }
        var chunk = XORChunk()
        for s in samples { chunk.append(s.t, s.v) }
        var out: [Sample] = []
        chunk.decode(into: &out, mint: 10_000, maxt: 19_500)
        #expect(out.map(\.v) == (10...19).map(Double.init))
    }

    @Test func regularScrapesCostOneToThreeBytesPerSample() {
        // A counter growing by a few hundred per 15 s scrape, and a gauge wandering around.
        var counter = XORChunk()
        var gauge = XORChunk()
        var rng = SplitMix(state: 3)
        var c = 1_000_000.0
        for i in 0..<XORChunk.capacity {
            let t = 1_700_000_000_000 + Int64(i) * 15_000
            c += Double(Int.random(in: 100...400, using: &rng))
            counter.append(t, c)
            gauge.append(t, Double(Int.random(in: 40...60, using: &rng)))
        }
        let perSampleCounter = Double(counter.bytes.count) / Double(counter.count)
        let perSampleGauge = Double(gauge.bytes.count) / Double(gauge.count)
        #expect(perSampleCounter < 3.0, "counter: \(perSampleCounter) bytes/sample")
        #expect(perSampleGauge < 3.0, "gauge: \(perSampleGauge) bytes/sample")
        // A constant series costs about 2 bits per sample.
        var constant = XORChunk()
        for i in 0..<XORChunk.capacity { constant.append(Int64(i) * 15_000, 1) }
        #expect(Double(constant.bytes.count) / Double(constant.count) < 0.5)
    }

    @Test func corruptChunkBytesNeverTrap() {
        var rng = SplitMix(state: 9)
        var chunk = XORChunk()
        for i in 0..<50 { chunk.append(Int64(i) * 15_000, Double(i * i)) }
        var bytes = chunk.bytes
        for _ in 0..<500 {
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] = UInt8.random(in: 0...255, using: &rng)
            bytes.withUnsafeBufferPointer { buf in
                var r = BitReader(buf, bitCount: buf.count * 8)
                var reads = 0
                while r.read(Int.random(in: 1...64, using: &rng)) != nil { reads += 1 }
                #expect(reads <= buf.count * 8)
            }
        }
    }
}
