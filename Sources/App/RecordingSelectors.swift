import Layouts
import MetricsCore
import PromQL

/// Server mode recording (`lookout record --prometheus`): the raw series behind every panel of the
/// layouts, as selectors (`{__name__="x",job="y"}`), with the layouts' variables expanded as the
/// dashboard expands them. Fetching these over the range gives what the layouts need to be drawn
/// again from the recording.
public enum RecordingSelectors {
    public static func of(_ state: AppState, intervalMs: Int64) -> [String] {
        var seen = Set<String>()
        for index in state.layouts.indices {
            var layoutState = state
            layoutState.current = index
            let expand = Expansion.expander(state: layoutState, intervalMs: intervalMs)
            var panels = layoutState.currentLayout?.dashboard.panels ?? []
            while let panel = panels.popLast() {
                panels += panel.children
                for target in panel.targets {
                    guard let parsed = try? PromQLParser.parse(expand(target.expr)) else { continue }
                    for selector in parsed.vectorSelectors { seen.insert(text(selector)) }
                }
            }
        }
        return seen.sorted()
    }

    /// The selector's matchers only: no range, offset or `@`, so the raw samples come back.
    static func text(_ selector: VectorSelector) -> String {
        "{" + selector.matchers.map { m in
            m.name + m.kind.rawValue + "\"" + StringLiteral.escape(m.value) + "\""
        }.joined(separator: ",") + "}"
    }
}
