#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        var changes: [CellChange] = []
        forEachChangedRun(from: previous) { y, xs, _ in
            for x in xs { changes.append(CellChange(x: x, y: y, cell: self[x, y])) }
        }
        return changes
    }

    /// Calls `body` for every run of changed cells, in row-major order: consecutive cells of one row
    /// that differ from `previous` and share one style (a backend sets the style once per run).
    /// A previous frame of another size, or none, means everything changed.
    /// Runs once a frame over every cell, so unchanged one-scalar cells are a word compare each.
    public func forEachChangedRun(from previous: Buffer?, _ body: (_ y: Int, _ xs: Range<Int>, _ style: Style) -> Void) {
        guard let old = previous, old.width == width, old.height == height else {
            for y in 0..<height { runs(y, from: nil, body) }
            return
        }
        // Without multi-scalar characters in either frame, equal words are equal cells: a row that
        // is the same byte for byte (most rows, most frames) is skipped with one `memcmp`.
        let wordsSuffice = clusters.isEmpty && old.clusters.isEmpty
        let rowBytes = width * MemoryLayout<PackedCell>.stride
        packed.withUnsafeBytes { new in
            old.packed.withUnsafeBytes { was in
                for y in 0..<height {
                    if wordsSuffice, rowBytes > 0,
                       memcmp(new.baseAddress! + y * rowBytes, was.baseAddress! + y * rowBytes, rowBytes) == 0 { continue }
                    runs(y, from: old, body)
                }
            }
        }
    }

    /// The runs of row `y` (every cell a change when there is no previous frame).
    private func runs(_ y: Int, from old: Buffer?, _ body: (_ y: Int, _ xs: Range<Int>, _ style: Style) -> Void) {
        let styleOnly = ~((UInt64(1) << 24) - 1)
        let row = y * width
        packed.withUnsafeBufferPointer { new in
            (old?.packed ?? []).withUnsafeBufferPointer { was in
                // Words through pointers (no bounds checks); only a multi-scalar cell needs `sameCell`.
                func changed(_ x: Int) -> Bool {
                    guard let old else { return true }
                    let p = new[row + x], q = was[row + x]
                    if p.bits == q.bits && !p.isCluster { return false }
                    return !sameCell(row + x, old, row + x)
                }
                var x = 0
                while x < width {
                    guard changed(x) else { x += 1; continue }
                    let style = new[row + x].bits & styleOnly
                    var end = x + 1
                    while end < width, new[row + end].bits & styleOnly == style, changed(end) { end += 1 }
                    body(y, x..<end, new[row + x].style)
                    x = end
                }
            }
        }
    }
}
