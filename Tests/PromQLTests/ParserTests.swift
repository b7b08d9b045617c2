import MetricsCore
import Testing
@testable import PromQL

@Suite struct ParserTests {
    private func roundTrip(_ text: String) throws -> String { "\(try PromQLParser.parse(text))" }

    @Test func printsCanonicalForms() throws {
        #expect(try roundTrip("up{job='perfect21-api'}") == #"up{job="perfect21-api"}"#)
        #expect(try roundTrip("SUM BY (group) (http_requests{job=\"api\"})") == #"sum by (group) (http_requests{job="api"})"#)
        #expect(try roundTrip("sum(rate(x[5m])) without (a,b,)") == "sum without (a, b) (rate(x[5m]))")
        #expect(try roundTrip("histogram_quantile(0.95, http_request_duration_seconds_bucket)")
            == "histogram_quantile(0.95, http_request_duration_seconds_bucket)")
        #expect(try roundTrip("a / on(x) group_left(y) b") == "a / on(x) group_left(y) b")
        #expect(try roundTrip("a > bool ignoring(z) b") == "a > bool ignoring(z) b")
        #expect(try roundTrip("x[1h30m:1m] offset -5m") == "x[1h30m:1m] offset -5m")
        #expect(try roundTrip("x @ 100 offset 1m") == "x offset 1m @ 100.000")
        #expect(try roundTrip("rate(x[5m] @ end())") == "rate(x[5m] @ end())")
        #expect(try roundTrip(#"{__name__=~"a.*", b!~`c\d`}"#) == #"{__name__=~"a.*", b!~"c\\d"}"#)
        #expect(try roundTrip("topk(3, x)") == "topk(3, x)")
        #expect(try roundTrip("-1 ^ 2") == "-1 ^ 2")
        // UTF-8 names stay quoted, so the text parses back.
        #expect(try roundTrip(#"rate({"my.metric", "a.b"="c"}[5m])"#) == #"rate({"my.metric", "a.b"="c"}[5m])"#)
        #expect(try roundTrip(#"sum by ("a.b") (x) * on("a.b") group_left("c.d") y"#)
            == #"sum by ("a.b") (x) * on("a.b") group_left("c.d") y"#)
        #expect(try roundTrip("x + fill_left(1) fill_right(2) y") == "x + fill_left(1) fill_right(2) y")
        #expect(try roundTrip("increase(x[5m] anchored) + x smoothed") == "increase(x[5m] anchored) + x smoothed")
    }

    @Test func precedenceAndAssociativity() throws {
        guard case .binary(let b) = try PromQLParser.parse("1 + 2 * 3") else { Issue.record("not binary"); return }
        #expect(b.op == .add)
        guard case .binary(let p) = try PromQLParser.parse("2 ^ 3 ^ 2") else { Issue.record("not binary"); return }
        #expect(p.op == .pow)
        guard case .number(2, _) = p.lhs else { Issue.record("pow must be right-associative"); return }
        guard case .unary(.minus, let inner, _) = try PromQLParser.parse("-a ^ 2") else { Issue.record("unary"); return }
        guard case .binary(let q) = inner else { Issue.record("-a^2 is -(a^2)"); return }
        #expect(q.op == .pow)
        guard case .binary(let o) = try PromQLParser.parse("a or b and c") else { Issue.record("not binary"); return }
        #expect(o.op == .or)
        #expect(o.matching?.cardinality == .manyToMany)
    }

    @Test func selectorsAndMetricNames() throws {
        let e = try PromQLParser.parse(#"sum(rate(a{job="x"}[5m])) / on() group_left b + {__name__=~"c.*"} + d offset 1m"#)
        #expect(e.vectorSelectors.count == 4)
        #expect(e.metricNames == ["a", "b", "d"])
        #expect(e.type == .vector)
        #expect(try PromQLParser.parse("scalar(up) * 2").type == .scalar)
    }

    @Test func literals() throws {
        guard case .number(let h, _) = try PromQLParser.parse("0x1F") else { Issue.record("hex"); return }
        #expect(h == 31)
        guard case .number(let i, _) = try PromQLParser.parse("-Inf") else { Issue.record("inf"); return }
        #expect(i == -.infinity)
        guard case .string(let s, _) = try PromQLParser.parse(#""a\tb\u00e9\x41""#) else { Issue.record("string"); return }
        #expect(s == "a\tbéA")
        guard case .matrixSelector(let m) = try PromQLParser.parse("x[500ms]") else { Issue.record("ms"); return }
        #expect(m.range == 500)
    }

    @Test(arguments: [
        ("foo{", "1:5: parse error: unexpected end of input inside braces"),
        ("sum(x))", #"1:8: parse error: unexpected right parenthesis ')'"#),
        ("sum(x", "1:6: parse error: unclosed left parenthesis"),
        ("rate(x[5m]", "1:11: parse error: unclosed left parenthesis"),
        ("x[5m:1m", "1:8: parse error: unclosed left bracket"),
        ("rate(x[5m)", #"1:10: parse error: unexpected ")" in subquery or range, expected ":" or "]""#),
        ("x}", "1:2: parse error: unexpected character: '}'"),
        (#"x{a="b")"#, "1:8: parse error: unexpected character inside braces: ')'"),
        ("x{a=b}", #"1:5: parse error: unexpected identifier "b" in label matching, expected string"#),
        ("1 +* 2", "1:4: parse error: unexpected <op:*>"),
        ("x offset", "1:9: parse error: unexpected end of input in offset, expected duration"),
        ("topk(x, y)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        ("x[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        ("rate(x)", #"1:6: parse error: expected type range vector in call to function "rate", got instant vector"#),
        ("foo(1)", #"1:1: parse error: unknown function with name "foo""#),
        ("1 > 2", "1:1: parse error: comparisons between scalars must use BOOL modifier"),
        ("x[5m][1m]", "1:6: parse error: ranges only allowed for vector selectors"),
        ("{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("1 and 2", #"1:1: parse error: set operator "and" not allowed in binary scalar expression"#),
        ("clamp(x, 1)", #"1:1: parse error: expected 3 argument(s) in call to "clamp", got 2"#),
        ("x + bool y", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("sum(x) by (a) by (b)", #"1:15: parse error: unexpected <by>"#),
        ("x\n  + ]", "2:5: parse error: unexpected right bracket ']'"),
        ("'abc", "1:1: parse error: unterminated quoted string"),
        ("foo{a=~\"(\"}", "1:5: parse error: error parsing regexp"),
    ])
    func reportsErrors(text: String, expected: String) {
        do {
            let e = try PromQLParser.parse(text)
            Issue.record("parsed \(text) as \(e)")
        } catch {
            #expect("\(error)".hasPrefix(expected), "\(error)")
        }
    }
}
