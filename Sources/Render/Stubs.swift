struct StatWidget {
    let data: PanelData
    let caps: TerminalCaps
    func render(in area: Rect, into buffer: inout Buffer) {}
}
struct GraphWidget {
    let data: PanelData
    let caps: TerminalCaps
    let zoomed: Bool
    func render(in area: Rect, into buffer: inout Buffer) {}
}
struct GaugeWidget {
    let data: PanelData
    let caps: TerminalCaps
    func render(in area: Rect, into buffer: inout Buffer) {}
}
struct TableWidget {
    let data: PanelData
    let caps: TerminalCaps
    func render(in area: Rect, into buffer: inout Buffer) {}
}
struct AlertListWidget {
    let rows: [AlertRow]
    let caps: TerminalCaps
    func render(in area: Rect, into buffer: inout Buffer) {}
}
