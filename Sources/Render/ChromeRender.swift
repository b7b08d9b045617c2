/// A piece of a one-line bar; pieces with lower `priority` are dropped first when the line is narrow.
struct BarPiece {
    var text: String { didSet { width = Sanitize.width(text) } }
    var style: Style
    var priority: Int
    /// A shorter form tried before the piece is dropped.
    var short: String?
    /// What follows this piece instead of the separator (the brand and title want spaces).
    let trailing: String?
    /// Cut with `…` rather than dropped (the title, an error message).
    var cuttable: Bool
    /// Columns of `text` and of `trailing`, measured once: the layout sums them again after each
    /// piece it drops or shortens, which measured every text of the line each time (about 70
    /// grapheme walks a frame for the header and the status line).
    private(set) var width: Int
    let trailingWidth: Int?

    init(text: String, style: Style, priority: Int, short: String? = nil, trailing: String? = nil,
         cuttable: Bool = false) {
        self.cuttable = cuttable
        self.text = text
        self.style = style
        self.priority = priority
        self.short = short
        self.trailing = trailing
        width = Sanitize.width(text)
        trailingWidth = trailing.map(Sanitize.width)
    }
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
            BarPiece(text: " LOOKOUT ", style: Style(attributes: [.bold, .reverse]), priority: 6, trailing: " "),
            BarPiece(text: Sanitize.text(data.title), style: Style(attributes: .bold), priority: 20, trailing: "   ",
                     cuttable: true),
            BarPiece(text: Sanitize.text(data.source), style: .plain, priority: 3),
            BarPiece(text: "every " + Sanitize.text(data.interval), style: Palette.dim, priority: 5),
            BarPiece(text: clockText(), style: clockStyle(), priority: 8, short: ageText()),
        ]
        if let range = data.range { left.append(BarPiece(text: "range " + Sanitize.text(range), style: Palette.dim, priority: 4)) }
        if let server = data.serverInfo { left.append(BarPiece(text: Sanitize.text(server), style: Palette.dim, priority: 1)) }
        if data.insecure { left.append(BarPiece(text: "INSECURE", style: Palette.warning, priority: 9)) }
        var right: [BarPiece] = []
        if let past = data.notLive {
            right.append(BarPiece(text: "NOT LIVE " + Sanitize.text(past), style: Style(fg: .yellow, attributes: .bold),
                                  priority: 13, short: "NOT LIVE"))
        }
        if data.paused { right.append(BarPiece(text: "PAUSED", style: Style(fg: .yellow, attributes: [.bold, .reverse]), priority: 11)) }
        right.append(alertPiece(g))
        right.append(BarPiece(text: "? help", style: Palette.dim, priority: 2))
        BarLayout.draw(left: left, right: right, separator: g.separator, inset: 0, in: line,
                       into: &buffer, ellipsis: g.ellipsis)
        if !caps.unicode { buffer.asciiOnly(line) }
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
        return TimeText.age(seconds: TimeText.seconds(Double(data.nowMs) - Double(last))) + " ago"
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
            left.append(BarPiece(text: "error: " + Sanitize.text(first) + more, style: Palette.error, priority: 20,
                                 cuttable: true))
        } else if let message = data.message {
            left.append(BarPiece(text: Sanitize.text(message), style: .plain, priority: 20, cuttable: true))
        }
        let hasMessage = !left.isEmpty
        // Hints in order of usefulness, the last dropped first; help and quit are kept longest.
        for (i, hint) in data.keyHints.enumerated() {
            // With an error on the line only the help hint stays; it leads to everything else.
            let essential = hint.key == "?" || (hint.key == "q" && !hasMessage)
            let priority = essential ? 11 : (hasMessage ? 0 : 10 - Swift.min(i, 9))
            left.append(BarPiece(text: Sanitize.text(hint.key) + " " + Sanitize.text(hint.action), style: Palette.dim,
                                 priority: priority))
        }
        var right: [BarPiece] = []
        if let up = data.targetsUp, let total = data.targetsTotal {
            let style = up >= total ? Palette.ok : (up == 0 ? Palette.error : Palette.warning)
            right.append(BarPiece(text: "targets \(up)/\(total) up", style: style, priority: 15))
        }
        BarLayout.draw(left: left, right: right, separator: g.separator, inset: 1,
                       in: line, into: &buffer, ellipsis: g.ellipsis)
        if !caps.unicode { buffer.asciiOnly(line) }
    }
}

