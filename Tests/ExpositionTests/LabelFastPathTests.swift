import Exposition
import MetricsCore
import Testing

/// The one-pass scan of the common `name="value"` label and the general path it hands everything
/// else to must give the same label sets and the same errors at the same places.
@Suite struct LabelFastPathTests {
    func labels(_ text: String, _ format: ExpositionFormat = .text) throws -> [Labels] {
        try Exposition.parse(text, format: format).samples.map(\.labels)
    }

    @Test func commonAndUncommonSpellingsGiveTheSameLabels() throws {
        let expected = [Labels(["__name__": "m", "a": "1", "b": "x y"])]
        for text in [
            "m{a=\"1\",b=\"x y\"} 1\n",            // all on the fast path
            "m{a=\"1\",b=\"x y\",} 1\n",           // trailing comma
            "m{a=\"1\", b=\"x y\" } 1\n",          // blanks: the general path
            "m{a=\"1\",\n".dropLast() + "b=\"x y\"} 1\n",
            "m{ a = \"1\" , b = \"x y\" , } 1\n",
            "m{\"a\"=\"1\",b=\"x y\"} 1\n",        // a quoted name
        ] {
            #expect(try labels(String(text)) == expected, "\(text)")
        }
        // Long values (more than eight bytes at a time), escapes and UTF-8 leave the fast path mid-way.
        let long = String(repeating: "v", count: 37)
        #expect(try labels("m{a=\"\(long)\",b=\"q\\\"q\",c=\"é\"} 1\n")
            == [Labels(["__name__": "m", "a": long, "b": "q\"q", "c": "é"])])
        #expect(try labels("m{a=\"1\",b=\"2\"} 1\n# EOF\n", .openMetrics) == [Labels(["__name__": "m", "a": "1", "b": "2"])])
    }

    @Test func errorsAreTheSameOnBothPaths() {
        let cases: [(String, ExpositionFormat, Int, String)] = [
            ("m{a=\"1\",a=\"2\"} 1\n", .text, 9, "duplicate label name \"a\""),
            ("m{a=\"1\", a=\"2\"} 1\n", .text, 10, "duplicate label name \"a\""),
            ("m{a=\"1\",} 1\n# EOF\n", .openMetrics, 9, "expected a label name, found \"}\""),
            ("m{a=\"1\"\n", .text, 8, "expected \",\" or \"}\" after a label, found end of line"),
        ]
        for (text, format, column, reason) in cases {
            do {
                _ = try Exposition.parse(text, format: format)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.column == column && error.reason == reason, "\(text): \(error)")
            }
        }
        var limits = ExpositionLimits()
        limits.maxLabelValueLength = 4
        do {
            _ = try Exposition.parse("m{a=\"12345\"} 1\n", format: .text, limits: limits)
            Issue.record("accepted a value over the limit")
        } catch {
            #expect(error.kind == .limit && error.column == 6 && error.reason == "label value longer than 4 bytes")
        }
    }
}
