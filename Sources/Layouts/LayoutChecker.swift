import MetricsCore
import PromQL

/// `lookout check` for layouts: JSON syntax, structure, grid placement, PromQL syntax (pointing inside
/// the file) and lints. Errors make a layout unusable; warnings flag numbers that are likely wrong.
public struct LayoutChecker: Sendable {
    /// Turns every warning into an error (`--strict`).
    public var strict: Bool
    /// Scrape interval in milliseconds: ranges shorter than two of them are flagged, and
    /// `$__rate_interval` and friends are filled from it.
    public var scrapeInterval: Int64
    /// Graph range in milliseconds, for `$__range`.
    public var range: Int64

    public init(strict: Bool = false, scrapeInterval: Int64 = 15_000, range: Int64 = 3_600_000) {
        self.strict = strict
        self.scrapeInterval = scrapeInterval
        self.range = range
    }

    /// Whether any diagnostic is an error (the exit status of `check` is 1 then).
    public static func hasErrors(_ diagnostics: [LayoutDiagnostic]) -> Bool {
        diagnostics.contains { $0.severity == .error }
    }

    public func check(file path: String) -> [LayoutDiagnostic] {
        do {
            return check(bytes: try LayoutLoader.readFile(path), file: path)
        } catch {
            return [error]
        }
    }

    public func check(text: String, file: String) -> [LayoutDiagnostic] {
        check(bytes: Array(text.utf8), file: file)
    }

    public func check(bytes: [UInt8], file: String) -> [LayoutDiagnostic] {
        let layout: LoadedLayout
        do {
            layout = try LayoutLoader.decode(bytes, file: file)
        } catch {
            // `lookout check layouts/*.json` also meets layouts/schema.json, which is no layout.
            if Self.isJSONSchema(bytes) { return [] }
            return [error]
        }
        var out = layout.warnings
        out += gridDiagnostics(layout.dashboard.panels, file: file)
        out += panelDiagnostics(layout, file: file)
        out += expressionDiagnostics(layout, file: file)
        out += coverageDiagnostics(layout, file: file, already: out)
        out += variableDiagnostics(layout, file: file)
        if strict {
            out = out.map { var d = $0; d.severity = .error; return d }
        }
        return out
    }

    /// A JSON Schema document (its `$schema` names json-schema.org), such as the editors' schema.json.
    static func isJSONSchema(_ bytes: [UInt8]) -> Bool {
        guard let root = try? JSONParser.parse(bytes) else { return false }
        return root["$schema"]?.string?.contains("json-schema.org") == true
    }

    // MARK: Grid

    func gridDiagnostics(_ panels: [Panel], file: String) -> [LayoutDiagnostic] {
        var out: [LayoutDiagnostic] = []
        let placed = panels.filter { $0.gridPos != nil }
        for panel in placed {
            guard let g = panel.gridPos else { continue }
            let at = LayoutDiagnostic.Location.path(panel.path)
            if g.x < 0 || g.y < 0 {
                out.append(LayoutDiagnostic(.error, file: file, at: at,
                    "position x=\(g.x), y=\(g.y) is outside the grid (x and y start at 0)"))
            } else if g.w < 1 || g.h < 1 {
                out.append(LayoutDiagnostic(.error, file: file, at: at,
                    "size w=\(g.w), h=\(g.h) is empty (width and height must be at least 1)"))
            } else if g.x + g.w > GridPos.columns {
                out.append(LayoutDiagnostic(.error, file: file, at: at,
                    "x=\(g.x) plus w=\(g.w) reaches column \(g.x + g.w), beyond the \(GridPos.columns)-column grid"))
            }
        }
        for (i, a) in placed.enumerated() {
            guard let ga = a.gridPos else { continue }
            for b in placed[..<i] {
                guard let gb = b.gridPos else { continue }
                let x0 = max(ga.x, gb.x), x1 = min(ga.x + ga.w, gb.x + gb.w)
                let y0 = max(ga.y, gb.y), y1 = min(ga.y + ga.h, gb.y + gb.h)
                guard x0 < x1, y0 < y1 else { continue }
                out.append(LayoutDiagnostic(.error, file: file, at: .path(a.path),
                    "overlaps \(b.path) (\"\(b.title)\") in columns \(x0)-\(x1 - 1), rows \(y0)-\(y1 - 1)"))
            }
        }
        for panel in panels where !panel.children.isEmpty {
            out += gridDiagnostics(panel.children, file: file)
        }
        return out
    }

    // MARK: Panels

