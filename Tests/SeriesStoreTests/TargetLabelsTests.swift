import MetricsCore
import Testing
import TestSupport
@testable import SeriesStore

@Suite("Target labels attached to scraped series")
struct TargetLabelsTests {
    @Test func aClashKeepsTheScrapedValueUnderExportedNames() {
        let target = Labels(["job": "federate", "instance": "h:1"])
        let scraped = Labels(["__name__": "m", "job": "inner", "instance": "x", "exported_job": "taken"])
        #expect(TargetLabels(target).attach(to: scraped) == Labels([
            "__name__": "m", "job": "federate", "instance": "h:1", "exported_instance": "x",
            "exported_job": "taken", "exported_exported_job": "inner",
        ]))
    }

    @Test func withoutAClashTheTargetLabelsAreMergedIn() {
        let target = Labels(["job": "node", "instance": "h:1"])
        let scraped = Labels(["__name__": "up", "zone": "a"])
        #expect(TargetLabels(target).attach(to: scraped).pairs.map(\.name) == ["__name__", "instance", "job", "zone"])
    }

    @Test func anEmptyTargetValueRemovesTheLabel() {
        let target = Labels(sortedUnique: [Label("instance", ""), Label("job", "j")])
        #expect(TargetLabels(target).attach(to: Labels(["__name__": "m"])) == Labels(["__name__": "m", "job": "j"]))
        #expect(TargetLabels(target).attach(to: Labels(["__name__": "m", "instance": "x"]))
            == Labels(["__name__": "m", "job": "j", "exported_instance": "x"]))
    }

    /// Against Prometheus' rule applied one label at a time with `Labels.set` (a separate, simple
    /// implementation), over seeded random sets full of clashes and already-exported names.
    @Test func agreesWithApplyingEachTargetLabelInTurn() {
        var rng = SplitMix(state: 12)
        let names = ["__name__", "a", "job", "instance", "exported_job", "exported_exported_job", "exported_instance", "zz", "le"]
        for _ in 0..<2_000 {
            var scraped: [String: String] = [:]
            for name in names where rng.next() % 2 == 0 { scraped[name] = "v\(rng.next() % 3)" }
            var target: [Label] = []
            for name in ["exported_job", "instance", "job", "zone"] where rng.next() % 3 != 0 {
                target.append(Label(name, rng.next() % 5 == 0 ? "" : "t\(rng.next() % 3)"))
            }
            let targetLabels = Labels(sortedUnique: target)
            let labels = Labels(scraped)
            var expected = labels
            for t in targetLabels {
                if let existing = expected[t.name] {
                    var exported = "exported_" + t.name
                    while expected[exported] != nil { exported = "exported_" + exported }
                    expected.set(exported, existing)
                }
                expected.set(t.name, t.value)
            }
            let got = TargetLabels(targetLabels).attach(to: labels)
            #expect(got == expected, "scraped \(labels), target \(target)")
            #expect(zip(got.pairs, got.pairs.dropFirst()).allSatisfy { $0.name < $1.name })
        }
    }
}
