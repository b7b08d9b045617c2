import MetricsCore

/// A loaded group and the evaluation state of its rules.
struct GroupRuntime: Sendable {
    var definition: RuleGroupDefinition
    var rules: [RuleRuntime]
    var lastEvaluation: Timestamp?

    /// Builds the runtime for `definition`, taking over the state of matching rules of `old`
    /// (same kind, name, expression and labels; the n-th duplicate matches the n-th).
    init(definition: RuleGroupDefinition, replacing old: GroupRuntime?) {
        self.definition = definition
        var pool: [String: [RuleRuntime]] = [:]
        for r in old?.rules ?? [] { pool[r.definition.identity, default: []].append(r) }
        rules = definition.rules.map { def in
            if var candidates = pool[def.identity], !candidates.isEmpty {
                let previous = candidates.removeFirst()
                pool[def.identity] = candidates
                return RuleRuntime(definition: def, keeping: previous)
            }
            return RuleRuntime(definition: def)
        }
        lastEvaluation = old?.lastEvaluation
    }
}

/// One rule and what it produced last time.
struct RuleRuntime: Sendable {
    let definition: RuleDefinition
    /// What is sent to the query function: the expression, or its inlined form in server mode.
    var queryExpr: String
    var alert: AlertingRuleState?
    /// Series written at the last successful evaluation; those missing next time get a stale marker.
    var lastSeries: [Labels] = []
    var health: RuleStatus.Health = .unknown
    var lastError: String?
    var lastEvaluation: Timestamp?

    init(definition: RuleDefinition) {
        self.definition = definition
        queryExpr = definition.expr
        alert = definition.kind == .alerting ? AlertingRuleState(rule: definition) : nil
    }

    init(definition: RuleDefinition, keeping previous: RuleRuntime) {
        self.definition = definition
        queryExpr = definition.expr
        if definition.kind == .alerting {
            alert = previous.alert.map { AlertingRuleState(rule: definition, keeping: $0) } ?? AlertingRuleState(rule: definition)
        }
        lastSeries = previous.lastSeries
        health = previous.health
        lastError = previous.lastError
        lastEvaluation = previous.lastEvaluation
    }

    /// Applies one query outcome at `time`: writes the output, updates alerts and marks vanished series stale.
    mutating func evaluate(_ outcome: QueryOutcome, at time: Timestamp, limit: Int, options: RuleManagerOptions,
                           appender: (any SampleAppender)?) {
        lastEvaluation = time
        let output: [(Labels, Double)]
        do throws(RuleEvalError) {
            let samples = try Self.instantSamples(outcome)
            switch definition.kind {
            case .recording:
                output = try recordingOutput(samples)
            case .alerting:
                guard var state = alert else { return }
                do {
                    let series = try state.update(samples, at: time, external: options.templateContext)
                    alert = state
                    output = options.writeAlertSeries ? series : []
                } catch {
                    throw RuleEvalError(message: error.message)
                }
            }
            if limit > 0, output.count > limit {
                throw RuleEvalError(message: "exceeded limit of \(limit) with \(output.count) series")
            }
        } catch {
            health = .error
            lastError = error.message
            return
        }
        health = .ok
        lastError = nil
        var current = Set<Labels>()
        current.reserveCapacity(output.count)
        for (labels, value) in output {
            appender?.append(labels, Sample(t: time, v: value))
            current.insert(labels)
        }
        for labels in lastSeries where !current.contains(labels) {
            appender?.append(labels, Sample(t: time, v: StaleNaN.value))
        }
        lastSeries = output.map(\.0)
    }

    private func recordingOutput(_ samples: [InstantSample]) throws(RuleEvalError) -> [(Labels, Double)] {
        var out: [(Labels, Double)] = []
        var seen = Set<Labels>()
        for s in samples {
            var labels = s.labels.setting(Labels.metricName, definition.name)
            for (name, value) in definition.labels { labels.set(name, value) }
            guard seen.insert(labels).inserted else {
                throw RuleEvalError(message: "vector contains metrics with the same labelset after applying rule labels")
            }
            out.append((labels, s.sample.v))
        }
        return out
    }

    /// A rule's result as a vector: a scalar becomes one sample without labels (as Prometheus
    /// does); ranges and strings are errors.
    static func instantSamples(_ outcome: QueryOutcome) throws(RuleEvalError) -> [InstantSample] {
        switch outcome.result {
        case .failure(let f): throw RuleEvalError(message: f.message)
        case .success(.vector(let v)): return v
        case .success(.scalar(let s)): return [InstantSample(labels: Labels(), sample: s)]
        case .success: throw RuleEvalError(message: "rule result is not a vector or scalar")
        }
    }
}

struct RuleEvalError: Error {
    var message: String
}
