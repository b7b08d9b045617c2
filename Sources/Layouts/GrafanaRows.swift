/// Grafana's grid: dashboards older than schema 16 (`rows[]` with `span` and `height`) migrated to grid
/// positions the way Grafana's DashboardMigrator does, and overlapping positions resolved the way its
/// grid does on load (panels float up into free space and are pushed below what they overlap).
extension DecodeContext {
    /// Grafana's grid cell is 30 px high with an 8 px margin; panels are at least 3 cells (90 px).
    static let gridCellPixels = 38
    static let minPanelPixels = 90
    static let defaultRowPixels = 250
    static let defaultSpan = 4

    /// A pixel height (`250`, `"250px"`) in grid rows: ceil(max(height, 90) / 38).
    static func gridHeight(pixels: Int) -> Int {
        let h = max(pixels, minPanelPixels)
        return (h + gridCellPixels - 1) / gridCellPixels
    }

    mutating func pixelHeight(_ obj: JSONNode, _ path: JSONPath) -> Int? {
        guard let node = obj["height"], !node.isNull else { return nil }
        if let n = node.number, n.isFinite { return Int(n) }
        if let s = node.string {
            let digits = s.trimmingPrefix(" ").prefix { $0.isNumber || $0 == "-" }
            if let n = Int(digits) { return n }
            if s.isEmpty { return nil }
        }
        tolerate(mismatch(node, path.key("height"), expected: "a height in pixels such as 250 or \"250px\""))
        return nil
    }

    /// `rows[]` → panels with grid positions. Row headers appear when any row is collapsed, repeated or
    /// shows its title (as in Grafana); a collapsed row keeps its panels inside it.
    mutating func migrateRows(_ rows: [JSONNode], _ path: JSONPath) -> [Panel] {
        var out: [Panel] = []
        let showRows = rows.contains { r in
            r["collapse"]?.bool == true || r["showTitle"]?.bool == true || !(r["repeat"]?.string ?? "").isEmpty
        }
        var y = 0
        for (i, row) in rows.enumerated() where row.members != nil {
            let rp = path.index(i)
            if row["repeatIteration"] != nil && !(row["repeatIteration"]?.isNull ?? true) { continue }
            let rowHeight = Self.gridHeight(pixels: pixelHeight(row, rp) ?? Self.defaultRowPixels)
            var header: Panel?
            if showRows {
                var h = Panel(title: gString(row, "title", rp) ?? "", type: .row,
                              gridPos: GridPos(x: 0, y: y, w: GridPos.columns, h: 1), path: rp.description)
                h.collapsed = gBool(row, "collapse", rp) ?? false
                h.repeatVariable = gString(row, "repeat", rp).flatMap { $0.isEmpty ? nil : $0 }
                header = h
                y += 1
            }
            var area = RowArea(height: rowHeight, top: y)
            for (j, node) in (gArray(row, "panels", rp) ?? []).enumerated() {
                let pp = rp.key("panels").index(j)
                guard var panel = grafanaPanel(node, pp) else { continue }
                let span = gDouble(node, "span", pp) ?? Double(Self.defaultSpan)
                let width = min(max(Int(span.rounded(.down)), 1), 12) * (GridPos.columns / 12)
                let height = pixelHeight(node, pp).map(Self.gridHeight(pixels:)) ?? rowHeight
                let place = area.place(width: width)
                y = area.top
                panel.gridPos = GridPos(x: place.x, y: y + place.y, w: width, h: height)
                area.add(panel.gridPos!)
                if header?.collapsed == true { header?.children.append(panel) } else { out.append(panel) }
            }
            if let header { out.append(header) }
            if header?.collapsed != true { y += rowHeight }
        }
        return out
    }

