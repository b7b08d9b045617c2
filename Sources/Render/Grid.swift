/// A panel's place on the layout's 24-column grid (`h` in grid rows), or none: then it is placed
/// automatically, left to right after the previous unplaced panel (how a row's children are laid out).
public struct GridItem: Hashable, Sendable {
    public var x: Int?
    public var y: Int?
    public var w: Int?
    public var h: Int?
    /// A row header: full width, one terminal line high whatever the scale.
    public var isRow: Bool

    public init(x: Int? = nil, y: Int? = nil, w: Int? = nil, h: Int? = nil, isRow: Bool = false) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
        self.isRow = isRow
    }

    public static let columns = 24
}

/// Below this width panels stack one per row, in reading order.
public let stackingWidth = 80

/// The rectangles of `items` (same order) inside `area`.
/// Wide areas: the 24 grid columns are scaled to the width, and grid rows to the height so that
/// the whole layout fits (row headers stay one line). Narrow areas (< `stackingWidth`): one panel
/// per line band, in reading order, heights shared by weight. Panels that do not fit get empty rects.
public func layoutGrid(_ items: [GridItem], in area: Rect) -> [Rect] {
    guard !items.isEmpty, !area.isEmpty else {
        return items.map { _ in Rect(x: area.x, y: area.y, width: 0, height: 0) }
    }
    let placed = GridPlacement.place(items)
    if area.width < stackingWidth {
        return stack(placed, in: area)
    }
    return scale(placed, in: area)
}

/// Items with every field resolved, in grid units.
struct PlacedItem: Hashable {
    var x: Int, y: Int, w: Int, h: Int
    var isRow: Bool
}

enum GridPlacement {
    static let defaultHeight = 8
    static let maxAutoPerLine = 4

    /// Resolves missing positions: a run of consecutive unplaced panels shares a line left to right
    /// (wrapping after `maxAutoPerLine`), under everything placed so far; unplaced rows take the next line.
    static func place(_ items: [GridItem]) -> [PlacedItem] {
        var result: [PlacedItem] = []
        var bottom = 0  // first free grid row under everything placed so far
        var index = 0
        while index < items.count {
            let item = items[index]
            if let x = item.x, let y = item.y {
                let w = clampWidth(item.w ?? GridItem.columns, x: x)
                let h = item.isRow ? 1 : max(1, min(item.h ?? defaultHeight, 1000))
                let p = PlacedItem(x: clampX(x), y: max(0, min(y, 100_000)), w: w, h: h, isRow: item.isRow)
                result.append(p)
                bottom = max(bottom, p.y + p.h)
                index += 1
            } else if item.isRow {
                result.append(PlacedItem(x: 0, y: bottom, w: GridItem.columns, h: 1, isRow: true))
                bottom += 1
                index += 1
            } else {
                var run = index
                while run < items.count, !items[run].isRow, items[run].x == nil || items[run].y == nil { run += 1 }
                // Lines of up to `maxAutoPerLine`, each line's panels sharing the 24 columns evenly.
                var lineStart = index
                while lineStart < run {
                    let lineEnd = Swift.min(run, lineStart + maxAutoPerLine)
                    let perLine = lineEnd - lineStart
                    let width = GridItem.columns / perLine
                    var lineHeight = 1
                    for k in lineStart..<lineEnd {
                        let column = k - lineStart
                        let h = max(1, min(items[k].h ?? defaultHeight, 1000))
                        let w = k == lineEnd - 1 ? GridItem.columns - column * width : width
                        result.append(PlacedItem(x: column * width, y: bottom, w: max(1, min(items[k].w ?? w, w)),
                                                 h: h, isRow: false))
                        lineHeight = max(lineHeight, h)
                    }
                    bottom += lineHeight
                    lineStart = lineEnd
                }
                index = run
            }
        }
        return result
    }

    private static func clampX(_ x: Int) -> Int { max(0, min(x, GridItem.columns - 1)) }
    private static func clampWidth(_ w: Int, x: Int) -> Int { max(1, min(w, GridItem.columns - clampX(x))) }
}

private func scale(_ placed: [PlacedItem], in area: Rect) -> [Rect] {
    let gridHeight = placed.map { $0.y + $0.h }.max() ?? 0
    // A grid row covered only by row headers is one fixed line; the others share the rest.
    var fixed = Array(repeating: false, count: gridHeight)
    var scalable = Array(repeating: false, count: gridHeight)
    for p in placed {
        for r in p.y..<(p.y + p.h) {
            if p.isRow { fixed[r] = true } else { scalable[r] = true }
        }
    }
    var fixedLines = 0, scalableRows = 0
    for r in 0..<gridHeight {
        if scalable[r] { scalableRows += 1 } else if fixed[r] { fixedLines += 1 }
    }
    let free = Swift.max(0, area.height - fixedLines)
    let unit = scalableRows > 0 ? Double(free) / Double(scalableRows) : 0
    // Line where each grid row starts; rounding the running total keeps the edges of neighbours aligned.
    var starts = Array(repeating: 0, count: gridHeight + 1)
    var fixedSoFar = 0, scalableSoFar = 0
    for r in 0..<gridHeight {
        starts[r] = fixedSoFar + Int((Double(scalableSoFar) * unit).rounded())
        if scalable[r] { scalableSoFar += 1 } else if fixed[r] { fixedSoFar += 1 }
    }
    starts[gridHeight] = fixedSoFar + Int((Double(scalableSoFar) * unit).rounded())
    func column(_ gx: Int) -> Int { (gx * area.width + GridItem.columns / 2) / GridItem.columns }
    return placed.map { p in
        let x0 = column(p.x), x1 = column(p.x + p.w)
        let y0 = starts[p.y], y1 = starts[p.y + p.h]
        let rect = Rect(x: area.x + x0, y: area.y + y0, width: x1 - x0, height: y1 - y0)
        return rect.intersection(area)
    }
}

private func stack(_ placed: [PlacedItem], in area: Rect) -> [Rect] {
    let order = placed.indices.sorted { a, b in
        (placed[a].y, placed[a].x, a) < (placed[b].y, placed[b].x, b)
    }
    // Every panel gets a frame's worth (3 lines) first, in reading order while lines last;
    // what is left is shared by grid height, with running totals so the rounding adds up.
    let minPanel = 3
    let panels = order.filter { !placed[$0].isRow }
    let rowLines = placed.count - panels.count
    let free = Swift.max(0, area.height - rowLines)
    var heights = Array(repeating: 0, count: placed.count)
    var left = free
    for i in panels {
        heights[i] = Swift.min(minPanel, left)
        left -= heights[i]
    }
    let totalWeight = panels.reduce(0) { $0 + placed[$1].h }
    if left > 0, totalWeight > 0 {
        var weightSoFar = 0, givenSoFar = 0
        for i in panels {
            weightSoFar += placed[i].h
            let target = Int((Double(left) * Double(weightSoFar) / Double(totalWeight)).rounded())
            heights[i] += target - givenSoFar
            givenSoFar = target
        }
    }
    var rects = Array(repeating: Rect(x: area.x, y: area.maxY, width: 0, height: 0), count: placed.count)
    var y = area.y
    for i in order {
        let height = placed[i].isRow ? 1 : heights[i]
        rects[i] = Rect(x: area.x, y: y, width: area.width, height: height).intersection(area)
        y += height
    }
    return rects
}
