import Foundation
import Layouts
import MetricsCore
import Render
import TerminalBackend

/// What the live session remembers for investigating: alert transitions, names for completion,
/// the prompt's history, the last batch's duration.
struct InvestigationMemory {
    var log = AnnotationLog()
    var vocabulary = CompletionVocabulary()
    private var requested: Set<CompletionLookup.Request> = []
    private var history: [String]?
    var lastBatchMs: Int64?
    var batchStartedAt: Int64?

    /// The screen and clock facts the reducer needs for the investigation keys.
    /// `annotations`: the layout's Grafana annotation events, which `{` and `}` visit with the alert transitions.
    mutating func fill(_ context: inout ReduceContext, state: AppState, geo: ScreenGeometry, data: DashboardData,
                       now: Int64, utcOffsetSeconds: Int, windowMs: Int64, annotations: [TimeMarker] = []) {
        context.now = now
        context.utcOffsetSeconds = utcOffsetSeconds
        context.windowMs = windowMs
        let focus = state.explore != nil ? 0 : (state.currentView.zoomed ?? state.currentView.selected)
        if geo.selectable.indices.contains(focus) {
            let rect = geo.rects[geo.selectable[focus]]
            // Frame (2) and the y labels (about 7): close to the plot's width, one column per step.
            let plotWidth = max(1, rect.width - 9)
            context.cursorStepMs = max(1, min(windowMs, state.rangeMs) / Int64(plotWidth))
            context.zoomPlot = (rect.x + 8, plotWidth)
        }
        context.markerTimes = log.transitions.map(\.t) + annotations.map(\.t)
        if let p = state.prompt, p.kind == .query {
            context.completions = Completion.candidates(p.text, caret: p.caret, vocabulary: vocabulary).map(\.0)
        }
        context.history = loadHistory()
    }

    /// Facts for the frame: transitions (taken from the alerts now on screen), the prompt as drawn.
    mutating func describe(_ facts: inout ScreenFacts, state: AppState, alerts: AlertFeed?, copyTarget: CopyTarget?) {
        log.observe(facts.alerts)
        facts.transitions = log.transitions
        facts.ruleExpressions = alerts?.ruleExpressions() ?? [:]
        facts.lastBatchMs = lastBatchMs
        facts.copyTarget = copyTarget?.description
        if let p = state.prompt {
            let completions = p.kind == .query ? Completion.candidates(p.text, caret: p.caret, vocabulary: vocabulary) : []
            let error = p.kind == .query ? Completion.parseError(p.text) : nil
            facts.prompt = PromptView(leader: p.kind == .query ? ":" : "/", text: p.text, caret: p.caret,
                                      completions: completions, error: error)
        }
    }

    /// Asks the source, once each, for the names the word at the caret can complete to (a server's
    /// metadata API in server mode, instant queries over the store in embedded mode: CompletionLookup).
    mutating func askForCompletions(_ state: AppState, source: any QuerySource, mailbox: Mailbox, wake: WakePipe, now: Int64) {
        guard let p = state.prompt, p.kind == .query,
              let request = CompletionLookup.Request(Completion.slot(p.text, caret: p.caret)) else { return }
        guard requested.insert(request).inserted else { return }
        Task.detached {
            guard let found = await CompletionLookup.run(request, source: source, now: now) else { return }
            mailbox.post(vocabulary: found)
            wake.wake()
        }
    }

    /// The `:` lines of earlier sessions and this one, from `$XDG_STATE_HOME/lookout/history`.
    mutating func loadHistory() -> [String] {
        if let history { return history }
        let text = (try? String(contentsOfFile: PromptHistory.path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init).suffix(PromptHistory.limit)
        history = Array(lines)
        return history ?? []
    }

    mutating func remember(_ line: String) {
        var h = loadHistory()
        if h.last != line { h.append(line) }
        history = Array(h.suffix(PromptHistory.limit))
        PromptHistory.append(line)
    }

    /// The first expression of the panel the inspector shows.
    func inspectedExpression(_ state: AppState, geo: ScreenGeometry, expand: (String) -> String) -> String? {
        let focus = state.explore != nil ? 0 : (state.currentView.zoomed ?? state.currentView.selected)
        guard geo.selectable.indices.contains(focus) else { return nil }
        return geo.panels[geo.selectable[focus]].panel.targets.first.map { expand($0.expr) }
    }
}

extension CompletionVocabulary {
    mutating func merge(_ other: CompletionVocabulary) {
        if !other.metrics.isEmpty { metrics = other.metrics }
        labelNames.merge(other.labelNames) { $1 }
        labelValues.merge(other.labelValues) { $1 }
    }
}

extension AppState {
    /// Shows a one-line answer in the status line until the next key.
    mutating func showMessage(_ text: String?) { message = text }
}

extension Labels {
    var names: [String] { map(\.name) }
}

/// The prompt's history file: `$XDG_STATE_HOME/lookout/history` (default `~/.local/state`).
enum PromptHistory {
    static let limit = 1000

    static var path: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        return base + "/lookout/history"
    }

    static func append(_ line: String) {
        let p = path
        let dir = (p as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: p) { FileManager.default.createFile(atPath: p, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: p) else { return }
        h.seekToEndOfFile()
        h.write(Data((line.replacingOccurrences(of: "\n", with: " ") + "\n").utf8))
        try? h.close()
    }
}
