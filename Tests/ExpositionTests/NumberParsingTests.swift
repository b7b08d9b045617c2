@testable import Exposition
import Foundation
import Testing

/// Values of 16 to 19 significant digits are rounded in 128-bit integers rather than by the C
/// library: every one must come out bit for bit as Swift's own (correctly rounded) parser has it.
@Suite struct NumberParsingTests {
    func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { NumberParsing.parseDecimal($0.baseAddress!, 0, bytes.count) }
    }

    @Test func longMantissasRoundExactlyAsTheStandardLibraryDoes() {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for digits in 16...19 {
            for point in 0...(digits + 3) {
                for _ in 0..<300 {
                    var d = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &rng)) }
                    d[0] = String(Int.random(in: 1...9, using: &rng))
                    var text = d.joined()
                    // The point anywhere from before the first digit (with zeros) to after the last.
                    if point <= digits {
                        text.insert(".", at: text.index(text.startIndex, offsetBy: digits - point))
                        if text.hasPrefix(".") { text = "0" + text }
                    } else {
                        text = "0." + String(repeating: "0", count: point - digits) + text
                    }
                    #expect(parse(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
                    checked += 1
                }
            }
        }
        #expect(checked > 20_000)
    }

    @Test func halfwayCasesAndShortFormsOfDoublesRoundTrip() {
        // Shortest forms of random doubles (what Go and Swift print) and exact ties at 2^53 and above.
        for _ in 0..<20_000 {
            let v = Double.random(in: 1e-12...1e12)
            #expect(parse("\(v)")?.bitPattern == v.bitPattern, "\(v)")
        }
        for text in ["9007199254740993", "9007199254740995", "18014398509481986", "18014398509481990",
                     "9223372036854775807", "9999999999999999999", "1000000000000000000", "123456789012345678e1",
                     "1234567890123456789e-19", "1234567890123456789e19", "0.1000000000000000055511151231257827",
                     "2.2250738585072014e-308", "1.7976931348623157e308", "-0.30000000000000004"] {
            #expect(parse(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }
}
