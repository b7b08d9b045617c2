/// Names of the series the shipped health-score rules (`rules/perfect21-health.yml`) record, for
/// layouts and the executive gauge. The weights live in the rule file (editable); these are only
/// the names and the labels to show.
public enum HealthScore {
    /// The weighted score, 0-100 (thresholds in the design: red 0, yellow 70, green 85).
    public static let series = "perfect21_performance_score"

    public struct Component: Hashable, Sendable {
        public var series: String
        public var title: String
    }

    /// The four components, each 0-100, in the order the design lists them.
    public static let components: [Component] = [
        Component(series: "perfect21:score_response_time", title: "Response time"),
        Component(series: "perfect21:score_error_rate", title: "Error rate"),
        Component(series: "perfect21:score_cache_hit_rate", title: "Cache hit rate"),
        Component(series: "perfect21:score_system_health", title: "System health"),
    ]
}
