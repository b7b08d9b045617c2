import Foundation
import Testing

/// Every input kept by scripts/fuzz.sh, and the hostile shapes issue 13 names, replayed against
/// their targets: each must return (an error is fine) in well under a second.
@Suite struct FuzzRegressionTests {
    static let crashes = FuzzTargets.repoRoot.appendingPathComponent("Tests/FuzzTests/Crashes")

    static func target(named name: String) -> FuzzTarget? {
        FuzzTargets.all.first { name.hasPrefix($0.name + "-") }
    }

    @Test func keptInputsStayFixed() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.crashes.path).filter { $0 != "README.md" }
        for name in names.sorted() {
            let target = try #require(Self.target(named: name), "\(name): no target of that name")
            let input = [UInt8](try Data(contentsOf: Self.crashes.appendingPathComponent(name)))
            let start = Date()
            _ = target.run(input)
            #expect(Date().timeIntervalSince(start) < Fuzzer.slowSeconds, "\(name)")
        }
    }

    @Test(arguments: [
        ("template", "{{" + String(repeating: "(", count: 100_000)),
        ("promql", String(repeating: "(", count: 100_000) + "1"),
        ("promql", "up{a=~\"" + String(repeating: "(", count: 50_000) + "\"}"),
        ("layout", String(repeating: "[", count: 100_000)),
        ("rules", "groups:\n" + String(repeating: "- [", count: 20_000)),
        ("config", String(repeating: "- ", count: 50_000)),
        ("exposition-text", "m{" + String(repeating: "a=\"b\",", count: 50_000) + "} 1\n"),
    ])
    func hostileShapesAreBounded(target name: String, input: String) throws {
        let target = try #require(FuzzTargets.all.first { $0.name == name })
        let start = Date()
        let outcome = target.run(Array(input.utf8))
        #expect(!outcome.hasPrefix("ok") || name == "config", "\(name) accepted a hostile input: \(outcome)")
        #expect(Date().timeIntervalSince(start) < 2 * Fuzzer.slowSeconds, "\(name) took too long")
    }
}
