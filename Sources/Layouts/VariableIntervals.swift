import MetricsCore

/// Grafana's interval arithmetic: `$__interval`, `$__rate_interval`, `$__range` and `auto` interval variables.
public enum GrafanaInterval {
    /// Grafana's "nice" rounding of a raw interval (milliseconds): the table its time-series panels
    /// use, so `$__interval` is 15s, 30s, 1m, 5m... as Grafana would send for the same range and width.
    public static func round(_ ms: Int64) -> Int64 {
        let table: [(below: Int64, value: Int64)] = [
            (15, 10), (35, 20), (75, 50), (150, 100), (350, 200), (750, 500),
            (1_500, 1_000), (3_500, 2_000), (7_500, 5_000), (12_500, 10_000), (17_500, 15_000),
            (25_000, 20_000), (45_000, 30_000), (90_000, 60_000), (210_000, 120_000), (450_000, 300_000),
            (750_000, 600_000), (1_050_000, 900_000), (1_500_000, 1_200_000), (2_700_000, 1_800_000),
            (5_400_000, 3_600_000), (9_000_000, 7_200_000), (16_200_000, 10_800_000),
            (32_400_000, 21_600_000), (86_400_000, 43_200_000), (604_800_000, 86_400_000),
            (1_814_400_000, 604_800_000), (3_628_800_000, 2_592_000_000),
        ]
        for row in table where ms < row.below { return row.value }
        return 31_536_000_000
    }

    /// range / resolution, rounded, never below `lowLimit` (Grafana's calculateInterval).
    public static func calculate(range: Int64, resolution: Int, lowLimit: Int64) -> Int64 {
        let raw = max(0, range) / Int64(max(1, resolution))
        return max(round(raw), max(1, lowLimit))
    }

    /// `$__rate_interval`: max(`$__interval` + scrape interval, 4 × scrape interval).
    public static func rateInterval(interval: Int64, scrapeInterval: Int64) -> Int64 {
        max(interval + scrapeInterval, 4 * scrapeInterval)
    }

    /// The value of an `auto` interval variable: range / `autoCount` (Grafana's default 30), at least
    /// `autoMin` (default 10s).
    public static func auto(range: Int64, count: Int?, min: String?) -> Int64 {
        let low = min.flatMap { try? PromDuration.parse($0) } ?? 10_000
        return calculate(range: range, resolution: count ?? 30, lowLimit: low)
    }

    /// Grafana writes `$__range` and `$__rate_interval` in seconds (`86400s`); milliseconds when not whole.
    static func seconds(_ ms: Int64) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
