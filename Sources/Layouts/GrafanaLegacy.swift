/// Panels as Grafana wrote them before version 7 (`graph`, `singlestat`, `table` with `styles`,
/// Grafana 6 `options.fieldOptions`), migrated the way Grafana's own migration reads them: a singlestat's
/// `"0.5,0.8"` thresholds and `colors` become steps, `valueName` the reducer, `valueMaps`/`rangeMaps`
/// value mappings, `format` the unit; a table style becomes an override of the columns it matches.
extension DecodeContext {
    /// Singlestat `valueName` → the reducer Grafana's migration picks.
    static let singlestatReducers: [String: String] = [
        "current": "lastNotNull", "avg": "mean", "total": "sum", "first": "firstNotNull", "min": "min", "max": "max",
        "delta": "delta", "diff": "diff", "range": "range", "name": "name", "last_time": "lastNotNull",
    ]

    mutating func applyLegacyFields(_ obj: JSONNode, _ path: JSONPath, typeName: String, to panel: inout Panel) {
        // Older panels keep their unit and decimals at the top or on the y axis.
        panel.decimals = gInt(obj, "decimals", path, range: 0...20)
        panel.unit = gString(obj, "format", path).flatMap { $0.isEmpty ? nil : $0 }
        if let axes = gArray(obj, "yaxes", path), let first = axes.first, first.members != nil {
            let p = path.key("yaxes").index(0)
            panel.unit = gString(first, "format", p) ?? panel.unit
            panel.min = gDouble(first, "min", p)
            panel.max = gDouble(first, "max", p)
            panel.decimals = gInt(first, "decimals", p, range: 0...20) ?? panel.decimals
        }
        if typeName == "graph", let legend = gObject(obj, "legend", path), let show = gBool(legend, "show", path.key("legend")) {
            panel.showLegend = show
        }
        if typeName == "singlestat" { migrateSinglestat(obj, path, to: &panel) }
        if let styles = gArray(obj, "styles", path) { migrateTableStyles(styles, path.key("styles"), to: &panel) }
    }

    private mutating func migrateSinglestat(_ obj: JSONNode, _ path: JSONPath, to panel: inout Panel) {
        let colors = (gArray(obj, "colors", path) ?? []).compactMap(\.string).map(Self.normalizedColor)
        if let text = gString(obj, "thresholds", path) {
            panel.thresholds = Self.stringThresholds(text, colors: colors)
            thresholdPaths[panel.path] = path.key("thresholds").description
        }
        if gBool(obj, "colorBackground", path) == true {
            panel.colorMode = "background"
        } else if gBool(obj, "colorValue", path) == true {
            panel.colorMode = "value"
        } else {
            panel.colorMode = "none"
        }
        let valueName = gString(obj, "valueName", path) ?? "avg"
        panel.reducer = Self.singlestatReducers[valueName] ?? "mean"
        if let spark = gObject(obj, "sparkline", path) { panel.showSparkline = gBool(spark, "show", path.key("sparkline")) ?? false }
        if let gauge = gObject(obj, "gauge", path) {
            panel.min = gDouble(gauge, "minValue", path.key("gauge")) ?? panel.min
            panel.max = gDouble(gauge, "maxValue", path.key("gauge")) ?? panel.max
        }
        let thresholds = panel.thresholds
        let maps = legacyMappings(obj, path, colorFor: { Self.color(of: $0, in: thresholds) })
        panel.mappings += maps
    }

    /// `"0.5,0.8"` with colours `[ok, warn, crit]`: the base step takes the first colour, each
    /// threshold the next one (Grafana's migration); missing colours repeat the last.
    static func stringThresholds(_ text: String, colors: [String]) -> [Threshold] {
        let values = text.split(separator: ",").compactMap { Double($0.filter { !$0.isWhitespace }) }
        guard !values.isEmpty else { return [] }
        let palette = colors.isEmpty ? ["green", "orange", "red"] : colors
        func color(_ i: Int) -> String { palette[min(i, palette.count - 1)] }
        return [Threshold(value: nil, color: color(0))] + values.enumerated().map { Threshold(value: $1, color: color($0 + 1)) }
    }

    static func color(of text: String, in thresholds: [Threshold]) -> String? {
        guard let v = Double(text) else { return nil }
        return thresholds.last { ($0.value ?? -.infinity) <= v }?.color
    }

