import Foundation
import MetricsCore
import Synchronization
@testable import Rules

/// An appender that remembers every sample, for checking what rules write.
final class RecordingAppender: SampleAppender {
    private let samples = Mutex<[(Labels, Sample)]>([])

    func append(_ labels: Labels, _ sample: Sample) {
        samples.withLock { $0.append((labels, sample)) }
    }

    func written(_ name: String) -> [(Labels, Sample)] {
        samples.withLock { $0.filter { $0.0.name == name } }
    }

    func all() -> [(Labels, Sample)] { samples.withLock { $0 } }
}

/// A query function whose answer is a function of time, standing in for an engine or a server.
struct ScriptedQuery: Sendable {
    let answer: @Sendable (String, Timestamp) -> QueryOutcome

    static func vector(_ f: @escaping @Sendable (Timestamp) -> [InstantSample]) -> ScriptedQuery {
        ScriptedQuery { _, t in .success(.vector(f(t))) }
    }

    var function: RuleQueryFunction {
        let answer = self.answer
        return { expr, t in answer(expr, t) }
    }
}

func sample(_ labels: [String: String], _ v: Double, at t: Timestamp) -> InstantSample {
    InstantSample(labels: Labels(labels), sample: Sample(t: t, v: v))
}

func alertRule(_ name: String, for hold: Int64 = 0, keepFiringFor: Int64 = 0,
               labels: [(String, String)] = [("severity", "warning")],
               annotations: [(String, String)] = []) -> RuleDefinition {
    RuleDefinition(kind: .alerting, name: name, expr: "x > 1", holdDuration: hold, keepFiringFor: keepFiringFor,
                   labels: labels, annotations: annotations)
}

func makeTempDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
