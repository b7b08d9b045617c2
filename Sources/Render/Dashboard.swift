/// A whole frame in one call: chrome, panels on the grid (or the zoomed one), help overlay, and the
/// "too small" message when nothing fits. The curses backend and `lookout snapshot` both use it, so
/// what a script captures is what the screen shows.
public struct DashboardView: Hashable, Sendable {
    public var chrome: ChromeData
    public var panels: [PanelData]
    /// Same count and order as `panels`.
    public var grid: [GridItem]
    public var selected: Int?
    public var zoomed: Int?
    public var showHelp: Bool
    public var helpKeys: [KeyHint]

    public init(chrome: ChromeData, panels: [PanelData], grid: [GridItem], selected: Int? = nil, zoomed: Int? = nil,
                showHelp: Bool = false, helpKeys: [KeyHint] = DashboardView.allKeys) {
        self.chrome = chrome
        self.panels = panels
        self.grid = grid
        self.selected = selected
        self.zoomed = zoomed
        self.showHelp = showHelp
        self.helpKeys = helpKeys
    }

    /// Every key, for the help overlay.
    public static let allKeys: [KeyHint] = [
        KeyHint("q, Ctrl-C", "quit"), KeyHint("?", "this help"), KeyHint("Tab", "next layout"),
        KeyHint("Shift-Tab", "previous layout"), KeyHint("1-9", "layout by number"), KeyHint("p", "pause / resume"),
        KeyHint("r", "refresh now"), KeyHint("+ / -", "wider / narrower time range"),
        KeyHint("arrows, hjkl", "select a panel"), KeyHint("Enter, f", "zoom the selected panel"),
        KeyHint("Esc", "back from zoom or help"), KeyHint("mouse", "click selects, double-click zooms"),
    ]

    /// Smallest terminal that shows anything but the "too small" message.
    public static let minimumWidth = 20
    public static let minimumHeight = 5
}

/// Renders `view` into a new `width`×`height` buffer. `panelRects` (same order as `view.panels`) are
/// where each panel landed, for mouse clicks; empty rects for panels not shown.
public func renderDashboard(_ view: DashboardView, width: Int, height: Int, caps: TerminalCaps = .full)
    -> (buffer: Buffer, panelRects: [Rect]) {
    var buffer = Buffer(width: width, height: height)
    let none = Array(repeating: Rect(x: 0, y: 0, width: 0, height: 0), count: view.panels.count)
    guard width >= DashboardView.minimumWidth, height >= DashboardView.minimumHeight else {
        renderTooSmall(in: buffer.area, into: &buffer, minimumWidth: DashboardView.minimumWidth,
                       minimumHeight: DashboardView.minimumHeight, caps: caps)
        return (buffer, none)
    }
    let body = renderChrome(view.chrome, in: buffer.area, into: &buffer, caps: caps)
    var rects = none
    if let zoom = view.zoomed, view.panels.indices.contains(zoom) {
        rects[zoom] = body
        renderPanel(view.panels[zoom], in: body, into: &buffer, selected: true, zoomed: true, caps: caps)
    } else {
        // A grid list of another length than the panels (a caller's slip) must not crash: missing
        // positions are placed automatically.
        let grid = view.panels.indices.map { $0 < view.grid.count ? view.grid[$0] : GridItem() }
        rects = layoutGrid(grid, in: body)
        for (i, rect) in rects.enumerated() {
            renderPanel(view.panels[i], in: rect, into: &buffer, selected: i == view.selected, caps: caps)
        }
    }
    if view.showHelp {
        HelpOverlay(keys: view.helpKeys, caps: caps).render(in: body, into: &buffer)
    }
    buffer.fitColors(to: caps)
    return (buffer, rects)
}

/// The panel under a mouse click, if any.
public func panelIndex(at x: Int, _ y: Int, in rects: [Rect]) -> Int? {
    rects.firstIndex { !$0.isEmpty && x >= $0.x && x < $0.maxX && y >= $0.y && y < $0.maxY }
}
