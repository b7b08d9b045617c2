import Foundation
import MetricsCore
import TerminalBackend

/// The reducer's half for investigating: cursor, time travel, inspector, prompt, legend filter.
/// Pure like the rest: the clock and the screen's facts come in the context.
extension Reducer {
    static func investigate(_ state: inout AppState, _ command: Command, context: ReduceContext) -> [Effect] {
        state.message = nil
        switch command {
        case .toggleCursor:
            guard state.overlay == nil else { return [] }
            state.currentView.cursor = state.currentView.cursor == nil ? windowEnd(state, context) - span(state, context) / 2 : nil
        case .cursorStep(let columns):
            guard state.overlay == nil else { return [] }
            moveCursor(&state, columns: columns, context: context)
        case .pan(let direction), .wheel(let direction):
            guard state.overlay == nil else { return [] }
            return setWindowEnd(&state, windowEnd(state, context) + Int64(direction) * span(state, context) / 2, context: context)
        case .jumpMarker(let direction):
            return jump(&state, direction: direction, context: context)
        case .goLive:
            guard state.windowEnd != nil else { return [] }
            state.windowEnd = nil
            return [.refresh(refill: true)]
        case .toggleInspector:
            guard state.overlay == nil || state.overlay == .inspector else { return [] }
            state.overlay = state.overlay == .inspector ? nil : .inspector
        case .copyExpression:
            return state.overlay == .inspector ? [.copyExpression] : []
        case .openPrompt(let kind):
            guard state.overlay == nil else { return [] }
            var prompt = PromptState(kind: kind)
            if kind == .filter, let text = state.currentView.filters[focusedPanel(state)] { prompt = PromptState(kind: kind, text: text) }
            state.prompt = prompt
        case .promptKey(let key):
            return promptKey(&state, key, context: context)
        case .toggleSeries:
            guard let zoomed = state.currentView.zoomed, context.legendNames.indices.contains(state.currentView.legendRow) else { return [] }
            let name = context.legendNames[state.currentView.legendRow]
            var hidden = state.currentView.hiddenSeries[zoomed] ?? []
            if hidden.remove(name) == nil { hidden.insert(name) }
            state.currentView.hiddenSeries[zoomed] = hidden.isEmpty ? nil : hidden
        case .toggleRows:
            guard state.overlay == nil, state.currentView.zoomed == nil else { return [] }
            state.currentView.rowsOpen.toggle()
            return [.refresh(refill: true)]
        case .press(let x, _):
            state.currentView.dragFrom = state.currentView.zoomed != nil || state.explore != nil ? x : nil
        case .release(let x, _):
            defer { state.currentView.dragFrom = nil }
            guard let from = state.currentView.dragFrom else { return [] }
            return dragZoom(&state, from: from, to: x, context: context)
        case .sortByValue:
            let panel = focusedPanel(state)
            if state.currentView.sortedByValue.remove(panel) == nil { state.currentView.sortedByValue.insert(panel) }
        default:
            break
        }
        return []
    }

    /// The panel the legend keys act on: the zoomed one, else the selected one.
    static func focusedPanel(_ state: AppState) -> Int { state.currentView.zoomed ?? state.currentView.selected }

    static func windowEnd(_ state: AppState, _ context: ReduceContext) -> Int64 { state.windowEnd ?? context.now }

    /// What the graphs show: the range, or the shorter window of a young history.
    static func span(_ state: AppState, _ context: ReduceContext) -> Int64 {
        context.windowMs > 0 ? min(context.windowMs, state.rangeMs) : state.rangeMs
    }

    /// In a zoomed graph ←/→ move the cursor one column, ↑/↓ pick a legend row.
    static func moveInZoom(_ state: inout AppState, _ direction: Direction, context: ReduceContext) -> [Effect] {
        switch direction {
        case .left: moveCursor(&state, columns: -1, context: context)
        case .right: moveCursor(&state, columns: 1, context: context)
        case .up: state.currentView.legendRow = max(0, state.currentView.legendRow - 1)
        case .down: state.currentView.legendRow = max(0, min(context.legendNames.count - 1, state.currentView.legendRow + 1))
        }
        return []
    }

