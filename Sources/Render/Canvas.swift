/// A dot canvas over a rectangle of cells: braille (2×4 dots per cell) on Unicode terminals,
/// one mark per cell otherwise. Series draw into it; it then writes its cells into a buffer.
struct PlotCanvas {
    let width: Int  // cells
    let height: Int  // cells
    let braille: Bool
    private var bits: [UInt8]
    private var marks: [Character?]
    private var colors: [Color?]

    init(width: Int, height: Int, braille: Bool) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        self.braille = braille
        let count = self.width * self.height
        bits = Array(repeating: 0, count: count)
        // Braille canvases never use marks: no array of optional characters to make and free.
        marks = braille ? [] : Array(repeating: nil, count: count)
        colors = Array(repeating: nil, count: count)
    }

    /// Dots across and down.
    var dotColumns: Int { braille ? width * 2 : width }
    var dotRows: Int { braille ? height * 4 : height }

    func isEmpty(cellX: Int, cellY: Int) -> Bool {
        guard cellX >= 0, cellY >= 0, cellX < width, cellY < height else { return false }
        let i = cellY * width + cellX
        return bits[i] == 0 && (braille || marks[i] == nil)
    }

    /// Braille dot bit for the dot (dx, dy) within its cell.
    /// Left column 0x01 0x02 0x04 0x40, right 0x08 0x10 0x20 0x80 (computed: no table per dot).
    private static func bit(dx: Int, dy: Int) -> UInt8 {
        if dy == 3 { return dx == 0 ? 0x40 : 0x80 }
        return UInt8(truncatingIfNeeded: (dx == 0 ? 1 : 8) << dy)
    }

    mutating func setDot(_ x: Int, _ y: Int, color: Color, mark: Character = "*") {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        if braille {
            let i = (y / 4) * width + x / 2
            bits[i] |= Self.bit(dx: x % 2, dy: y % 4)
            colors[i] = color
        } else {
            let i = y * width + x
            marks[i] = mark
            colors[i] = color
        }
    }

    /// A vertical run of dots at column x (joining a line's steps).
    mutating func setRun(x: Int, from y0: Int, to y1: Int, color: Color, mark: Character) {
        for y in Swift.min(y0, y1)...Swift.max(y0, y1) { setDot(x, y, color: color, mark: mark) }
    }

    /// Dot row of `value` in [lo, hi] (top is hi); nil outside.
    func row(of value: Double, lo: Double, hi: Double) -> Int? {
        guard value.isFinite, hi > lo, value >= lo, value <= hi else { return nil }
        let fraction = (hi - value) / (hi - lo)
        return Swift.min(dotRows - 1, Swift.max(0, Int((fraction * Double(dotRows - 1)).rounded())))
    }

    /// Draws a polyline through dot positions; nil breaks the line (a gap in the data).
    /// Between two points every dot column gets a vertical run to the interpolated height, so steep
    /// changes stay connected.
    mutating func plot(_ points: [(x: Int, y: Int)?], color: Color, mark: Character) {
        var previous: (x: Int, y: Int)?
        for point in points {
            guard let p = point else {
                previous = nil
                continue
            }
            guard let q = previous, p.x > q.x else {
                setRun(x: p.x, from: previous.flatMap { $0.x == p.x ? $0.y : nil } ?? p.y, to: p.y, color: color, mark: mark)
                previous = p
                continue
            }
            var lastY = q.y
            for x in (q.x + 1)...p.x {
                let fraction = Double(x - q.x) / Double(p.x - q.x)
                let y = Int((Double(q.y) + fraction * Double(p.y - q.y)).rounded())
                // The run starts one dot after the previous column's height, keeping the line thin.
                let from = y > lastY ? lastY + 1 : (y < lastY ? lastY - 1 : y)
                setRun(x: x, from: from, to: y, color: color, mark: mark)
                lastY = y
            }
            previous = p
        }
    }

    /// A dashed horizontal threshold line through empty cells only (data stays readable).
    mutating func thresholdLine(atDotRow y: Int, color: Color) {
        guard y >= 0, y < dotRows else { return }
        let cellY = braille ? y / 4 : y
        for cx in 0..<width where isEmpty(cellX: cx, cellY: cellY) {
            let i = cellY * width + cx
            if braille {
                bits[i] = Self.bit(dx: 0, dy: y % 4)
            } else {
                marks[i] = "-"
            }
            colors[i] = color
        }
    }

    /// Writes the non-empty cells at (x, y).
    func draw(at x: Int, _ y: Int, into buffer: inout Buffer, clip: Rect) {
        for cy in 0..<height {
            for cx in 0..<width {
                let i = cy * width + cx
                let character: Character
                if braille {
                    // Stored as its scalar: no `Character` made for each of the plot's cells.
                    guard bits[i] != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(bits[i])) else { continue }
                    buffer.put(scalar: scalar, x + cx, y + cy, style: Style(fg: colors[i] ?? .default), clip: clip)
                    continue
                } else {
                    guard let mark = marks[i] else { continue }
                    character = mark
                }
                buffer.put(character, x + cx, y + cy, style: Style(fg: colors[i] ?? .default), clip: clip)
            }
        }
    }
}
