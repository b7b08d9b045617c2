/// Entry points the App calls. Each draws only inside `area` (clipped to the buffer) and never crashes,
/// whatever the size (down to 0×0) or the data (NaN, Inf, empty series).

/// A whole panel: frame, title, state and the widget for its kind.
/// `zoomed` draws the full-screen variant (graph with min/max/mean legend).
public func renderPanel(_ data: PanelData, in area: Rect, into buffer: inout Buffer,
                        selected: Bool = false, zoomed: Bool = false, caps: TerminalCaps = .full) {
    PanelRenderer(data: data, caps: caps, selected: selected, zoomed: zoomed).render(in: area, into: &buffer)
}

/// The header line (top) of the dashboard.
public func renderHeader(_ header: HeaderData, in area: Rect, into buffer: inout Buffer, caps: TerminalCaps = .full) {
    HeaderLine(data: header, caps: caps).render(in: area, into: &buffer)
}

/// The status line (bottom): errors, key hints, targets up.
public func renderStatusLine(_ status: StatusData, in area: Rect, into buffer: inout Buffer, caps: TerminalCaps = .full) {
    StatusLine(data: status, caps: caps).render(in: area, into: &buffer)
}

/// Header on the first line of `area`, status on the last; returns the area left for panels.
@discardableResult
public func renderChrome(_ chrome: ChromeData, in area: Rect, into buffer: inout Buffer, caps: TerminalCaps = .full) -> Rect {
    guard area.height >= 3 else {
        renderHeader(chrome.header, in: area, into: &buffer, caps: caps)
        return Rect(x: area.x, y: area.maxY, width: area.width, height: 0)
    }
    renderHeader(chrome.header, in: Rect(x: area.x, y: area.y, width: area.width, height: 1), into: &buffer, caps: caps)
    renderStatusLine(chrome.status, in: Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1),
                     into: &buffer, caps: caps)
    return Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 2)
}

/// A centred box listing every key, drawn over whatever is in `area`.
public func renderHelpOverlay(keys: [(key: String, action: String)], in area: Rect, into buffer: inout Buffer,
                              caps: TerminalCaps = .full) {
    HelpOverlay(keys: keys.map { KeyHint($0.key, $0.action) }, caps: caps).render(in: area, into: &buffer)
}

/// The short message shown when the terminal is too small for anything (`minimum` is what is needed).
public func renderTooSmall(in area: Rect, into buffer: inout Buffer, minimumWidth: Int = 20, minimumHeight: Int = 5,
                           caps: TerminalCaps = .full) {
    TooSmall(minimumWidth: minimumWidth, minimumHeight: minimumHeight).render(in: area, into: &buffer)
}
