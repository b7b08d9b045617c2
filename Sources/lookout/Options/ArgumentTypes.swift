import ArgumentParser
import MetricsCore
import TerminalBackend

/// A Prometheus-style duration on the command line: `500ms`, `5s`, `15m`, `1h30m`.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let milliseconds: Int64

    init(milliseconds: Int64) { self.milliseconds = milliseconds }

    init?(argument: String) {
        guard let ms = try? PromDuration.parse(argument) else { return nil }
        milliseconds = ms
    }

    var description: String { PromDuration.format(milliseconds) }
    static var defaultCompletionKind: CompletionKind { .default }
}

extension ColorMode: ExpressibleByArgument {}

/// `--size 120x40`.
struct TerminalSize: ExpressibleByArgument, Sendable, CustomStringConvertible {
    /// Large enough for any real screen, small enough that a typo cannot allocate gigabytes.
    static let maximum = 1000
    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (1...Self.maximum).contains(w), (1...Self.maximum).contains(h) else { return nil }
        width = w
        height = h
    }

    var description: String { "\(width)x\(height)" }
}