/// Lays out left and right pieces on one line, dropping (or shortening) the least important first.
enum BarLayout {
    static let titleMinimum = 12
    /// Pieces at or below this priority (server info, help hint) go before the title is cut at all.
    static let minorPriority = 2

    /// A left piece marked `cuttable` (the title) is cut with `…`, down to `titleMinimum`, rather than dropped.
    static func draw(left: [BarPiece], right: [BarPiece], separator: String, inset: Int,
                     in line: Rect, into buffer: inout Buffer, ellipsis: Character) {
        var left = left, right = right
        let separatorWidth = Sanitize.width(separator)
        func joined(_ pieces: [BarPiece], titleCut: Bool) -> Int {
            pieces.enumerated().reduce(0) { sum, item in
                let (i, p) = item
                let text = titleCut && p.cuttable ? Swift.min(p.width, titleMinimum) : p.width
                let gap = i == pieces.count - 1 ? 0 : p.trailingWidth ?? separatorWidth
                return sum + text + gap
            }
        }
        func total(titleCut: Bool) -> Int {
            inset + joined(left, titleCut: titleCut) + (right.isEmpty ? 0 : 2 + joined(right, titleCut: false)) + 1
        }
        /// Removes or shortens the lowest-priority piece at or below `limit`; false when there is none.
        func dropOne(upTo limit: Int) -> Bool {
            let l = left.indices.filter { !left[$0].cuttable && left[$0].priority <= limit }
                .min { left[$0].priority < left[$1].priority }
            let r = right.indices.filter { right[$0].priority <= limit }.min { right[$0].priority < right[$1].priority }
            if let l, r.map({ left[l].priority <= right[$0].priority }) ?? true {
                shortenOrRemove(&left, l)
            } else if let r {
                shortenOrRemove(&right, r)
            } else {
                return false
            }
            return true
        }
        while total(titleCut: false) > line.width, dropOne(upTo: minorPriority) {}
        while total(titleCut: true) > line.width, dropOne(upTo: Int.max) {}
        if let t = left.firstIndex(where: \.cuttable) {
            let spare = line.width - total(titleCut: false)
            if spare < 0 {
                left[t].text = Sanitize.fit(left[t].text, to: Swift.max(1, left[t].width + spare), ellipsis: ellipsis)
            }
        }
        // Right side first (it holds what matters most), then the left in what remains.
        var rightEdge = line.maxX - 1
        for piece in right.reversed() {
            let start = Swift.max(line.x, rightEdge - piece.width)
            buffer.setString(start, line.y, piece.text, style: piece.style, maxWidth: rightEdge - start, ellipsis: ellipsis)
            rightEdge = start - separatorWidth
        }
        let leftLimit = right.isEmpty ? line.maxX - 1 : rightEdge + separatorWidth - 2
        var x = line.x + inset
        for (i, piece) in left.enumerated() {
            guard x < leftLimit else { break }
            x += buffer.setString(x, line.y, piece.text, style: piece.style, maxWidth: leftLimit - x, ellipsis: ellipsis)
            if i < left.count - 1 {
                let gap = piece.trailing ?? separator
                x += buffer.setString(x, line.y, gap, style: Palette.dim, maxWidth: leftLimit - x)
            }
        }
    }

    private static func shortenOrRemove(_ pieces: inout [BarPiece], _ index: Int) {
        if let short = pieces[index].short {
            pieces[index].text = short
            pieces[index].short = nil
        } else {
            pieces.remove(at: index)
        }
    }
}

/// Clock and age texts, computed without Foundation (the App passes the time zone offset).
public enum TimeText {
    /// `14:02:31`.
    public static func clock(ms: Int64, utcOffsetSeconds: Int, seconds: Bool = true) -> String {
        let local = ms / 1000 + Int64(Swift.max(-86400, Swift.min(86400, utcOffsetSeconds)))
        let day = ((local % 86400) + 86400) % 86400
        let h = Int(day / 3600), m = Int(day % 3600 / 60), s = Int(day % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return seconds ? "\(two(h)):\(two(m)):\(two(s))" : "\(two(h)):\(two(m))"
    }

    /// Whole seconds of a millisecond span, clamped to a sane range.
    static func seconds(_ ms: Double) -> Int {
        guard ms.isFinite else { return 0 }
        return Int(Swift.max(-1e12, Swift.min(1e12, ms / 1000)))
    }

    static func int64(_ d: Double) -> Int64 {
        guard d.isFinite else { return 0 }
        return d >= 9.2e18 ? Int64.max : d <= -9.2e18 ? Int64.min : Int64(d)
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