    func panelDiagnostics(_ layout: LoadedLayout, file: String) -> [LayoutDiagnostic] {
        var out: [LayoutDiagnostic] = []
        func visit(_ panel: Panel) {
            if case .unsupported(let type) = panel.type {
                out.append(LayoutDiagnostic(.warning, file: file, at: .path(panel.path),
                    "panel type \"\(type)\" is not drawn by Lookout; it shows as a placeholder"))
            }
            let where_ = layout.thresholdPaths[panel.path] ?? panel.path
            var previous: Double?
            for (i, t) in panel.thresholds.enumerated() {
                if !Self.isKnownColor(t.color) {
                    out.append(LayoutDiagnostic(.warning, file: file, at: .path(where_),
                        "unknown colour \"\(t.color)\" (expected red, orange, yellow, green, blue, purple, cyan, white, "
                        + "black or gray, optionally dark-, semi-dark-, light- or super-light-, or #rrggbb)"))
                }
                guard let value = t.value else {
                    if i > 0 {
                        out.append(LayoutDiagnostic(.warning, file: file, at: .path(where_),
                            "threshold \(i) has no value; only the first may (it means minus infinity)"))
                    }
                    continue
                }
                if let p = previous, value < p {
                    out.append(LayoutDiagnostic(.warning, file: file, at: .path(where_),
                        "thresholds not ascending: \(Self.format(value)) (\(t.color)) comes after \(Self.format(p))"))
                }
                previous = value
            }
            panel.children.forEach(visit)
        }
        layout.dashboard.panels.forEach(visit)
        return out
    }

    /// Colour names the renderer knows (Grafana's palette names included), or `#rgb` / `#rrggbb`.
    static func isKnownColor(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasPrefix("#") {
            let digits = lower.dropFirst()
            return (digits.count == 3 || digits.count == 6) && digits.allSatisfy(\.isHexDigit)
        }
        var base = Substring(lower)
        for prefix in ["super-light-", "semi-dark-", "light-", "dark-"] where base.hasPrefix(prefix) {
            base = base.dropFirst(prefix.count)
            break
        }
        return ["red", "orange", "yellow", "green", "blue", "purple", "magenta", "cyan", "white", "black", "gray", "grey",
                "text", "transparent"].contains(String(base))
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    // MARK: Expressions

    func expressionDiagnostics(_ layout: LoadedLayout, file: String) -> [LayoutDiagnostic] {
        siteDiagnostics(layout, file: file).map(\.diagnostic)
    }

    /// Each expression's findings with the panel that holds it (for coverage).
    func siteDiagnostics(_ layout: LoadedLayout, file: String) -> [(panelPath: String, diagnostic: LayoutDiagnostic)] {
        var values = Templating.builtinValues(scrapeInterval: scrapeInterval, range: range)
        for v in layout.dashboard.variables {
            // Values of label_values variables come from the source; any label value parses the same.
            values[v.name] = "x"
        }
        let defaults = Templating.defaultValues(for: layout.dashboard.variables)
        values.merge(defaults) { $1 }
        // Variables whose value only the source knows stand as `x`; where a number is expected
        // (`histogram_quantile($quantile, ...)`) the expression is tried again with `1` before it is reported.
        var numeric = values
        for v in layout.dashboard.variables where defaults[v.name] == nil { numeric[v.name] = "1" }
        var out: [(panelPath: String, diagnostic: LayoutDiagnostic)] = []
        for site in layout.expressions {
            let (text, replacements) = Templating.substituteMapped(site.expr, values: values)
            func at(_ offset: Int) -> LayoutDiagnostic.Location {
                let (line, column) = layout.position(in: site, offset: Templating.originalOffset(offset, replacements: replacements))
                return .position(line: line, column: column)
            }
            if text.allSatisfy(\.isWhitespace) {
                out.append((site.panelPath, LayoutDiagnostic(.error, file: file, at: .path(site.path), "empty expression")))
                continue
            }
            let expr: Expr
            do throws(PromQLParseError) {
                do throws(PromQLParseError) {
                    expr = try PromQLParser.parse(text)
                } catch {
                    let retry = Templating.substituteMapped(site.expr, values: numeric).text
                    guard retry != text, let e = try? PromQLParser.parse(retry) else { throw error }
                    expr = e
                }
            } catch {
                let message = Self.undefinedVariable(in: text, at: error.offset).map {
                    "undefined variable $\($0) (define it under \"templating\")"
                } ?? "PromQL: \(error.message)"
                out.append((site.panelPath, LayoutDiagnostic(.error, file: file, at: at(error.offset), message)))
                continue
            }
            if let kind = Self.rangeResult(expr) {
                out.append((site.panelPath, LayoutDiagnostic(.error, file: file, at: at(expr.position.start),
                    "expression gives a \(kind); a panel needs an instant vector or a scalar")))
            }
            for lint in PromQLLinter.lint(expr, scrapeInterval: scrapeInterval) {
                out.append((site.panelPath, LayoutDiagnostic(.warning, file: file, at: at(lint.position.start), lint.message)))
            }
        }
        return out
    }

    /// The name of a `$name` reference left at `offset` after substitution (so never defined), if any.
    static func undefinedVariable(in text: String, at offset: Int) -> String? {
        let bytes = Array(text.utf8)
        guard offset >= 0, offset < bytes.count, bytes[offset] == UInt8(ascii: "$") else { return nil }
        var start = offset + 1
        if start < bytes.count, bytes[start] == UInt8(ascii: "{") { start += 1 }
        var end = start
        while end < bytes.count, Templating.isNameScalar(Unicode.Scalar(bytes[end])) { end += 1 }
        return end > start ? String(decoding: bytes[start..<end], as: UTF8.self) : nil
    }

    static func rangeResult(_ e: Expr) -> String? {
        switch e {
        case .paren(let inner, _): return rangeResult(inner)
        case .matrixSelector, .subquery: return "range vector"
        case .string: return "string"
        default: return nil
        }
    }
}
