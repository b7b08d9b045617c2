@testable import Exposition
import MetricsCore
import Testing

/// The label builder's caches and its one-pass path for names already in order must give exactly
/// the label sets a plain dictionary-built `Labels` gives.
@Suite struct LabelBuilderTests {
    func labels(_ text: String) throws -> [Labels] {
        try Exposition.parse(text, format: .text).samples.map(\.labels)
    }

    @Test func byteKeyTableTellsEveryShortKeyApart() {
        let table = ByteKeyTable<Int>(size: 64)
        // Every length from 0 to 40 (all word and tail cases), and for each a key differing in one
        // byte at each place: none may be taken for another.
        for n in 0...40 {
            let key = (0..<n).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            key.withUnsafeBufferPointer { k in
                let base = k.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let miss = table.find(base, n)
                table.insert(n, at: miss.slot, hash: miss.hash, base, n)
                let hit = table.find(base, n)
                #expect(hit.found && table.value(at: hit.slot) == n, "length \(n)")
            }
            for i in 0..<n {
                var other = key
                other[i] ^= 0x01
                other.withUnsafeBufferPointer { o in
                    let found = table.find(o.baseAddress!, n)
                    #expect(!found.found || table.value(at: found.slot) != n, "length \(n), byte \(i)")
                }
            }
        }
    }

    /// Keys differing only in their last byte (`device="sd10"` … `device="sd19"`) used to share a
    /// slot (the slot was the hash's low bits, which that byte hardly reached) and evict each
    /// other on every line: ten such keys got at most eight slots of 1,024 (three bits of the slot
    /// depended on that byte).
    @Test func byteKeyTableSpreadsKeysDifferingOnlyInTheirLastByte() {
        let table = ByteKeyTable<Int>(size: 1024)
        for prefix in ["device=\"sd1", "instance=\"host-0.example.com:910", "le=\"0.00"] {
            var slots = Set<Int>()
            for last in UInt8(ascii: "0")...UInt8(ascii: "9") {
                let key = Array(prefix.utf8) + [last]
                _ = key.withUnsafeBufferPointer { slots.insert(table.find($0.baseAddress!, $0.count).slot) }
            }
            #expect(slots.count >= 9, "\(prefix)…: 10 keys in \(slots.count) slots")
        }
    }

