/// A frame of cells. Widgets draw into it; the backend compares two frames and writes
/// only the cells that changed. Cells are stored packed (see `PackedCell`); `Cell` is what goes in and out.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// One word per cell, row-major.
    var packed: [PackedCell]
    /// The multi-scalar characters that packed cells point at (emoji sequences, marks); it only grows
    /// while a frame is drawn, and most frames have none.
    var clusters: [Character] = []

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        var table: [Character] = []
        let cell = Buffer.pack(fill, clusters: &table)
        packed = Array(repeating: cell, count: self.width * self.height)
        clusters = table
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Every cell, row-major (for tests and exporters; the frame's own paths read `packed`).
    public var cells: [Cell] { packed.map(unpack) }

    /// The cell at (x, y); reads outside give a blank cell, writes outside are ignored,
    /// so that widgets never crash on tiny terminals.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return unpack(packed[y * width + x])
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            store(Buffer.pack(newValue, clusters: &clusters), x: x, y: y)
        }
    }

    /// Stores a packed cell at (x, y), which must be inside. Overwriting half of a wide character
    /// leaves a plain space (in its style) in the other half.
    @inline(__always)
    mutating func store(_ value: PackedCell, x: Int, y: Int) {
        let row = y * width, width = width
        packed.withUnsafeMutableBufferPointer { Buffer.store(value, x: x, row: row, width: width, in: $0) }
    }

    @inline(__always)
    static func store(_ value: PackedCell, x: Int, row: Int, width: Int, in p: UnsafeMutableBufferPointer<PackedCell>) {
        let i = row + x
        if p[i].columns == 0, x > 0, p[i - 1].columns == 2 { p[i - 1] = p[i - 1].space }
        if p[i].columns == 2, x + 1 < width, p[i + 1].columns == 0, value.columns != 2 { p[i + 1] = p[i + 1].space }
        p[i] = value
    }

    /// Stores one cell per scalar of simple text starting at column `start` of row `y`, only those
    /// in `from..<to` (inside the buffer): `store` cell by cell, with one uniqueness check for the run.
    mutating func storeText(_ text: String, x start: Int, y: Int, from: Int, to: Int, style: Style) {
        guard from < to else { return }
        let styleBits = PackedCell.bits(style: style, columns: 1)
        let row = y * width, width = width
        packed.withUnsafeMutableBufferPointer { p in
            var x = start
            for scalar in text.unicodeScalars {
                if x >= to { break }
                if x >= from { Buffer.store(PackedCell(scalar: scalar, styleBits: styleBits), x: x, row: row, width: width, in: p) }
                x += 1
            }
        }
    }

    /// Stores `value` in columns `from..<to` of row `y` as it is, without mending wide characters
    /// at the ends: for `fill`, which writes the two ends through `store`.
    mutating func storeRun(_ value: PackedCell, y: Int, from: Int, to: Int) {
        guard y >= 0, y < height, from >= 0, to <= width, from < to else { return }
        let start = y * width
        packed.withUnsafeMutableBufferPointer { p in
            for i in (start + from)..<(start + to) { p[i] = value }
        }
    }

    /// `cell` packed; a multi-scalar character goes into `clusters` (once when written repeatedly).
    static func pack(_ cell: Cell, clusters: inout [Character]) -> PackedCell {
        let styleBits = PackedCell.bits(style: cell.style, columns: cell.columns)
        if let scalar = cell.character.singleScalar { return PackedCell(scalar: scalar, styleBits: styleBits) }
        if clusters.last != cell.character { clusters.append(cell.character) }
        return PackedCell(bits: UInt64(clusters.count - 1) | PackedCell.clusterFlag | styleBits)
    }

    func character(_ p: PackedCell) -> Character {
        p.isCluster ? clusters[p.clusterIndex] : Character(p.scalar)
    }

    func unpack(_ p: PackedCell) -> Cell {
        var cell = Cell(character(p), style: p.style)
        cell.columns = p.columns
        return cell
    }

    /// Whether cell `i` here equals cell `j` of `other` by value. One-scalar cells are equal exactly
    /// when their words are; a multi-scalar character compares as a `Character` (canonically).
    @inline(__always)
    func sameCell(_ i: Int, _ other: Buffer, _ j: Int) -> Bool {
        let p = packed[i], q = other.packed[j]
        if !p.isCluster && !q.isCluster { return p == q }
        guard p.bits & PackedCell.styleMask == q.bits & PackedCell.styleMask else { return false }
        return character(p) == other.character(q)
    }

    public static func == (a: Buffer, b: Buffer) -> Bool {
        guard a.width == b.width, a.height == b.height else { return false }
        return a.packed.indices.allSatisfy { a.sameCell($0, b, $0) }
    }

    /// Styles and columns only: characters that are canonically equal may be packed differently.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        for p in packed { hasher.combine(p.bits & PackedCell.styleMask) }
    }

    /// What a backend writes for the cell at (x, y) (inside): its scalar, or nil when the character
    /// is more than one scalar (read it through the subscript). Makes no `Character`.
    public func scalar(x: Int, y: Int) -> Unicode.Scalar? {
        let p = packed[y * width + x]
        return p.isCluster ? nil : p.scalar
    }

    /// Whether the cell at (x, y) (inside) is the right half of a wide character.
    public func isContinuation(x: Int, y: Int) -> Bool { packed[y * width + x].columns == 0 }

    /// The style of the cell at (x, y) (inside).
    public func style(x: Int, y: Int) -> Style { packed[y * width + x].style }

    /// The rows as plain strings (trailing spaces kept), for tests and `--color never` output.
    /// A wide character appears once (it takes its two columns on a terminal).
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            line.reserveCapacity(width)
            for p in packed[(y * width)..<(y * width + width)] where p.columns != 0 {
                if p.isCluster { line.append(clusters[p.clusterIndex]) } else { line.unicodeScalars.append(p.scalar) }
            }
            return line
        }
    }
}

extension PackedCell {
    /// A space in this cell's style, one column wide (what is left of a wide character cut in half).
    var space: PackedCell {
        PackedCell(bits: (bits & ~((1 << 24) - 1)) | (1 << 22) | 0x20)
    }
}
