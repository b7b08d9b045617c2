/// A piece of a one-line bar; pieces with lower `priority` are dropped first when the line is narrow.
struct BarPiece {
    var text: String
    var style: Style
    var priority: Int
    /// A shorter form tried before the piece is dropped.
    var short: String?
}

/// The header: brand, title, source, interval, clock and age on the left; PAUSED, alerts, help on the right.
/// Narrow terminals drop the server info, the help hint and the source URL before anything about alerts.
struct HeaderLine {
    let data: HeaderData
    let caps: TerminalCaps

    func render(in area: Rect, into buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(line)
        let g = Glyphs.forCaps(caps)
        var left = [
            BarPiece(text: " LOOKOUT ", style: Style(attributes: [.bold, .reverse]), priority: 6),
            BarPiece(text: Sanitize.text(data.title), style: Style(attributes: .bold), priority: 20),
            BarPiece(text: Sanitize.text(data.source), style: .plain, priority: 3),
            BarPiece(text: "every " + Sanitize.text(data.interval), style: Palette.dim, priority: 5),
            BarPiece(text: clockText(), style: clockStyle(), priority: 8, short: ageText()),
        ]
        if let range = data.range { left.append(BarPiece(text: "range " + Sanitize.text(range), style: Palette.dim, priority: 4)) }
        if let server = data.serverInfo { left.append(BarPiece(text: Sanitize.text(server), style: Palette.dim, priority: 1)) }
        if data.insecure { left.append(BarPiece(text: "INSECURE", style: Palette.warning, priority: 9)) }
        var right: [BarPiece] = []
        if data.paused { right.append(BarPiece(text: "PAUSED", style: Style(fg: .yellow, attributes: [.bold, .reverse]), priority: 11)) }
        right.append(alertPiece(g))
        right.append(BarPiece(text: "? help", style: Palette.dim, priority: 2))
        BarLayout.draw(left: left, right: right, separator: g.separator, titleIndex: 1, in: line, into: &buffer,
                       ellipsis: g.ellipsis)
    }

    private func alertPiece(_ g: Glyphs) -> BarPiece {
        if data.firingCount > 0 {
            let count = "\(g.up) \(data.firingCount) FIRING"
            let full = data.topAlert.map { count + ": " + Sanitize.text($0) } ?? count
            return BarPiece(text: full, style: Palette.error, priority: 12, short: count)
        }
        if data.pendingCount > 0 {
            return BarPiece(text: "\(data.pendingCount) pending", style: Palette.warning, priority: 12)
        }
        return BarPiece(text: "0 firing", style: Palette.ok, priority: 12)
    }

    private func clockText() -> String {
        guard let last = data.lastDataMs else { return "waiting for data" }
        return TimeText.clock(ms: last, utcOffsetSeconds: data.utcOffsetSeconds) + " (" + ageText() + ")"
    }

    private func ageText() -> String {
        guard let last = data.lastDataMs else { return "no data" }
        return TimeText.age(seconds: Int((data.nowMs - last) / 1000)) + " ago"
    }

    private func clockStyle() -> Style { data.lastDataMs == nil ? Palette.warning : .plain }
}

/// The status line: the first error (red) or a message or the key hints; targets up on the right.
struct StatusLine {
    let data: StatusData
    let caps: TerminalCaps

    func render(in area: Rect, into buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(line)
        let g = Glyphs.forCaps(caps)
        var left: [BarPiece] = []
        if let first = data.errors.first {
            let more = data.errors.count > 1 ? " (+\(data.errors.count - 1) more)" : ""
            left.append(BarPiece(text: "error: " + Sanitize.text(first) + more, style: Palette.error, priority: 20))
        } else if let message = data.message {
            left.append(BarPiece(text: Sanitize.text(message), style: .plain, priority: 20))
        }
        // Hints in order of usefulness: the last ones go first when narrow.
        for (i, hint) in data.keyHints.enumerated() {
            let priority = left.isEmpty ? 10 - Swift.min(i, 9) : 0
            left.append(BarPiece(text: Sanitize.text(hint.key) + " " + Sanitize.text(hint.action), style: Palette.dim,
                                 priority: priority))
        }
        var right: [BarPiece] = []
        if let up = data.targetsUp, let total = data.targetsTotal {
            let style = up >= total ? Palette.ok : (up == 0 ? Palette.error : Palette.warning)
            right.append(BarPiece(text: "targets \(up)/\(total) up", style: style, priority: 15))
        }
        BarLayout.draw(left: left, right: right, separator: g.separator, titleIndex: left.isEmpty ? nil : 0,
                       in: line, into: &buffer, ellipsis: g.ellipsis)
    }
}