    /// Escaped values are cached by their bytes as written: bytes that differ only a little decode
    /// to different Strings, and every sample must get its own, whichever came first, under any
    /// label name (the pair cache) and as a quoted label name (the String cache).
    @Test func escapedValuesAreDecodedAndCachedByTheirOwnBytes() throws {
        let cases: [(written: String, decoded: String)] = [
            (#"a\\b"#, "a\\b"), (#"a\nb"#, "a\nb"), (#"a\\nb"#, "a\\nb"), (#"a\"b"#, "a\"b"), ("anb", "anb"),
            (#"a\tb"#, #"a\tb"#), (#"\\"#, "\\"), (#"x\\\\"#, "x\\\\"), (#"C:\\data\\1"#, #"C:\data\1"#),
            (#"C:\\data\\10"#, #"C:\data\10"#),
        ]
        var body = ""
        var expected: [[String: String]] = []
        for round in 0..<3 {
            for k in cases.indices {
                let (written, decoded) = cases[(k * (round + 1) + round) % cases.count]
                let name = round == 1 ? "w" : "v"
                body += "m{\(name)=\"\(written)\",z=\"\(written)\"} 1\n"
                expected.append(["__name__": "m", name: decoded, "z": decoded])
                body += "n{\"\(written)\"=\"1\"} 2\n"
                expected.append(["__name__": "n", decoded: "1"])
            }
        }
        for fastPath in [true, false] {
            let samples = try Exposition.parse(Array(body.utf8), format: .text, limits: .default, fastPath: fastPath).samples
            #expect(samples.map(\.labels) == expected.map { Labels($0) }, "fast path \(fastPath)")
        }
    }

    @Test func byteKeyTableStartsOverWhenItsKeysFillTheArena() {
        let table = ByteKeyTable<String>(size: 64)  // 3,072 bytes of keys
        for round in 0..<200 {
            let key = Array("key-\(round)-".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 100)
            key.withUnsafeBufferPointer { k in
                let miss = table.find(k.baseAddress!, k.count)
                #expect(!miss.found)
                table.insert("\(round)", at: miss.slot, hash: miss.hash, k.baseAddress!, k.count)
                let hit = table.find(k.baseAddress!, k.count)
                #expect(hit.found && table.value(at: hit.slot) == "\(round)")
            }
        }
        #expect(table.arenaCount <= table.arenaCapacity)
    }

    @Test func namesInOrderGiveTheSameSetsAsAnyOrder() throws {
        let cases: [(String, [String: String])] = [
            ("m{a=\"1\",b=\"2\"} 1\n", ["__name__": "m", "a": "1", "b": "2"]),
            ("m{b=\"2\",a=\"1\"} 1\n", ["__name__": "m", "a": "1", "b": "2"]),
            ("m{a=\"1\",b=\"\"} 1\n", ["__name__": "m", "a": "1"]),              // empty: no label
            ("m{a=\"\",b=\"2\"} 1\n", ["__name__": "m", "b": "2"]),
            ("m{A=\"1\",Z=\"2\",a=\"3\"} 1\n", ["__name__": "m", "A": "1", "Z": "2", "a": "3"]),
            ("m{A=\"1\",__name__=\"x\"} 1\n", ["__name__": "x", "A": "1"]),      // explicit name wins
            ("m{__name__=\"x\",a=\"1\"} 1\n", ["__name__": "x", "a": "1"]),
            ("m{A=\"1\",__name__=\"\",b=\"2\"} 1\n", ["__name__": "m", "A": "1", "b": "2"]),
            ("m{A=\"1\",\"b\"=\"2\"} 1\n", ["__name__": "m", "A": "1", "b": "2"]),  // a quoted name
            ("m{_=\"1\",__=\"2\",___name__=\"3\"} 1\n", ["__name__": "m", "_": "1", "__": "2", "___name__": "3"]),
        ]
        for (text, expected) in cases {
            #expect(try labels(text) == [Labels(expected)], "\(text)")
        }
    }

    @Test func linesSharingAPrefixTakeOverItsLabels() throws {
        // A histogram's buckets share all but `le`; a line with fewer, more, emptied or reordered
        // labels after them must not take over what it does not share.
        let text = """
            h_bucket{a="1",b="2",le="0.1"} 1
            h_bucket{a="1",b="2",le="1"} 2
            h_bucket{a="1",b="",le="+Inf"} 3
            h_bucket{a="1",b="2",c="3",le="2"} 4
            h_bucket{b="2",a="1",le="5"} 5
            h_bucket{b="2",a="1",le="6"} 6
            h_sum{a="1",b="2"} 7

            """
        let expected: [[String: String]] = [
            ["a": "1", "b": "2", "le": "0.1"], ["a": "1", "b": "2", "le": "1"], ["a": "1", "le": "+Inf"],
            ["a": "1", "b": "2", "c": "3", "le": "2"], ["a": "1", "b": "2", "le": "5"],
            ["a": "1", "b": "2", "le": "6"], ["a": "1", "b": "2"],
        ]
        let names = ["h_bucket", "h_bucket", "h_bucket", "h_bucket", "h_bucket", "h_bucket", "h_sum"]
        let want = zip(names, expected).map { name, set in Labels(set.merging(["__name__": name]) { a, _ in a }) }
        #expect(try labels(text) == want)
    }

    @Test func aLineDifferingInItsLastLabelOnlyReplacesThatLabel() throws {
        // The previous set with its last label swapped applies only when everything but the last
        // span is shared and the last name is the same; every other case must build afresh.
        let lines: [(String, [String: String])] = [
            ("h{b=\"2\",a=\"1\",le=\"1\"}", ["b": "2", "a": "1", "le": "1"]),
            ("h{b=\"2\",a=\"1\",le=\"2\"}", ["b": "2", "a": "1", "le": "2"]),       // swapped
            ("h{b=\"2\",a=\"1\",lf=\"3\"}", ["b": "2", "a": "1", "lf": "3"]),       // another name
            ("h{b=\"2\",a=\"1\",lf=\"\"}", ["b": "2", "a": "1"]),                   // emptied
            ("h{b=\"2\",a=\"1\",lf=\"4\"}", ["b": "2", "a": "1", "lf": "4"]),       // was left out
            ("h{b=\"2\",a=\"1\",__name__=\"x\"}", ["b": "2", "a": "1"]),            // explicit name
            ("h{b=\"2\",a=\"1\",__name__=\"y\"}", ["b": "2", "a": "1"]),
            ("h{b=\"2\",a=\"1\",a_very_long_label_name=\"1\"}", ["b": "2", "a": "1", "a_very_long_label_name": "1"]),
            ("h{b=\"2\",a=\"1\",a_very_long_label_name=\"2\"}", ["b": "2", "a": "1", "a_very_long_label_name": "2"]),
            ("h{b=\"2\",a=\"1\",a_very_long_label_nameX=\"3\"}", ["b": "2", "a": "1", "a_very_long_label_nameX": "3"]),
            ("h{A=\"2\",a=\"1\",le=\"1\"}", ["A": "2", "a": "1", "le": "1"]),
            ("h{A=\"2\",a=\"1\",le=\"2\"}", ["A": "2", "a": "1", "le": "2"]),       // swapped, in order
            ("h{A=\"2\",a=\"1\",\"le\"=\"3\"}", ["A": "2", "a": "1", "le": "3"]),   // a quoted name
        ]
        let text = lines.map { $0.0 + " 1\n" }.joined()
        let names = ["h", "h", "h", "h", "h", "x", "y", "h", "h", "h", "h", "h", "h"]
        let want = zip(names, lines).map { name, line in Labels(line.1.merging(["__name__": name]) { a, _ in a }) }
        #expect(try labels(text) == want)
    }

    /// Label sets are written into array literals of their size (up to ten labels, appended
    /// beyond): every size, with `__name__` at every place, in order or not, shared with the line
    /// before or swapped at the end, must give the set a dictionary gives.
    @Test func everySetSizeGivesTheSameSetsAsADictionary() throws {
        var text = ""
        var want: [Labels] = []
        for size in 0...13 {
            for nameAt in 0...size {
                // Upper-case names sort before `__name__`, lower-case ones after it.
                let names = (0..<size).map { $0 < nameAt ? "N\($0)" : "n\($0)" }
                for order in [names, names.reversed()] {
                    for round in 0..<3 {
                        var pairs = order.map { ($0, "v\(size)-\(round)") }
                        // The last label alone changes from round to round: the swap.
                        if round > 0, !pairs.isEmpty { pairs[pairs.count - 1].1 = "last\(round)" }
                        let written = pairs.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
                        text += "m_\(size){\(written)} 1\n"
                        want.append(Labels(Dictionary(uniqueKeysWithValues: pairs + [("__name__", "m_\(size)")])))
                    }
                }
            }
        }
        #expect(try labels(text) == want)
    }

    @Test func manyDistinctLabelsOutgrowTheCaches() throws {
        // More distinct long values than the caches hold: collisions and restarts must not mix up
        // any label.
        var text = ""
        var want: [Labels] = []
        for i in 0..<3_000 {
            let value = "value-\(i)-" + String(repeating: "v", count: 90)
            text += "m_\(i % 7){k=\"\(value)\",s=\"\(i % 3)\"} \(i)\n"
            want.append(Labels(["__name__": "m_\(i % 7)", "k": value, "s": "\(i % 3)"]))
        }
        #expect(try labels(text) == want)
    }
}
