import Foundation
import TestSupport

/// A seeded, mutation-based fuzzer (no coverage instrumentation): inputs are seeds from
/// ../shared/conformance and the repository's fixtures, mutated byte-wise and with each target's
/// tokens. An input that produces an outcome not seen before (an error message with its numbers
/// blanked, or a success of a new size class) joins the corpus. Crashes end the process: in script
/// mode the input being run is written first, so scripts/fuzz.sh can keep it. Slow inputs are findings.
struct FuzzTarget: Sendable {
    let name: String
    let seeds: [[UInt8]]
    let tokens: [String]
    /// Runs one input and returns its outcome signature.
    let run: @Sendable ([UInt8]) -> String
}

struct FuzzReport: CustomStringConvertible {
    var target: String
    var executions = 0
    var corpus = 0
    var outcomes = 0
    var slowest: Double = 0
    var slowInputs: [[UInt8]] = []

    var description: String {
        "\(target): \(executions) executions, corpus \(corpus), \(outcomes) distinct outcomes, slowest \(String(format: "%.3f", slowest)) s"
    }
}

struct Fuzzer {
    var rng: SplitMix
    /// Where the input under test is written before it runs (script mode), nil in the test suite.
    let crashFolder: URL?
    static let slowSeconds = 1.0
    static let maxInput = 64 * 1024

    mutating func fuzz(_ target: FuzzTarget, seconds: Double) -> FuzzReport {
        var report = FuzzReport(target: target.name)
        var corpus = target.seeds.isEmpty ? [[UInt8]()] : target.seeds
        var seen = Set<String>()
        for seed in corpus { seen.insert(target.run(seed)) }
        let tokens = target.tokens.map { Array($0.utf8) }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var input = corpus[Int(rng.next() % UInt64(corpus.count))]
            for _ in 0...Int(rng.next() % 4) { mutate(&input, tokens: tokens, corpus: corpus) }
            if input.count > Self.maxInput { input.removeLast(input.count - Self.maxInput) }
            if let folder = crashFolder {
                try? Data(input).write(to: folder.appendingPathComponent("current-\(target.name)"))
            }
            let start = Date()
            let outcome = target.run(input)
            let elapsed = Date().timeIntervalSince(start)
            report.executions += 1
            if elapsed > report.slowest { report.slowest = elapsed }
            if elapsed > Self.slowSeconds { report.slowInputs.append(input) }
            if seen.insert(outcome).inserted { corpus.append(input) }
        }
        report.corpus = corpus.count
        report.outcomes = seen.count
        return report
    }

    private mutating func mutate(_ input: inout [UInt8], tokens: [[UInt8]], corpus: [[UInt8]]) {
        let n = input.count
        func pos() -> Int { n == 0 ? 0 : Int(rng.next() % UInt64(n + 1)) }
        switch rng.next() % 9 {
        case 0 where n > 0: input[Int(rng.next() % UInt64(n))] ^= UInt8(1 << (rng.next() % 8))
        case 1: input.insert(UInt8(truncatingIfNeeded: rng.next()), at: pos())
        case 2 where n > 0:
            let a = pos(), b = min(n, a + Int(rng.next() % 16))
            input.removeSubrange(a..<b)
        case 3 where !tokens.isEmpty: input.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: pos())
        case 4 where n > 0:
            let a = Int(rng.next() % UInt64(n)), b = min(n, a + 1 + Int(rng.next() % 32))
            input.insert(contentsOf: input[a..<b], at: pos())
        case 5 where !corpus.isEmpty:
            let other = corpus[Int(rng.next() % UInt64(corpus.count))]
            guard !other.isEmpty else { return }
            let a = Int(rng.next() % UInt64(other.count)), b = min(other.count, a + 1 + Int(rng.next() % 64))
            input.insert(contentsOf: other[a..<b], at: pos())
        case 6 where !tokens.isEmpty:
            // Deep nesting and long repetitions: what recursion and quadratic loops fall over on.
            let token = tokens[Int(rng.next() % UInt64(tokens.count))]
            let times = 1 << (rng.next() % 11)
            let at = pos()
            input.insert(contentsOf: Array([[UInt8]](repeating: token, count: times).joined()), at: at)
        case 7 where n > 0: input[Int(rng.next() % UInt64(n))] = [0, 0x0A, 0x22, 0x5C, 0x7B, 0x7D, 0xFF, 0xC3][Int(rng.next() % 8)]
        default: input.append(UInt8(truncatingIfNeeded: rng.next() % 128))
        }
    }

    /// Error text with digits and quoted parts blanked, so that positions and echoed input do not
    /// count as new outcomes.
    static func signature(_ text: String) -> String {
        var out = ""
        var quoted = false
        for c in text.prefix(160) {
            if c == "\"" || c == "`" {
                quoted.toggle()
                out.append(c)
            } else if !quoted {
                out.append(c.isNumber ? "#" : c)
            }
        }
        return out
    }

    static func sizeClass(_ n: Int) -> String { n == 0 ? "0" : "2^\(Int(log2(Double(n))))" }
}