/// Lays out left and right pieces on one line, dropping (or shortening) the least important first.
enum BarLayout {
    /// `titleIndex`: the left piece that may be cut with `…` rather than dropped.
    static func draw(left: [BarPiece], right: [BarPiece], separator: String, titleIndex: Int?, in line: Rect,
                     into buffer: inout Buffer, ellipsis: Character) {
        var left = left, right = right
        let titleMinimum = 12
        func width(_ pieces: [BarPiece], titleCut: Bool) -> Int {
            guard !pieces.isEmpty else { return 0 }
            let texts = pieces.enumerated().map { i, p in
                titleCut && i == titleIndex ? Swift.min(p.text.count, titleMinimum) : p.text.count
            }
            return texts.reduce(0, +) + separator.count * (pieces.count - 1)
        }
        func total() -> Int { 1 + width(left, titleCut: true) + (right.isEmpty ? 0 : 2 + width(right, titleCut: false)) + 1 }
        while total() > line.width {
            // Lowest priority among both sides; shorten before dropping.
            var best: (side: Int, index: Int, priority: Int)?
            for (i, p) in left.enumerated() where i != titleIndex && (best == nil || p.priority < best!.priority) {
                best = (0, i, p.priority)
            }
            for (i, p) in right.enumerated() where best == nil || p.priority < best!.priority {
                best = (1, i, p.priority)
            }
            guard let pick = best else { break }
            if pick.side == 0 {
                if let s = left[pick.index].short { left[pick.index].text = s; left[pick.index].short = nil } else {
                    left.remove(at: pick.index)
                }
            } else {
                if let s = right[pick.index].short { right[pick.index].text = s; right[pick.index].short = nil } else {
                    right.remove(at: pick.index)
                }
            }
        }
        // Right side first (it holds what matters most), then the left in what remains.
        var rightEdge = line.maxX - 1
        for piece in right.reversed() {
            let start = rightEdge - piece.text.count
            buffer.setString(Swift.max(line.x, start), line.y, piece.text, style: piece.style,
                             maxWidth: rightEdge - Swift.max(line.x, start), ellipsis: ellipsis)
            rightEdge = start - separator.count
        }
        let leftLimit = right.isEmpty ? line.maxX - 1 : rightEdge + separator.count - 2
        var x = line.x + 1
        for (i, piece) in left.enumerated() {
            if i > 0 {
                x += buffer.setString(x, line.y, separator, style: Palette.dim, maxWidth: leftLimit - x)
            }
            guard x < leftLimit else { break }
            x += buffer.setString(x, line.y, piece.text, style: piece.style, maxWidth: leftLimit - x, ellipsis: ellipsis)
        }
    }
}

/// Clock and age texts, computed without Foundation (the App passes the time zone offset).
public enum TimeText {
    /// `14:02:31`.
    public static func clock(ms: Int64, utcOffsetSeconds: Int, seconds: Bool = true) -> String {
        let local = ms / 1000 + Int64(utcOffsetSeconds)
        let day = ((local % 86400) + 86400) % 86400
        let h = Int(day / 3600), m = Int(day % 3600 / 60), s = Int(day % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return seconds ? "\(two(h)):\(two(m)):\(two(s))" : "\(two(h)):\(two(m))"
    }

    /// `42s`, `3m`, `2h`, `5d`.
    public static func age(seconds: Int) -> String {
        let s = Swift.max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}
