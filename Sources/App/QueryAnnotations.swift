/// Prometheus' annotations on a query answer: some are real warnings (a limit hit, a bad quantile), others
/// only information (`PromQL info: ...`, or "sort is ineffective for range queries", which Prometheus files
/// as a warning but which changes nothing on a graph). Information is shown as such, never as `error:`.
public enum QueryAnnotations {
    public static func isInformational(_ annotation: String) -> Bool {
        let lower = annotation.lowercased()
        return lower.hasPrefix("promql info:") || lower.hasPrefix("info:")
            || lower.contains("is ineffective for range queries")
            // Lookout's own notes on how an answer was made (server mode, DataSources/Rules).
            || lower.hasPrefix("inlined recording rule") || lower.hasPrefix("native histogram shown")
    }

    /// (information, warnings), each in the order given.
    public static func split(_ annotations: [String]) -> (infos: [String], warnings: [String]) {
        (annotations.filter(isInformational), annotations.filter { !isInformational($0) })
    }

    /// The header's range: `24h`, or `3m of 24h` while the history is younger than the range.
    public static func rangeLabel(rangeMs: Int64, windowMs: Int64, format: (Int64) -> String) -> String {
        windowMs < rangeMs ? "\(format(windowMs)) of \(format(rangeMs))" : format(rangeMs)
    }
}
