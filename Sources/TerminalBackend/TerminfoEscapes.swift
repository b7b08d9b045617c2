@preconcurrency import CNcursesw

/// The escape sequences of the terminal curses opened, read from its terminfo entry, so that
/// frames are written in the terminal's own language without curses' update (see `FrameEncoder`).
enum TerminfoEscapes {
    /// Nil when the terminal cannot address its cursor (no `cup`): nothing can be drawn there.
    static func current() -> TerminalEscapes? {
        guard let cup = string("cup") else { return nil }
        let setaf = string("setaf"), setab = string("setab")
        // The older `setf`/`setb` number red and blue the other way round.
        let setf = string("setf"), setb = string("setb")
        let foreground: (Int) -> [UInt8] = { n in
            if let setaf { return expand(setaf, n) }
            if let setf { return expand(setf, bgr(n)) }
            return []
        }
        let background: (Int) -> [UInt8] = { n in
            if let setab { return expand(setab, n) }
            if let setb { return expand(setb, bgr(n)) }
            return []
        }
        let isANSI = cup == ansiCup
        let moveTo: (Int, Int, inout [UInt8]) -> Void = { row, column, out in
            if isANSI { ansiMove(row, column, to: &out) } else { out += expand(cup, row, column) }
        }
        let scrolls = tigetflag("am") == 1 && tigetflag("xenl") != 1
        return TerminalEscapes(
            clearScreen: bytes(string("clear") ?? ""), reset: bytes(string("sgr0") ?? ""),
            bold: bytes(string("bold") ?? ""), dim: bytes(string("dim") ?? ""),
            underline: bytes(string("smul") ?? ""), reverse: bytes(string("rev") ?? ""),
            foreground: foreground, background: background, moveTo: moveTo, lastCellScrolls: scrolls)
    }

    private static func bgr(_ n: Int) -> Int { n < 8 ? (n & 2) | ((n & 1) << 2) | ((n & 4) >> 2) : n }

    /// The `cup` of ANSI terminals (xterm, tmux, screen, the Linux console...), formatted here:
    /// a move is most of what a frame writes besides its text.
    static let ansiCup = "\u{1B}[%i%p1%d;%p2%dH"

    static func ansiMove(_ row: Int, _ column: Int, to out: inout [UInt8]) {
        out.append(0x1B)
        out.append(UInt8(ascii: "["))
        appendDecimal(row + 1, to: &out)
        out.append(UInt8(ascii: ";"))
        appendDecimal(column + 1, to: &out)
        out.append(UInt8(ascii: "H"))
    }

    private static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        if n >= 10 { appendDecimal(n / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(n % 10))
    }

    private static func string(_ name: String) -> String? {
        lk_tigetstr(name).map { String(cString: $0) }
    }

    private static func bytes(_ s: String) -> [UInt8] { withoutPadding(Array(s.utf8)) }

    /// Drops terminfo's padding (`$<5>`, `$<2*/>`): delays for old hardware that curses' `tputs`
    /// turns into waits, and that would otherwise reach the screen as text.
    static func withoutPadding(_ s: [UInt8]) -> [UInt8] {
        guard s.contains(UInt8(ascii: "$")) else { return s }
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "$"), i + 1 < s.count, s[i + 1] == UInt8(ascii: "<"),
               let close = s[(i + 2)...].firstIndex(of: UInt8(ascii: ">")),
               s[(i + 2)..<close].allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2A || $0 == 0x2F }) {
                i = close + 1
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    private static func expand(_ format: String, _ a: Int) -> [UInt8] {
        let expanded = format.withCString { lk_tiparm1($0, Int32(clamping: a)) }
        return expanded.map { withoutPadding(Array(String(cString: $0).utf8)) } ?? []
    }

    private static func expand(_ format: String, _ a: Int, _ b: Int) -> [UInt8] {
        let expanded = format.withCString { lk_tiparm2($0, Int32(clamping: a), Int32(clamping: b)) }
        return expanded.map { withoutPadding(Array(String(cString: $0).utf8)) } ?? []
    }
}