    /// Resolves the grid as Grafana's does when it loads a dashboard: in order of (y, x), each panel
    /// floats up while the space above is free, then moves below anything it overlaps. A panel moved
    /// down because of an overlap is reported; nothing is ever hidden.
    mutating func compactGrid(_ panels: [Panel]) -> [Panel] {
        let order = panels.indices.sorted { a, b in
            let ga = panels[a].gridPos ?? GridPos(x: 0, y: 0, w: 0, h: 0)
            let gb = panels[b].gridPos ?? GridPos(x: 0, y: 0, w: 0, h: 0)
            return (ga.y, ga.x, a) < (gb.y, gb.x, b)
        }
        var placed: [Panel] = []
        var boxes: [GridPos] = []  // the placed panels' positions, without copying panels around
        var owners: [Int] = []     // boxes[i] belongs to placed[owners[i]]
        for index in order {
            var panel = panels[index]
            guard var g = panel.gridPos else { placed.append(panel); continue }
            let written = g.y
            let bottom = boxes.map { $0.y + $0.h }.max() ?? 0
            g.y = min(bottom, g.y)
            let sameColumns = boxes.indices.filter { boxes[$0].x < g.x + g.w && g.x < boxes[$0].x + boxes[$0].w }
            // Float up to the nearest panel above in these columns, unless it already overlaps something
            // (Grafana's grid resolves that by moving it down).
            let overlapping = sameColumns.contains { boxes[$0].y < g.y + g.h && g.y < boxes[$0].y + boxes[$0].h }
            if !overlapping {
                g.y = sameColumns.map { boxes[$0].y + boxes[$0].h }.filter { $0 <= g.y }.max() ?? 0
            }
            // Then the first free place at or below: one sweep over these columns' panels by their top.
            var pushedBy: Int?
            for i in sameColumns.sorted(by: { boxes[$0].y < boxes[$1].y }) {
                let b = boxes[i]
                if b.y >= g.y + g.h { break }
                if b.y + b.h > g.y {
                    g.y = b.y + b.h
                    if g.y > written { pushedBy = i }
                }
            }
            if let i = pushedBy {
                let other = placed[owners[i]]
                warnings.append(LayoutDiagnostic(.warning, file: file, at: .path(panel.path),
                    "overlaps \(other.path) (\"\(other.title)\"); moved down to y=\(g.y) as Grafana does"))
            }
            panel.gridPos = g
            owners.append(placed.count)
            placed.append(panel)
            boxes.append(g)
        }
        // Reading order follows the resolved positions, as Grafana sorts its panels.
        return placed.enumerated().sorted { a, b in
            let ga = a.element.gridPos ?? GridPos(x: 0, y: 0, w: 0, h: 0)
            let gb = b.element.gridPos ?? GridPos(x: 0, y: 0, w: 0, h: 0)
            return (ga.y, ga.x, a.offset) < (gb.y, gb.x, b.offset)
        }.map(\.element)
    }
}

/// The cells a legacy row's panels fill so far, per column (Grafana's own packing of spans into rows):
/// a panel goes to the right of what is filled when it fits, else a new line of the row starts.
struct RowArea {
    var filled: [Int] = Array(repeating: 0, count: GridPos.columns)
    let height: Int
    private(set) var top: Int

    init(height: Int, top: Int) {
        self.height = height
        self.top = top
    }

    mutating func add(_ g: GridPos) {
        for i in g.x..<min(g.x + g.w, filled.count) where g.y + g.h - top > filled[i] {
            filled[i] = g.y + g.h - top
        }
    }

    /// The free run at the right end of the row, if `width` fits there; otherwise the row wraps.
    mutating func place(width: Int, wrapped: Bool = false) -> (x: Int, y: Int) {
        var start: Int?, end: Int?
        for i in stride(from: filled.count - 1, through: 0, by: -1) {
            guard height - filled[i] > 0 else { break }
            if end == nil {
                end = i
            } else if i < filled.count - 1, filled[i] <= filled[i + 1] {
                start = i
            } else {
                break
            }
        }
        if let start, let end, end - start >= width - 1 {
            return (start, filled[start...].max() ?? 0)
        }
        guard !wrapped else { return (0, 0) }
        top += height
        filled = Array(repeating: 0, count: GridPos.columns)
        return place(width: width, wrapped: true)
    }
}
