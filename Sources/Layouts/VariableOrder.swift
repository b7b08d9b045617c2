/// Which variables a variable needs, the order that puts parents first, and what stays unresolved.
extension VariableResolver {
    /// The names among `names` that `v`'s query, regex or `allValue` refers to.
    public static func references(_ v: Variable, among names: Set<String>) -> Set<String> {
        var texts = [v.regex, v.allValue].compactMap { $0 }
        switch v.kind {
        case .labelValues(let metric, _): if let metric { texts.append(metric) }
        case .queryResult(let s), .metrics(let s), .unsupportedQuery(let s): texts.append(s)
        default: break
        }
        var found: Set<String> = []
        for text in texts {
            _ = Templating.substituteMapped(text) { name, _ in
                if names.contains(name) { found.insert(name) }
                return nil
            }
        }
        return found
    }

    /// Indices of `variables` with every variable after those it refers to; file order otherwise.
    /// A cycle is broken at the first variable of it in file order (it resolves without its parents' values).
    public static func order(_ variables: [Variable]) -> [Int] {
        let names = Set(variables.map(\.name))
        let needs = variables.map { references($0, among: names).subtracting([$0.name]) }
        var done: Set<String> = []
        var out: [Int] = []
        var remaining = Array(variables.indices)
        while !remaining.isEmpty {
            let ready = remaining.first { needs[$0].isSubset(of: done) } ?? remaining[0]
            out.append(ready)
            done.insert(variables[ready].name)
            remaining.removeAll { $0 == ready }
        }
        return out
    }

    /// One line per variable that has no value, or whose filters Lookout applies: for `lookout check`
    /// (before any lookup, `resolved` nil: what can be known from the file) and for the live screen.
    public static func unresolvedReport(_ variables: [Variable], resolved: [ResolvedVariable]? = nil) -> [String] {
        var lines: [String] = []
        let names = Set(variables.map(\.name))
        if let resolved {
            for r in resolved {
                if let why = r.unresolved { lines.append("$\(r.name): no value: \(why)") }
            }
        } else {
            for v in variables {
                switch v.kind {
                case .unsupportedQuery(let q) where v.current == nil || v.current == Variable.allMarker:
                    // Written with variables (`label_values(m, $label)`): read once they have values, at run time.
                    let used = Templating.variableReferences(in: q)
                    if !used.isEmpty, Set(used).isSubset(of: names.union(["__interval", "__rate_interval", "__range"])) { break }
                    lines.append("$\(v.name): no value: query Lookout cannot run: \(q)")
                case .labelValues, .queryResult, .metrics:
                    let undefined = Set(referencedNames(v)).subtracting(names).filter { !$0.hasPrefix("__") }
                    if !undefined.isEmpty {
                        lines.append("$\(v.name): its query uses $\(undefined.sorted().joined(separator: ", $")), which no variable defines")
                    }
                default:
                    break
                }
            }
        }
        for v in variables {
            if case .adhoc(let filters) = v.kind, !filters.isEmpty {
                let text = filters.map { "\($0.key)\($0.op)\"\($0.value)\"" }.joined(separator: ", ")
                lines.append("$\(v.name): ad hoc filters \(text) are added to every selector")
            }
        }
        return lines
    }

    /// Every `$name` written in a query variable's query, defined or not.
    static func referencedNames(_ v: Variable) -> [String] {
        var text = ""
        switch v.kind {
        case .labelValues(let metric, _): text = metric ?? ""
        case .queryResult(let s), .metrics(let s): text = s
        default: return []
        }
        var found: [String] = []
        _ = Templating.substituteMapped(text) { name, _ in
            found.append(name)
            return nil
        }
        return found
    }
}

extension Templating {
    /// The variable references left in `text` (`$name`, `${name}`, `[[name]]`), in order, without repeats.
    /// `$1` (a regex replacement) is not a variable.
    public static func variableReferences(in text: String) -> [String] {
        var found: [String] = []
        _ = substituteMapped(text) { name, _ in
            if isName(name), !found.contains(name) { found.append(name) }
            return nil
        }
        return found
    }
}
