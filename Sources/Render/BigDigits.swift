/// A 3-row block font for stat values (Unicode terminals only).
enum BigDigits {
    private static let font: [Character: [String]] = [
        "0": ["█▀█", "█ █", "▀▀▀"], "1": ["▀█ ", " █ ", "▀▀▀"], "2": ["▀▀█", "█▀▀", "▀▀▀"],
        "3": ["▀▀█", " ▀█", "▀▀▀"], "4": ["█ █", "▀▀█", "  ▀"], "5": ["█▀▀", "▀▀█", "▀▀▀"],
        "6": ["█▀▀", "█▀█", "▀▀▀"], "7": ["▀▀█", "  █", "  ▀"], "8": ["█▀█", "█▀█", "▀▀▀"],
        "9": ["█▀█", "▀▀█", "▀▀▀"], ".": [" ", " ", "▀"], "-": ["   ", "▀▀▀", "   "],
        "+": [" ▄ ", "▀█▀", "   "],
    ]

    /// `font` by ASCII byte: a look-up hashes a byte instead of a Character (every stat, every frame).
    private static let fontByByte = Dictionary(uniqueKeysWithValues: font.map { ($0.key.asciiValue!, $0.value) })

    /// The three rows for `number` (digits, sign, point), or nil if it holds anything else.
    static func rows(_ number: String) -> [String]? {
        guard !number.isEmpty else { return nil }
        var rows = ["", "", ""]
        for (i, c) in number.enumerated() {
            guard let byte = c.asciiValue, c.utf8.count == 1, let glyph = fontByByte[byte] else { return nil }
            for r in 0..<3 { rows[r] += (i > 0 ? " " : "") + glyph[r] }
        }
        return rows
    }

    /// Splits a formatted value into the part the big font can draw and the rest (`2.41`, `k req/s`).
    static func split(_ text: String) -> (number: String, suffix: String) {
        // Byte tests and an index instead of searching a string per character and counting again.
        let number = text.prefix { $0.asciiValue.map { "0123456789.-+".utf8.contains($0) } ?? false }
        return (String(number), String(text[number.endIndex...]).trimmingLeadingSpaces)
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
