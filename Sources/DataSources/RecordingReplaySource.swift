import Foundation
import MetricsCore
import PromQL
import Synchronization

/// A recording as a data source: the PromQL engine over the recorded samples, no network. The
/// dashboard asks at the replay clock's times, so it never sees samples from after "now".
/// `displayName` starts with REPLAY, so the header says what is on screen.
public final class RecordingReplaySource: QuerySource {
    public let recording: Recording
    /// The live replay's clock, for the speed in the header; nil for a snapshot.
    public let clock: ReplayClock?
    private let fileName: String
    private let queries: LocalQueries
    private let tickMs: Int64
    private let state = Mutex<(handler: (@Sendable () -> Void)?, task: Task<Void, Never>?)>((nil, nil))

    /// `tickMs`: how often (real time) the dashboard is told new data arrived.
    public init(_ recording: Recording, tickMs: Int64 = 1000, clock: ReplayClock? = nil) {
        self.recording = recording
        self.tickMs = max(50, tickMs)
        self.clock = clock
        queries = LocalQueries(storage: recording.store, options: EngineOptions())
        // The name goes into the header: no control characters (the screen sanitises too).
        let name = recording.path.split(separator: "/").last.map(String.init) ?? recording.path
        var safe = String.UnicodeScalarView()
        safe.append(contentsOf: name.unicodeScalars.filter { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) })
        fileName = String(safe)
    }

    /// `REPLAY file` and, while replaying live, the speed (`10×`, `max`), `paused` or `end`.
    public var displayName: String {
        guard let clock else { return "REPLAY \(fileName)" }
        let status: String
        if clock.now() >= clock.endMs {
            status = "end"
        } else if clock.paused {
            status = "paused"
        } else {
            status = clock.speed >= ReplayClock.speeds.last! ? "max" : "\(Int(clock.speed))\u{00D7}"
        }
        return "REPLAY \(fileName) \(status)"
    }

    public func start() {
        let tick = tickMs
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(tick) * 1_000_000)
                guard let self else { return }
                self.state.withLock { $0.handler }?()
            }
        }
        state.withLock { $0.task = task }
    }

    public func stop() {
        state.withLock { s in
            s.task?.cancel()
            s.handler = nil
        }
    }

    public func setDataHandler(_ handler: @escaping @Sendable () -> Void) { state.withLock { $0.handler = handler } }
    public func targets() -> [TargetStatus] { [] }
    public func serverInfo() -> String? { nil }

    public func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        queries.instant(expr, at: time)
    }

    public func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        queries.range(expr, start: start, end: end, step: step)
    }
}

/// The replay's clock: recorded time running from `startMs` at `speed`× real time, pausable. The
/// speeds the keys step through are 1×, 10×, 60× and max (600×).
public final class ReplayClock: Sendable {
    public static let speeds: [Double] = [1, 10, 60, 600]
    private struct State {
        var anchorReal: Double
        var anchorReplay: Int64
        var speed: Double
        var paused = false
    }
    private let state: Mutex<State>
    public let endMs: Int64

    public init(startMs: Int64, endMs: Int64, speed: Double = 1) {
        self.endMs = endMs
        state = Mutex(State(anchorReal: Self.realNow(), anchorReplay: startMs, speed: speed))
    }

    static func realNow() -> Double { Date().timeIntervalSince1970 * 1000 }

    /// Recorded time now; it stops at the end of the recording.
    public func now() -> Int64 {
        state.withLock { s in Self.position(s, endMs: endMs) }
    }

    private static func position(_ s: State, endMs: Int64) -> Int64 {
        if s.paused { return s.anchorReplay }
        return min(endMs, s.anchorReplay + Int64(((realNow() - s.anchorReal) * s.speed).rounded()))
    }

    public var speed: Double { state.withLock { $0.speed } }
    public var paused: Bool { state.withLock { $0.paused } }

    /// The next faster (+1) or slower (-1) of `speeds`.
    public func step(_ direction: Int) {
        state.withLock { s in
            let here = Self.position(s, endMs: endMs)
            let index = Self.speeds.firstIndex { $0 >= s.speed } ?? 0
            s.speed = Self.speeds[max(0, min(Self.speeds.count - 1, index + direction))]
            s.anchorReal = Self.realNow()
            s.anchorReplay = here
        }
    }

    public func setPaused(_ paused: Bool) {
        state.withLock { s in
            let here = Self.position(s, endMs: endMs)
            s.paused = paused
            s.anchorReal = Self.realNow()
            s.anchorReplay = here
        }
    }
}
