import Render

/// What the loop must do after a command, beyond redrawing.
public enum Effect: Hashable, Sendable {
    case quit
    /// Ask the source again; `refill` reloads the graphs' history for the whole range.
    case refresh(refill: Bool)
    case setScenario(String)
    /// Keep an expression typed at the `:` prompt in the history file.
    case appendHistory(String)
    /// `:save NAME`: append the explored expression as a panel to the user's layout file.
    case savePanel(name: String, expr: String)
    /// `y` in the inspector: write the selected panel's expression to the clipboard target.
    case copyExpression
    /// `S`: write the current frame to the snapshots folder.
    case saveFrame
    /// `>` / `<`: step the replay's speed.
    case replaySpeed(Int)
}

/// What the reducer needs to know about the screen, computed by the loop from the last frame.
public struct ReduceContext: Sendable {
    /// Where each selectable panel of the current layout is drawn (empty when not on screen).
    public var panelRects: [Rect]
    /// The values each variable of the current layout can take, in the layout's order.
    public var variableOptions: [(name: String, values: [String])]
    /// The clock (Unix ms) and the local offset, for the cursor and `:time`.
    public var now: Int64 = 0
    public var utcOffsetSeconds: Int = 0
    /// One plot column of the zoomed graph (or of the selected one), in ms.
    public var cursorStepMs: Int64 = 0
    /// The span the graphs show (the range, or less while the history is younger); 0: the range.
    public var windowMs: Int64 = 0
    /// Where the zoomed graph's plot lies across the screen, for clicks that set the cursor.
    public var zoomPlot: (x: Int, width: Int)?
    /// Times of alert transitions and annotations, for `{` and `}`.
    public var markerTimes: [Int64] = []
    /// The legend names of the zoomed panel, in legend order (for `x`).
    public var legendNames: [String] = []
    /// Completions of the word at the prompt's caret, best first (Tab takes the first).
    public var completions: [String] = []
    /// Earlier `:` lines, oldest first (↑ walks back).
    public var history: [String] = []

    public init(panelRects: [Rect] = [], variableOptions: [(name: String, values: [String])] = []) {
        self.panelRects = panelRects
        self.variableOptions = variableOptions
    }
}

/// Commands → new state. Pure: no I/O, no clock, so every key can be tested.
public enum Reducer {
    public static func reduce(_ state: inout AppState, _ command: Command, context: ReduceContext) -> [Effect] {
        // A command's one-line answer lasts until the next command.
        state.message = nil
        switch command {
        case .quit:
            state.quitRequested = true
            return [.quit]
        case .toggleHelp:
            state.overlay = state.overlay == .help ? nil : .help
        case .toggleTargets:
            state.overlay = state.overlay == .targets ? nil : .targets
        case .toggleAlerts:
            state.overlay = state.overlay == .alerts ? nil : .alerts
        case .nextLayout where state.explore != nil:
            // In the explore view Tab switches between the graph and the table of the expression.
            state.explore?.instant.toggle()
            return [.refresh(refill: true)]
        case .nextLayout:
            return switchLayout(&state, to: state.current + 1)
        case .previousLayout:
            return switchLayout(&state, to: state.current - 1)
        case .selectLayout(let i):
            guard state.layouts.indices.contains(i) else { return [] }
            return switchLayout(&state, to: i)
        case .togglePause:
            state.paused.toggle()
            // Resuming fills the gap the pause left in the graphs.
            return state.paused ? [] : [.refresh(refill: true)]
        case .refresh:
            return [.refresh(refill: true)]
        case .widenRange:
            return setRange(&state, RangeSteps.wider(than: state.rangeMs))
        case .narrowRange:
            return setRange(&state, RangeSteps.narrower(than: state.rangeMs))
        case .move(let direction) where state.currentView.zoomed != nil && state.overlay == nil:
            return moveInZoom(&state, direction, context: context)
        case .move(let direction):
            guard state.currentView.zoomed == nil, state.overlay == nil else { return [] }
            let next = Navigation.neighbour(of: state.currentView.selected, going: direction, in: context.panelRects)
            state.currentView.selected = next
        case .toggleZoom:
            guard state.overlay == nil, !context.panelRects.isEmpty || state.currentView.zoomed != nil else { return [] }
            var view = state.currentView
            view.zoomed = view.zoomed == nil ? view.selected : nil
            state.currentView = view
            // The graph's width changed, so does the step of its range query.
            return [.refresh(refill: true)]
        case .back:
            if state.overlay != nil {
                state.overlay = nil
            } else if state.currentView.cursor != nil {
                state.currentView.cursor = nil
            } else if state.explore != nil {
                state.explore = nil
                return [.refresh(refill: true)]
            } else if state.currentView.zoomed != nil {
                state.currentView.zoomed = nil
                return [.refresh(refill: true)]
            }
        case .nextScenario:
            guard !state.scenarios.isEmpty else { return [] }
            state.scenarioIndex = (state.scenarioIndex + 1) % state.scenarios.count
            return [.setScenario(state.scenarios[state.scenarioIndex])]
        case .cycleVariable:
            return cycleVariable(&state, context: context)
        case .nextVariable:
            let n = context.variableOptions.count
            guard n > 0 else { return [] }
            state.currentView.activeVariable = (state.currentView.activeVariable + 1) % n
        case .click(let x, _) where state.currentView.zoomed != nil && state.overlay == nil:
            return clickInZoom(&state, x: x, context: context)
        case .click(let x, let y):
            guard state.currentView.zoomed == nil else { return [] }
            if state.overlay != nil { state.overlay = nil; return [] }
            if let hit = Navigation.hit(x: x, y: y, in: context.panelRects) { state.currentView.selected = hit }
        case .doubleClick(let x, let y):
            guard state.overlay == nil, state.currentView.zoomed == nil,
                  let hit = Navigation.hit(x: x, y: y, in: context.panelRects) else { return [] }
            state.currentView.selected = hit
            state.currentView.zoomed = hit
            return [.refresh(refill: true)]
        case .toggleCursor, .cursorStep, .pan, .jumpMarker, .goLive, .toggleInspector, .copyExpression,
             .openPrompt, .promptKey, .toggleSeries, .sortByValue, .wheel, .toggleRows,
             .press, .release:
            return investigate(&state, command, context: context)
        case .saveFrame:
            return [.saveFrame]
        case .replaySpeed(let steps):
            return [.replaySpeed(steps)]
        }
        return []
    }