    /// Moves the cursor (starting at the newest column when there is none), kept inside the window.
    static func moveCursor(_ state: inout AppState, columns: Int, context: ReduceContext) {
        let end = windowEnd(state, context)
        let span = span(state, context)
        let step = context.cursorStepMs > 0 ? context.cursorStepMs : max(1, span / 100)
        let start = state.currentView.cursor ?? (columns < 0 ? end : end - span)
        state.currentView.cursor = min(end, max(end - span, start + Int64(columns) * step))
    }

    static func clickInZoom(_ state: inout AppState, x: Int, context: ReduceContext) -> [Effect] {
        guard let plot = context.zoomPlot, plot.width > 1, x >= plot.x, x < plot.x + plot.width else { return [] }
        let end = windowEnd(state, context)
        let fraction = Double(x - plot.x) / Double(plot.width - 1)
        let span = span(state, context)
        state.currentView.cursor = end - span + Int64((fraction * Double(span)).rounded())
        return []
    }

    /// A drag across the zoomed plot: the graphs show just the dragged span (at least a few columns wide).
    static func dragZoom(_ state: inout AppState, from: Int, to: Int, context: ReduceContext) -> [Effect] {
        guard let plot = context.zoomPlot, plot.width > 1, abs(to - from) >= 2 else { return [] }
        let end = windowEnd(state, context)
        let span = span(state, context)
        func time(_ x: Int) -> Int64 {
            let fraction = Double(min(plot.x + plot.width - 1, max(plot.x, x)) - plot.x) / Double(plot.width - 1)
            return end - span + Int64((fraction * Double(span)).rounded())
        }
        // Whole seconds: the header reads `range 16s`, and steps stay on a whole-second grid.
        let t1 = time(max(from, to)) / 1000 * 1000
        let t0 = time(min(from, to)) / 1000 * 1000
        guard t1 - t0 >= 1000 else { return [] }
        state.rangeMs = t1 - t0
        state.windowEnd = t1 >= context.now ? nil : t1
        return [.refresh(refill: true)]
    }

    /// A window ending at or after the present follows the present again.
    static func setWindowEnd(_ state: inout AppState, _ end: Int64, context: ReduceContext) -> [Effect] {
        let next: Int64? = end >= context.now ? nil : end
        guard next != state.windowEnd else { return [] }
        state.windowEnd = next
        return [.refresh(refill: true)]
    }

    /// `{` / `}`: the cursor on the previous / next marker, the window centred on it.
    static func jump(_ state: inout AppState, direction: Int, context: ReduceContext) -> [Effect] {
        let reference = state.currentView.cursor ?? windowEnd(state, context)
        let times = context.markerTimes.sorted()
        let target = direction < 0 ? times.last { $0 < reference } : times.first { $0 > reference }
        guard let t = target else {
            state.message = direction < 0 ? "no earlier alert transition or annotation" : "no later alert transition or annotation"
            return []
        }
        state.currentView.cursor = t
        return centre(&state, on: t, context: context)
    }

    static func centre(_ state: inout AppState, on t: Int64, context: ReduceContext) -> [Effect] {
        setWindowEnd(&state, t + span(state, context) / 2, context: context)
    }
}

/// Parsing what follows `:time`: a clock time today (`03:40`, `03:40:15`; yesterday when that is
/// still to come) or an offset from now (`-2h`, `-90m`).
public enum TimeArgument {
    public static func parse(_ text: String, now: Int64, utcOffsetSeconds: Int) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("-"), let d = try? PromDuration.parse(String(t.dropFirst())), d > 0 { return now - d }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let h = Int(parts[0]), let m = Int(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0..<60).contains(s) else { return nil }
        let offsetMs = Int64(utcOffsetSeconds) * 1000
        let localNow = now + offsetMs
        let dayStart = localNow - ((localNow % 86_400_000) + 86_400_000) % 86_400_000
        var local = dayStart + Int64(h * 3600 + m * 60 + s) * 1000
        if local > localNow { local -= 86_400_000 }
        return local - offsetMs
    }
}
