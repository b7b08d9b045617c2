/// How a `Buffer` stores a cell: one word, no references. A `Cell` holds a `Character`, whose copies
/// retain and release and whose comparison goes through string code; a frame of 4,800 of them cost
/// more to create, clear, compare and free than to draw. Packed, a frame is a plain array of words:
/// made with one fill, cleared with stores, compared word for word and freed without visiting a cell.
///
/// Bits: 0..<21 the scalar, or the index of a multi-scalar character in the buffer's `clusters`
/// when bit 21 is set; 22..<24 columns; 24..<32 attributes; 32..<48 fg; 48..<64 bg.
struct PackedCell: Equatable, Sendable {
    var bits: UInt64

    static let clusterFlag: UInt64 = 1 << 21
    static let glyphMask: UInt64 = (1 << 22) - 1
    static let columnsMask: UInt64 = 3 << 22
    /// Everything but the glyph: columns and style.
    static let styleMask: UInt64 = ~glyphMask

    @inline(__always) init(bits: UInt64) { self.bits = bits }

    /// A cell of one scalar; `styleBits` from `PackedCell.bits(style:columns:)`.
    @inline(__always) init(scalar: Unicode.Scalar, styleBits: UInt64) {
        bits = UInt64(scalar.value) | styleBits
    }

    /// The plain blank cell: a space, one column, plain style.
    static let blank = PackedCell(scalar: " ", styleBits: bits(style: .plain, columns: 1))

    var isCluster: Bool { bits & Self.clusterFlag != 0 }
    var columns: UInt8 { UInt8(truncatingIfNeeded: (bits >> 22) & 3) }
    /// The scalar of a single-scalar cell (only meaningful when not `isCluster`).
    var scalar: Unicode.Scalar { Unicode.Scalar(UInt32(truncatingIfNeeded: bits & 0x1F_FFFF)) ?? " " }
    var clusterIndex: Int { Int(bits & 0x1F_FFFF) }

    var style: Style {
        Style(fg: Self.color(UInt16(truncatingIfNeeded: bits >> 32)), bg: Self.color(UInt16(truncatingIfNeeded: bits >> 48)),
              attributes: Attributes(rawValue: UInt8(truncatingIfNeeded: bits >> 24)))
    }

    /// The bits above the glyph for `style` and `columns`.
    @inline(__always)
    static func bits(style: Style, columns: UInt8) -> UInt64 {
        UInt64(columns & 3) << 22 | UInt64(style.attributes.rawValue) << 24
            | UInt64(code(style.fg)) << 32 | UInt64(code(style.bg)) << 48
    }

    @inline(__always)
    static func code(_ color: Color) -> UInt16 {
        switch color {
        case .default: return 0
        case .black: return 1
        case .red: return 2
        case .green: return 3
        case .yellow: return 4
        case .blue: return 5
        case .magenta: return 6
        case .cyan: return 7
        case .white: return 8
        case .indexed(let i): return 0x100 | UInt16(i)
        }
    }

    static func color(_ code: UInt16) -> Color {
        switch code {
        case 0: return .default
        case 1: return .black
        case 2: return .red
        case 3: return .green
        case 4: return .yellow
        case 5: return .blue
        case 6: return .magenta
        case 7: return .cyan
        case 8: return .white
        default: return .indexed(UInt8(truncatingIfNeeded: code))
        }
    }
}

extension Character {
    /// The scalar of a one-scalar character, else nil. The iterator decodes in place: going through
    /// indices validates each one, and every glyph a widget puts comes here.
    @inline(__always)
    var singleScalar: Unicode.Scalar? {
        var scalars = unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first
    }
}
