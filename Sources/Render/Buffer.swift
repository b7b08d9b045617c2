/// A frame of cells. Widgets draw into it; the backend compares two frames and writes
/// only the cells that changed.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); reads outside give a blank cell, writes outside are ignored,
    /// so that widgets never crash on tiny terminals.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = y * width + x
            // Overwriting half of a wide character leaves a plain space in the other half.
            if cells[i].columns == 0, x > 0, cells[i - 1].columns == 2 {
                cells[i - 1] = Cell(" ", style: cells[i - 1].style)
            }
            if cells[i].columns == 2, x + 1 < width, cells[i + 1].columns == 0, newValue.columns != 2 {
                cells[i + 1] = Cell(" ", style: cells[i + 1].style)
            }
            cells[i] = newValue
        }
    }

    /// Stores `cell` in columns `from..<to` of row `y` as they are, without mending wide characters
    /// at the ends: for `fill`, which writes the two ends through the subscript.
    /// Every panel clears its area on every frame, mostly over cells that are blank already: those
    /// are only read (a store releases the old character and retains the new one).
    mutating func storeRun(_ cell: Cell, y: Int, from: Int, to: Int) {
        guard y >= 0, y < height, from >= 0, to <= width, from < to else { return }
        let run = (y * width + from)..<(y * width + to)
        withUnsafePointer(to: cell) { wanted in
            cells.withUnsafeMutableBufferPointer { p in
                guard let base = p.baseAddress else { return }
                for i in run where !Cell.sameBits(UnsafeRawPointer(base + i), UnsafeRawPointer(wanted)) { base[i] = cell }
            }
        }
    }

    /// The rows as plain strings (trailing spaces kept), for tests and `--color never` output.
    /// A wide character appears once (it takes its two columns on a terminal).
    public var lines: [String] {
        (0..<height).map { y in
            String(cells[(y * width)..<(y * width + width)].filter { $0.columns != 0 }.map(\.character))
        }
    }
}

/// A cell that differs from the previous frame.
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
}

extension Buffer {
    /// The cells of `self` that differ from `previous`, in row-major order.
    /// A previous frame of another size means everything changed.
    public func diff(from previous: Buffer?) -> [CellChange] {
        guard let previous, previous.width == width, previous.height == height else {
            return cells.indices.map { CellChange(x: $0 % width, y: $0 / width, cell: cells[$0]) }
        }
        // Runs once a frame over every cell. Most cells are as they were, usually bit for bit: those
        // are compared as words in place, without copying the cell (a copy retains its character).
        // Bits that differ are compared by value (a character's storage may differ, or padding).
        var changes: [CellChange] = []
        cells.withUnsafeBufferPointer { new in
            previous.cells.withUnsafeBufferPointer { old in
                guard let newBase = new.baseAddress, let oldBase = old.baseAddress else { return }
                let a = UnsafeRawPointer(newBase), b = UnsafeRawPointer(oldBase)
                let stride = MemoryLayout<Cell>.stride
                for i in 0..<new.count where !Cell.sameBits(a + i * stride, b + i * stride) {
                    if new[i].columns != old[i].columns || new[i].style != old[i].style || new[i].character != old[i].character {
                        changes.append(CellChange(x: i % width, y: i / width, cell: new[i]))
                    }
                }
            }
        }
        return changes
    }
}

extension Cell {
    /// Whether two cells' bytes (not their padding) are the same: then they are equal. (Equal cells
    /// may still differ in bits: a long grapheme built twice has its own storage each time.)
    @inline(__always)
    static func sameBits(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool {
        let size = MemoryLayout<Cell>.size
        var offset = 0
        while offset + 8 <= size {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < size {
            if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset += 1
        }
        return true
    }
}
