import Foundation
import TerminalBackend

/// Typing at the prompt: editing, completion, history, and what Enter does.
extension Reducer {
    static func promptKey(_ state: inout AppState, _ key: Key, context: ReduceContext) -> [Effect] {
        guard var p = state.prompt else { return [] }
        var chars = Array(p.text)
        p.caret = max(0, min(chars.count, p.caret))
        switch key {
        case .character(let c):
            // Bounded: a pasted novel is not an expression.
            guard chars.count < 4096 else { return [] }
            chars.insert(c, at: p.caret)
            p.caret += 1
            p.historyIndex = nil
        case .backspace:
            guard p.caret > 0 else {
                if chars.isEmpty { state.prompt = nil }
                return []
            }
            chars.remove(at: p.caret - 1)
            p.caret -= 1
        case .left: p.caret = max(0, p.caret - 1)
        case .right: p.caret = min(chars.count, p.caret + 1)
        case .home, .control("a"): p.caret = 0
        case .end, .control("e"): p.caret = chars.count
        case .control("u"):
            chars.removeFirst(p.caret)
            p.caret = 0
        case .escape, .control("c"):
            state.prompt = nil
            return []
        case .tab:
            guard let first = context.completions.first else { return [] }
            let (start, _) = Completion.wordBounds(String(chars), caret: p.caret)
            chars.replaceSubrange(start..<p.caret, with: Array(first))
            p.caret = start + first.count
        case .up, .down:
            guard p.kind == .query, !context.history.isEmpty else { return [] }
            let n = context.history.count
            let current = p.historyIndex ?? n
            let next = key == .up ? max(0, current - 1) : min(n, current + 1)
            p.historyIndex = next == n ? nil : next
            chars = next == n ? [] : Array(context.history[next])
            p.caret = chars.count
        case .enter:
            state.prompt = nil
            return submit(&state, kind: p.kind, text: String(chars), context: context)
        default:
            return []
        }
        p.text = String(chars)
        state.prompt = p
        return []
    }

    static func submit(_ state: inout AppState, kind: PromptState.Kind, text: String, context: ReduceContext) -> [Effect] {
        let line = text.trimmingCharacters(in: .whitespaces)
        if kind == .filter {
            let panel = focusedPanel(state)
            if line.isEmpty {
                state.currentView.filters[panel] = nil
            } else if (try? Regex(line)) == nil {
                state.message = "not a regular expression: \(line)"
            } else {
                state.currentView.filters[panel] = line
            }
            return []
        }
        guard !line.isEmpty else { return [] }
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        switch words[0] {
        case "time":
            guard words.count == 2,
                  let t = TimeArgument.parse(words[1], now: context.now, utcOffsetSeconds: context.utcOffsetSeconds) else {
                state.message = "time: give a clock time (03:40) or an offset (-2h)"
                return []
            }
            state.currentView.cursor = t
            return centre(&state, on: t, context: context)
        case "live", "now":
            state.windowEnd = nil
            return [.refresh(refill: true)]
        case "save":
            guard let expr = state.explore?.expr else {
                state.message = "save: run an expression first (: then Enter)"
                return []
            }
            let name = words.count == 2 ? words[1] : expr
            return [.savePanel(name: name, expr: expr)]
        default:
            state.explore = ExploreState(expr: line)
            state.overlay = nil
            return [.appendHistory(line), .refresh(refill: true)]
        }
    }
}
