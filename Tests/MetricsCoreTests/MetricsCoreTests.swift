import MetricsCore
import Testing

@Suite("Labels")
struct LabelsTests {
    @Test func sortedUniqueAndEqualWhateverTheOrder() {
        let a = Labels([Label("b", "2"), Label("a", "1"), Label("__name__", "m")])
        let b = Labels(["a": "1", "__name__": "m", "b": "2"])
        #expect(a == b)
        #expect(a.pairs.map(\.name) == ["__name__", "a", "b"])
        #expect(Labels([Label("a", "1"), Label("a", "2")])["a"] == "2")
    }

    @Test func setInsertsInOrderAndEmptyValueRemoves() {
        var l = Labels(["a": "1", "c": "3"])
        l.set("b", "2")
        #expect(l.pairs.map(\.name) == ["a", "b", "c"])
        l.set("a", "")
        #expect(l.pairs.map(\.name) == ["b", "c"])
        #expect(l.setting("z", "").count == 2)
    }

    @Test func descriptionEscapesValues() {
        let l = Labels(["__name__": "up", "job": "a\"b\\c\nd"])
        #expect(l.description == #"up{job="a\"b\\c\nd"}"#)
        #expect(Labels(["__name__": "up"]).description == "up")
        #expect(Labels().description == "{}")
        #expect(l.withoutName().description == #"{job="a\"b\\c\nd"}"#)
    }

    @Test func keepingAndRemoving() {
        let l = Labels(["__name__": "x", "a": "1", "b": "2"])
        #expect(l.keeping(["a"]) == Labels(["a": "1"]))
        #expect(l.removing(["a", "__name__"]) == Labels(["b": "2"]))
    }
}

@Suite("Label matchers")
struct MatcherTests {
    @Test func equalityAndMissingLabels() throws {
        let eq = try LabelMatcher(.equal, "job", "api")
        #expect(eq.matches(Labels(["job": "api"])))
        #expect(!eq.matches(Labels()))
        let ne = try LabelMatcher(.notEqual, "job", "api")
        #expect(ne.matches(Labels()))
        #expect(try LabelMatcher(.equal, "job", "").matchesEmpty)
    }

    @Test func regexesAreFullyAnchored() throws {
        let re = try LabelMatcher(.regexMatch, "status", "5..")
        #expect(re.matches("503"))
        #expect(!re.matches("1503"))
        #expect(!re.matches("5034"))
        let alt = try LabelMatcher(.regexMatch, "h", "a|b")
        #expect(alt.matches("a") && alt.matches("b") && !alt.matches("ab"))
        let nre = try LabelMatcher(.regexNoMatch, "h", "a.*")
        #expect(nre.matches("ba") && !nre.matches("abc"))
    }

    @Test func dotMatchesNewlineAsInPrometheus3() throws {
        #expect(try LabelMatcher(.regexMatch, "x", "a.b").matches("a\nb"))
    }

    @Test func invalidRegexIsATypedError() {
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "x", "(") }
    }
}

@Suite("Prometheus durations")
struct DurationTests {
    @Test(arguments: [
        ("500ms", 500), ("5s", 5_000), ("15m", 900_000), ("1h30m", 5_400_000), ("2d", 172_800_000),
        ("1w", 604_800_000), ("1y", 31_536_000_000), ("0", 0), ("1m30s500ms", 90_500),
    ] as [(String, Int64)])
    func parses(text: String, ms: Int64) throws {
        #expect(try PromDuration.parse(text) == ms)
    }

    @Test(arguments: ["", "5", "m", "5x", "1s1m", "1m1m", "-5s", "1.5s", "99999999999999999999y"])
    func rejects(text: String) {
        #expect(throws: PromDuration.ParseError.self) { try PromDuration.parse(text) }
    }

    @Test func formatsShortest() {
        #expect(PromDuration.format(90_000) == "1m30s")
        #expect(PromDuration.format(0) == "0s")
        #expect(PromDuration.format(500) == "500ms")
        #expect(PromDuration.format(-60_000) == "-1m")
    }
}

@Suite("Staleness marker")
struct StaleNaNTests {
    @Test func distinctFromOrdinaryNaN() {
        #expect(StaleNaN.isStale(StaleNaN.value))
        #expect(!StaleNaN.isStale(.nan))
        #expect(StaleNaN.value.isNaN)
    }
}