    private static func switchLayout(_ state: inout AppState, to index: Int) -> [Effect] {
        let n = state.layouts.count
        guard n > 1 else { return [] }
        let target = ((index % n) + n) % n
        guard target != state.current else { return [] }
        state.current = target
        // Help or a targets list stays meaningful across layouts; nothing else to reset:
        // selection and zoom are per layout and come back as they were left.
        return [.refresh(refill: true)]
    }

    private static func setRange(_ state: inout AppState, _ range: Int64) -> [Effect] {
        guard range != state.rangeMs else { return [] }
        state.rangeMs = range
        return [.refresh(refill: true)]
    }

    private static func cycleVariable(_ state: inout AppState, context: ReduceContext) -> [Effect] {
        let vars = context.variableOptions
        guard !vars.isEmpty else { return [] }
        let active = min(max(0, state.currentView.activeVariable), vars.count - 1)
        let (name, values) = vars[active]
        guard !values.isEmpty else { return [] }
        let current = state.currentView.variableValues[name]
        let index = current.flatMap { values.firstIndex(of: $0) }.map { ($0 + 1) % values.count } ?? (values.count > 1 ? 1 : 0)
        state.currentView.variableValues[name] = values[index]
        return [.refresh(refill: true)]
    }
}

/// Moving the selection between panels by their places on screen.
public enum Navigation {
    /// The panel whose rectangle holds (x, y).
    public static func hit(x: Int, y: Int, in rects: [Rect]) -> Int? {
        rects.firstIndex { !$0.isEmpty && x >= $0.x && x < $0.maxX && y >= $0.y && y < $0.maxY }
    }

    /// The nearest panel in `direction` from panel `index`: panels straight ahead (sharing rows for
    /// left/right, columns for up/down) first, then by centre distance along the direction plus twice
    /// the sideways offset. Nothing that way keeps the selection.
    public static func neighbour(of index: Int, going direction: Direction, in rects: [Rect]) -> Int {
        guard !rects.isEmpty else { return index }
        let from = rects.indices.contains(index) && !rects[index].isEmpty ? index : (rects.firstIndex { !$0.isEmpty } ?? 0)
        guard rects.indices.contains(from), !rects[from].isEmpty else { return index }
        let here = center(rects[from])
        var best: (index: Int, score: Int)?
        for (i, r) in rects.enumerated() where i != from && !r.isEmpty {
            let c = center(r)
            let (ahead, side): (Int, Int)
            switch direction {
            case .right: (ahead, side) = (c.x - here.x, c.y - here.y)
            case .left: (ahead, side) = (here.x - c.x, c.y - here.y)
            case .down: (ahead, side) = (c.y - here.y, c.x - here.x)
            case .up: (ahead, side) = (here.y - c.y, c.x - here.x)
            }
            guard ahead > 0 else { continue }
            // Panels that share rows (or columns) with this one come first: they are "straight ahead".
            let overlaps = direction == .left || direction == .right
                ? r.y < rects[from].maxY && rects[from].y < r.maxY
                : r.x < rects[from].maxX && rects[from].x < r.maxX
            let score = (overlaps ? 0 : 1_000_000) + ahead + 2 * abs(side)
            if let b = best, b.score <= score { continue }
            best = (i, score)
        }
        return best?.index ?? from
    }

    // Doubled coordinates keep centres whole numbers.
    private static func center(_ r: Rect) -> (x: Int, y: Int) { (2 * r.x + r.width, 2 * r.y + r.height) }
}
