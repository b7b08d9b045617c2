import PromQL
import Testing
@testable import Layouts

@Suite struct LintTests {
    func lints(_ text: String, scrape: Int64 = 15_000) throws -> [String] {
        PromQLLinter.lint(try PromQLParser.parse(text), scrapeInterval: scrape).map(\.message)
    }

    func lintStarts(_ text: String) throws -> [Int] {
        PromQLLinter.lint(try PromQLParser.parse(text), scrapeInterval: 15_000).map(\.position.start)
    }

    @Test func rawBucketsInHistogramQuantile() throws {
        #expect(try lintStarts("histogram_quantile(0.9, x_bucket)") == [24])
        #expect(try lintStarts("histogram_quantile(0.9, sum by (le) (x_bucket))") == [37])
        #expect(try lints("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))").isEmpty)
        #expect(try lints("histogram_quantile(0.9, sum by (le) (increase(x_bucket[1h])))").isEmpty)
        // Native histograms carry no _bucket suffix and are fine as they are.
        #expect(try lints("histogram_quantile(0.9, x)").isEmpty)
    }

    @Test func ratioOfRatesWithMismatchedLabels() throws {
        #expect(try lintStarts(#"rate(x_total{code=~"5.."}[5m]) / rate(x_total[5m])"#) == [0])
        #expect(try lintStarts(#"sum by (a) (rate(x_total[5m])) / sum by (b) (rate(x_total[5m]))"#) == [0])
        #expect(try lintStarts(#"sum(rate(x_total{code="500"}[5m])) / rate(x_total[5m])"#) == [0])
        // Fine: both sides aggregated alike, explicit matching, one-to-one by construction, or a scalar.
        #expect(try lints(#"sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m]))"#).isEmpty)
        #expect(try lints(#"sum by (h) (rate(x_total{code=~"5.."}[5m])) / sum by (h) (rate(x_total[5m]))"#).isEmpty)
        #expect(try lints(#"rate(x_total{code=~"5.."}[5m]) / ignoring(code) group_left sum without (code) (rate(x_total[5m]))"#).isEmpty)
        #expect(try lints("rate(x_sum[5m]) / rate(x_count[5m])").isEmpty)
        #expect(try lints("rate(x_total[5m]) / 60").isEmpty)
        #expect(try lints("a / (a + b)").isEmpty)
    }

    @Test func rateOfSomethingThatIsNotACounter() throws {
        #expect(try lints("rate(memory_bytes[5m])") == [
            "rate() of memory_bytes, which does not look like a counter (counter names end in _total, _count, _sum or _bucket); "
                + "for a gauge use deriv() or delta()",
        ])
        #expect(try lints("increase(temperature_celsius[1h])").count == 1)
        #expect(try lints("irate(q_seconds[5m])").count == 1)
        for counter in ["a_total", "a_seconds_total", "a_count", "a_sum", "a_bucket", "pg_stat_database_blks_hit",
                        "node_vmstat_pgfault"] {
            #expect(try lints("rate(\(counter)[5m])").isEmpty, "\(counter)")
        }
        #expect(try lints("deriv(memory_bytes[5m])").isEmpty)
    }

    @Test func rangeShorterThanTwoScrapes() throws {
        #expect(try lints("rate(a_total[20s])", scrape: 15_000) == [
            "range [20s] is shorter than two scrape intervals (2 × 15s): it will often hold fewer than two samples",
        ])
        #expect(try lints("rate(a_total[30s])", scrape: 15_000).isEmpty)
        #expect(try lints("max_over_time(a[9s])", scrape: 5_000).count == 1)
        #expect(try lints("rate(a_total[1m])", scrape: 5_000).isEmpty)
    }

    @Test func lintsReportEachProblem() throws {
        // Raw buckets, a short range and a gauge under rate in one expression.
        let found = try lints("histogram_quantile(0.5, x_bucket) + rate(g[10s])")
        #expect(found.count == 3)
    }
}