    /// Singlestat and old table `valueMaps` (`{value, text}`, `"null"` meaning no value) and `rangeMaps`.
    mutating func legacyMappings(_ obj: JSONNode, _ path: JSONPath, colorFor: (String) -> String?) -> [ValueMapping] {
        var out: [ValueMapping] = []
        let mappingType = gInt(obj, "mappingType", path)
        if mappingType != 2, let maps = gArray(obj, "valueMaps", path) {
            for (i, m) in maps.enumerated() where m.members != nil {
                let p = path.key("valueMaps").index(i)
                guard let value = gString(m, "value", p), let text = gString(m, "text", p) else { continue }
                out.append(ValueMapping(value == "null" ? .null : .value(value), text: text, color: colorFor(text)))
            }
        }
        if mappingType != 1, let maps = gArray(obj, "rangeMaps", path) {
            for (i, m) in maps.enumerated() where m.members != nil {
                let p = path.key("rangeMaps").index(i)
                guard let text = gString(m, "text", p) else { continue }
                let from = gDouble(m, "from", p), to = gDouble(m, "to", p)
                if from == nil && to == nil { continue }
                out.append(ValueMapping(.range(from: from, to: to), text: text, color: colorFor(text)))
            }
        }
        return out
    }

    /// One threshold of an old table style, written as a string or a number. Kept out of line: Swift 6.3's
    /// optimiser crashes ("Found ownership error" in CopyPropagation) when this is a closure in the loop below.
    @inline(never)
    private static func thresholdText(_ node: JSONNode) -> String? {
        node.string ?? node.number.map { LayoutChecker.format($0) }
    }

    /// Old table `styles`: the `/.*/` style sets the panel's defaults, the others become overrides of the
    /// columns they match (a pattern written `/.../` is a regex, otherwise a name).
    private mutating func migrateTableStyles(_ styles: [JSONNode], _ path: JSONPath, to panel: inout Panel) {
        for (i, style) in styles.enumerated() where style.members != nil {
            let p = path.index(i)
            let pattern = gString(style, "pattern", p) ?? ""
            let type = gString(style, "type", p)
            var o = FieldOverride(matcher: pattern.hasPrefix("/") ? .regex(pattern) : .name(pattern))
            o.unit = type == "number" ? gString(style, "unit", p) : nil
            o.decimals = gInt(style, "decimals", p, range: 0...20)
            o.displayName = gString(style, "alias", p).flatMap { $0.isEmpty ? nil : $0 }
            o.hidden = type == "hidden" ? true : nil
            let colors = (gArray(style, "colors", p) ?? []).compactMap(\.string).map(Self.normalizedColor)
            if let list = gArray(style, "thresholds", p) {
                let text = list.compactMap(Self.thresholdText).joined(separator: ",")
                let steps = Self.stringThresholds(text, colors: colors)
                if !steps.isEmpty { o.thresholds = steps }
            }
            let maps = legacyMappings(style, p, colorFor: { _ in nil })
            if !maps.isEmpty { o.mappings = maps }
            if pattern == "/.*/" {
                panel.unit = o.unit ?? panel.unit
                panel.decimals = o.decimals ?? panel.decimals
                panel.thresholds = o.thresholds ?? panel.thresholds
                panel.mappings += o.mappings ?? []
            } else if !pattern.isEmpty {
                panel.overrides.append(o)
            }
        }
    }

    /// Grafana 6: `options.fieldOptions` {calcs, defaults: {unit, decimals, min, max, thresholds, mappings},
    /// thresholds, mappings, override}: read as `fieldConfig.defaults` and `reduceOptions.calcs`.
    mutating func migrateFieldOptions(_ fo: JSONNode, _ path: JSONPath, to panel: inout Panel) {
        if let calcs = gArray(fo, "calcs", path), let first = calcs.first?.string { panel.reducer = first }
        for key in ["defaults", "override"] {
            guard let d = gObject(fo, key, path) else { continue }
            let p = path.key(key)
            panel.unit = gString(d, "unit", p).flatMap { $0.isEmpty ? nil : $0 } ?? panel.unit
            panel.decimals = gInt(d, "decimals", p, range: 0...20) ?? panel.decimals
            panel.min = gDouble(d, "min", p) ?? panel.min
            panel.max = gDouble(d, "max", p) ?? panel.max
            if let list = gArray(d, "thresholds", p) { panel.thresholds = stepList(list, p.key("thresholds")) }
            if let list = gArray(d, "mappings", p) { panel.mappings += mappings(list, p.key("mappings")) }
        }
        // Grafana 6.0-6.1 kept thresholds and mappings beside the defaults.
        if let list = gArray(fo, "thresholds", path) { panel.thresholds = stepList(list, path.key("thresholds")) }
        if let list = gArray(fo, "mappings", path) { panel.mappings += mappings(list, path.key("mappings")) }
    }

    /// `[{color, value}]` in any order (Grafana 6 wrote them by index, the base step first or last).
    mutating func stepList(_ list: [JSONNode], _ path: JSONPath) -> [Threshold] {
        var steps: [Threshold] = []
        for (i, node) in list.enumerated() where node.members != nil {
            let p = path.index(i)
            let value = gDouble(node, "value", p)
            steps.append(Threshold(value: value.flatMap { $0.isFinite ? $0 : nil },
                                   color: Self.normalizedColor(gString(node, "color", p) ?? "green")))
        }
        return steps.sorted { ($0.value ?? -.infinity) < ($1.value ?? -.infinity) }
    }
}
