import Foundation
import MetricsCore
import Testing
@testable import Exposition

@Suite struct TextFormatTests {
    func parse(_ text: String, limits: ExpositionLimits = .default) throws(ExpositionError) -> ParsedScrape {
        try Exposition.parse(text, format: .text, limits: limits)
    }

    @Test func samplesWithLabelsValuesAndTimestamps() throws {
        let body = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # A normal comment.
            metric_without_timestamp_and_labels 12.47
            something_weird{problem="division by zero"} +Inf -3982045
            nan_value NaN
            neg_inf -Inf
            exp_value 1.5e3
            """
        let scrape = try parse(body)
        #expect(scrape.samples.count == 7)
        let first = scrape.samples[0]
        #expect(first.labels == Labels(["__name__": "http_requests_total", "method": "post", "code": "200"]))
        #expect(first.value == 1027)
        #expect(first.timestamp == 1_395_066_363_000)
        #expect(scrape.samples[1].value == 3)
        #expect(scrape.samples[2].labels.name == "metric_without_timestamp_and_labels")
        #expect(scrape.samples[2].value == 12.47)
        #expect(scrape.samples[2].timestamp == nil)
        #expect(scrape.samples[3].value == .infinity)
        #expect(scrape.samples[3].timestamp == -3_982_045)
        #expect(scrape.samples[4].value.isNaN)
        #expect(!StaleNaN.isStale(scrape.samples[4].value), "a scraped NaN must never look like a staleness marker")
        #expect(scrape.samples[4].value.bitPattern == 0x7ff8_0000_0000_0001, "Prometheus' NormalNaN")
        #expect(scrape.samples[5].value == -.infinity)
        #expect(scrape.samples[6].value == 1500)
        #expect(scrape.metadata["http_requests_total"] == FamilyMetadata(
            type: .counter, help: "The total number of HTTP requests."))
    }

    @Test func labelEscapesAndHelpEscapes() throws {
        let body = #"""
            # HELP esc Line one\nwith \\ backslash and \"quotes\"
            esc{path="C:\\dir\\file",msg="say \"hi\"\nbye",odd="\z"} 1
            """#
        let scrape = try parse(body)
        let labels = try #require(scrape.samples.first).labels
        #expect(labels["path"] == #"C:\dir\file"#)
        #expect(labels["msg"] == "say \"hi\"\nbye")
        #expect(labels["odd"] == #"\z"#, "unknown escapes stay as written")
        // In the text format only \\ and \n are HELP escapes; HELP is stored unsanitised.
        #expect(scrape.metadata["esc"]?.help == "Line one\nwith \\ backslash and \\\"quotes\\\"")
    }

    @Test func lenientTextSyntax() throws {
        let body = "  spaced { a = \"1\" , b=\"2\", } \t 4  \r\nunsorted{zeta=\"z\",Alpha=\"A\"} 5\n{\"dotted.name\", \"x.y\"=\"1\"} 6\n"
        let scrape = try parse(body)
        #expect(scrape.samples.count == 3)
        #expect(scrape.samples[0].labels == Labels(["__name__": "spaced", "a": "1", "b": "2"]))
        #expect(scrape.samples[0].value == 4)
        #expect(scrape.samples[1].labels.pairs.map(\.name) == ["Alpha", "__name__", "zeta"])
        #expect(scrape.samples[2].labels == Labels(["__name__": "dotted.name", "x.y": "1"]))
    }

    @Test func emptyLabelValueMeansNoLabel() throws {
        let scrape = try parse("m{a=\"\",b=\"x\"} 1\n")
        #expect(scrape.samples[0].labels == Labels(["__name__": "m", "b": "x"]))
    }

    @Test func typesAndUntyped() throws {
        let body = "# TYPE a gauge\n# TYPE b untyped\n# TYPE c summary\n# TYPE d histogram\n"
        let scrape = try parse(body)
        #expect(scrape.metadata["a"]?.type == .gauge)
        #expect(scrape.metadata["b"]?.type == .unknown)
        #expect(scrape.metadata["c"]?.type == .summary)
        #expect(scrape.metadata["d"]?.type == .histogram)
    }

    @Test(arguments: [
        ("m{a=\"1\" 2\n", 1, 9, "expected \",\" or \"}\""),
        ("ok 1\nm{a=1} 2\n", 2, 5, "double-quoted label value"),
        ("m 1 2 3\n", 1, 7, "unexpected"),
        ("m abc\n", 1, 3, "invalid value"),
        ("m 1 12.5\n", 1, 5, "invalid timestamp"),
        ("m{a=\"1\",a=\"2\"} 1\n", 1, 9, "duplicate label name"),
        ("# TYPE m bogus\n", 1, 10, "unknown metric type"),
        ("m\n", 1, 2, "expected a space and a value"),
        ("m{a=\"unterminated} 1\n", 1, 21, "newline inside quoted label value"),
        ("0m 1\n", 1, 1, "expected a metric name"),
    ])
    func malformedLinesRejectTheScrapeWithPosition(_ input: (String, Int, Int, String)) {
        let (body, line, column, reason) = input
        #expect {
            _ = try parse(body)
        } throws: { error in
            guard let e = error as? ExpositionError else { return false }
            return e.line == line && e.column == column && e.reason.contains(reason) && e.kind == .syntax
        }
    }

    @Test func limitsAreEnforcedWithClearErrors() throws {
        let tight = ExpositionLimits(maxLabelNameLength: 4, maxLabelValueLength: 5, maxLabelsPerSeries: 2, maxSamples: 2)
        #expect(throws: ExpositionError.self) { try parse("m{abcde=\"1\"} 1\n", limits: tight) }
        #expect(throws: ExpositionError.self) { try parse("m{a=\"123456\"} 1\n", limits: tight) }
        #expect(throws: ExpositionError.self) { try parse("m{a=\"1\",b=\"2\",c=\"3\"} 1\n", limits: tight) }
        do {
            _ = try parse("a 1\nb 2\nc 3\n", limits: tight)
            Issue.record("sample limit not enforced")
        } catch {
            #expect(error.kind == .limit)
            #expect(error.line == 3)
            #expect(error.description.contains("more than 2 samples"))
        }
        #expect(try parse("a 1\nb 2\n", limits: tight).samples.count == 2)
    }

    @Test func contentTypeChoosesTheFormat() {
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "Application/OpenMetrics-Text") == .openMetrics)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4") == .text)
        #expect(ExpositionFormat(contentType: nil) == .text)
        #expect(ExpositionFormat(contentType: "application/json") == .text)
        // The byte-wise decision agrees with the Character-wise one wherever it decides.
        for type in ["application/openmetrics-text", " application/openmetrics-text ;x", "APPLICATION/OPENMETRICS-TEXT",
                     "application/openmetrics-tex", "application/openmetrics-textt", "application/open metrics-text",
                     "application/openmetrics-text\t;", "", ";", "application/openmetrics-te\u{301}xt", "\u{212A}",
                     "application/openmetrics-text\u{301}", " \u{301}application/openmetrics-text", "text/plain"] {
            let mediaType = type.split(separator: ";", maxSplits: 1).first ?? ""
            let characterWise: ExpositionFormat = mediaType.filter { $0 != " " && $0 != "\t" }.lowercased()
                == "application/openmetrics-text" ? .openMetrics : .text
            #expect(ExpositionFormat(contentType: type) == characterWise, "\(type.debugDescription)")
        }
    }

    @Test func emptyBodyIsAnEmptyTextScrapeButABadOpenMetricsOne() throws {
        #expect(try Exposition.parse([UInt8](), format: .text).samples.isEmpty)
        #expect(throws: ExpositionError.self) { try Exposition.parse([UInt8](), format: .openMetrics) }
    }

    @Test func pullParserExposesEntriesWithoutBuildingLabels() throws {
        let body = Array("# HELP a help\n# TYPE a gauge\na{x=\"1\"} 2 3\nb 4\n".utf8)
        var seen: [String] = []
        try ExpositionPullParser.withParser(body, format: .text) { (p: inout ExpositionPullParser) throws(ExpositionError) in
            while let e = try p.next() {
                switch e {
                case .help: seen.append("help \(p.metadataName): \(p.helpText)")
                case .type: seen.append("type \(p.metadataName) \(p.metricType)")
                case .sample:
                    let labels = (0..<p.labelCount).map { "\(p.labelName(at: $0))=\(p.labelValue(at: $0))" }
                    seen.append("sample \(p.metricName) \(labels) \(p.value) \(p.timestamp.map(String.init) ?? "-") @\(p.lineNumber)")
                default: seen.append("other")
                }
            }
        }
        #expect(seen == [
            "help a: help", "type a gauge", "sample a [\"x=1\"] 2.0 3 @3", "sample b [] 4.0 - @4",
        ])
    }

    @Test func anyByteCollectionParses() throws {
        let bytes = Array("x 1\ny{a=\"b\"} 2\n".utf8)
        let fromSlice = try Exposition.parse(bytes[4...], format: .text)
        #expect(fromSlice.samples.map(\.value) == [2])
        let fromData = try Exposition.parse(Data(bytes), format: .text)
        #expect(fromData == (try Exposition.parse(bytes, format: .text)))
        let fromSequence = try Exposition.parse(bytes.lazy.map { $0 }, format: .text)
        #expect(fromSequence.samples.count == 2)
    }

    @Test func invalidUTF8InLabelsOrHelpRejectsTheScrape() throws {
        let good = Array("m{city=\"Zürich\"} 1\n# HELP m Grüße\n".utf8)
        let scrape = try Exposition.parse(good, format: .text)
        #expect(scrape.samples[0].labels["city"] == "Zürich")
        #expect(scrape.metadata["m"]?.help == "Grüße")
        let badLabel: [UInt8] = Array("ok 1\nm{a=\"x".utf8) + [0xff, 0xfe] + Array("\"} 1\n".utf8)
        do {
            _ = try Exposition.parse(badLabel, format: .text)
            Issue.record("invalid UTF-8 accepted")
        } catch {
            #expect(error.line == 2 && error.column == 7 && error.reason.contains("invalid UTF-8"))
        }
        let badHelp: [UInt8] = Array("# HELP m bad ".utf8) + [0xc3, 0x28] + Array("\n".utf8)
        #expect(throws: ExpositionError.self) { try Exposition.parse(badHelp, format: .text) }
        // Comments are not read, so they may hold anything.
        #expect(try Exposition.parse(Array("# just ".utf8) + [0xff] + Array("\nm 1\n".utf8), format: .text).samples.count == 1)
    }

    @Test func nanPayloadsAreNormalised() throws {
        for text in ["NaN", "nan", "nan(0x7ff0000000000002)", "nan(2)"] {
            if let v = try? parse("m \(text)\n").samples[0].value {
                #expect(v.bitPattern == 0x7ff8_0000_0000_0001, "\(text)")
            }
        }
    }

    @Test func numbersParseExactly() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-0.5", -0.5), ("1e-3", 0.001), ("123456789012345678901234567890", 1.2345678901234568e29),
            (".5", 0.5), ("5.", 5), ("0.1", 0.1), ("2.2250738585072014e-308", 2.2250738585072014e-308),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("9007199254740993", 9007199254740992),
            ("0x10", 16), ("+inf", .infinity), ("-Infinity", -.infinity), ("3.14159265358979323846", 3.141592653589793),
        ]
        for (text, expected) in cases {
            let v = try parse("m \(text)\n").samples[0].value
            #expect(v == expected, "\(text)")
        }
    }
}
