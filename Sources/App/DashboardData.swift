import MetricsCore

/// The series of one range query, extended refresh after refresh and trimmed to the range.
public struct History: Sendable {
    /// Series in the order they first appeared (stable legend order).
    public private(set) var order: [Labels] = []
    public private(set) var samples: [Labels: [Sample]] = [:]
    /// The last step time asked for (aligned); the next refresh starts one step later.
    public private(set) var end: Timestamp?
    public var lastSuccess: Timestamp?
    public var failure: QueryFailure?
    public var warnings: [String] = []
    /// How long the last request for it took (milliseconds), for the inspector.
    public var lastDurationMs: Int64?
    /// When a plan last used it, for forgetting histories no layout shows any more.
    public var lastUsed: Timestamp = 0

    public init() {}

    /// Takes the answer to `request`; `keepFrom` is the oldest time worth keeping.
    public mutating func apply(_ request: RangeRequest, _ outcome: QueryOutcome, at now: Timestamp, keepFrom: Timestamp) {
        warnings = outcome.warnings
        switch outcome.result {
        case .failure(let f):
            failure = f
        case .success(let value):
            failure = nil
            lastSuccess = now
            if request.replaces {
                order = []
                samples = [:]
            }
            for series in Self.series(of: value) {
                var existing = samples[series.labels] ?? []
                if existing.isEmpty && samples[series.labels] == nil { order.append(series.labels) }
                let lastT = existing.last?.t ?? Int64.min
                existing += series.samples.filter { $0.t > lastT && !StaleNaN.isStale($0.v) }
                samples[series.labels] = existing
            }
            end = max(end ?? request.end, request.end)
        }
        trim(before: keepFrom)
    }

    /// Drops samples older than `t` and series left with none.
    public mutating func trim(before t: Timestamp) {
        for labels in order {
            guard var s = samples[labels] else { continue }
            if let first = s.firstIndex(where: { $0.t >= t }) {
                if first > 0 { s.removeFirst(first) }
            } else {
                s = []
            }
            samples[labels] = s.isEmpty ? nil : s
        }
        order.removeAll { samples[$0] == nil }
    }

    public var series: [SeriesSamples] {
        order.compactMap { l in samples[l].map { SeriesSamples(labels: l, samples: $0) } }
    }

    /// A range query answers with a matrix; anything else is read as one point per series.
    static func series(of value: QueryValue) -> [SeriesSamples] {
        switch value {
        case .matrix(let m): return m
        case .vector(let v): return v.map { SeriesSamples(labels: $0.labels, samples: [$0.sample]) }
        case .scalar(let s): return [SeriesSamples(labels: Labels(), samples: [s])]
        case .string: return []
        }
    }
}

/// The last answer of an instant query.
public struct InstantAnswer: Sendable {
    public var value: QueryValue?
    public var failure: QueryFailure?
    public var warnings: [String] = []
    public var lastSuccess: Timestamp?
    public var lastUsed: Timestamp = 0
    /// How long the last request took (milliseconds), for the inspector.
    public var lastDurationMs: Int64?
}

/// Everything the dashboard knows from the source, kept across refreshes and layout switches.
public struct DashboardData: Sendable {
    public var histories: [RangeKey: History] = [:]
    public var instants: [String: InstantAnswer] = [:]
    /// When data last arrived (a successful query), for the header.
    public var lastDataTime: Timestamp?

    public init() {}

    public var historyEnds: [RangeKey: Timestamp] {
        histories.compactMapValues { $0.end }
    }

    /// Folds a refresh's answers in.
    public mutating func apply(_ fetch: FetchResult, rangeMs: Int64) {
        for (request, outcome) in fetch.ranges {
            var h = histories[request.key] ?? History()
            // One extra step before the range so the first column has a point.
            h.apply(request, outcome, at: fetch.finishedAt, keepFrom: fetch.startedAt - rangeMs - request.step)
            h.lastUsed = fetch.startedAt
            h.lastDurationMs = fetch.rangeDurations[request.key] ?? h.lastDurationMs
            histories[request.key] = h
            if case .success = outcome.result { lastDataTime = fetch.finishedAt }
        }
        for (expr, outcome) in fetch.instants {
            var a = instants[expr] ?? InstantAnswer()
            a.warnings = outcome.warnings
            a.lastUsed = fetch.startedAt
            a.lastDurationMs = fetch.instantDurations[expr] ?? a.lastDurationMs
            switch outcome.result {
            case .success(let v):
                a.value = v
                a.failure = nil
                a.lastSuccess = fetch.finishedAt
                lastDataTime = fetch.finishedAt
            case .failure(let f):
                a.failure = f
            }
            instants[expr] = a
        }
    }

    /// Forgets answers no plan has used since `t`, so memory follows what is on screen.
    public mutating func forget(unusedSince t: Timestamp) {
        histories = histories.filter { $0.value.lastUsed >= t }
        instants = instants.filter { $0.value.lastUsed >= t }
    }

    /// Marks the plan's queries as in use (queries not re-sent this time still count).
    public mutating func touch(_ plan: QueryPlan, at t: Timestamp) {
        for bindings in plan.bindings.values {
            for b in bindings {
                if b.instant { instants[b.expr]?.lastUsed = t }
                if let k = b.range { histories[k]?.lastUsed = t }
            }
        }
    }
}

/// The answers of one refresh.
public struct FetchResult: Sendable {
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    public var instants: [(String, QueryOutcome)]
    public var ranges: [(RangeRequest, QueryOutcome)]
    /// How long each request took (milliseconds), by expression and by range.
    public var instantDurations: [String: Int64] = [:]
    public var rangeDurations: [RangeKey: Int64] = [:]
    /// The instants of a batch whose ranges are still out (a refill's values are drawn before its
    /// histories, which can take a server much longer); the batch itself has not finished.
    public var partial = false

    public init(startedAt: Timestamp, finishedAt: Timestamp, instants: [(String, QueryOutcome)],
                ranges: [(RangeRequest, QueryOutcome)]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.instants = instants
        self.ranges = ranges
    }
}
