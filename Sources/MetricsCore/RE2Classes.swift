/// Character classes and escapes of RE2 (Go's regexp/syntax, Perl flags), as ICU pattern text.
/// RE2's `\d`, `\s`, `\w`, `\b` and the POSIX classes are ASCII-only, where ICU's are Unicode:
/// they are spelt out as explicit ranges so that both engines agree.
enum RE2Classes {
    typealias Ranges = [ClosedRange<UInt32>]

    static let maxRune: UInt32 = 0x10FFFF

    /// `\d`, `\s`, `\w` (upper case: the complement).
    static func perl(_ letter: Unicode.Scalar) -> (ranges: Ranges, negated: Bool)? {
        switch letter {
        case "d", "D": return (digit, letter == "D")
        case "s", "S": return ([0x09...0x0A, 0x0C...0x0D, 0x20...0x20], letter == "S")
        case "w", "W": return (word, letter == "W")
        default: return nil
        }
    }

    private static let digit: Ranges = [0x30...0x39]
    private static let word: Ranges = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// `[:name:]` inside a class; nil for an unknown name.
    static func posix(_ name: String) -> Ranges? {
        switch name {
        case "alnum": return [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": return [0x41...0x5A, 0x61...0x7A]
        case "ascii": return [0x00...0x7F]
        case "blank": return [0x09...0x09, 0x20...0x20]
        case "cntrl": return [0x00...0x1F, 0x7F...0x7F]
        case "digit": return digit
        case "graph": return [0x21...0x7E]
        case "lower": return [0x61...0x7A]
        case "print": return [0x20...0x7E]
        case "punct": return [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": return [0x09...0x0D, 0x20...0x20]
        case "upper": return [0x41...0x5A]
        case "word": return word
        case "xdigit": return [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: return nil
        }
    }

    static func complement(_ ranges: Ranges) -> Ranges {
        var out: Ranges = []
        var next: UInt32 = 0
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = max(next, r.upperBound + 1)
        }
        if next <= maxRune { out.append(next...maxRune) }
        return out
    }

    /// Ranges as the inside of an ICU set: `\x{30}-\x{39}...`.
    static func setBody(_ ranges: Ranges) -> String {
        ranges.map { r in
            r.lowerBound == r.upperBound ? hex(r.lowerBound) : hex(r.lowerBound) + "-" + hex(r.upperBound)
        }.joined()
    }

    static func hex(_ v: UInt32) -> String { "\\x{" + String(v, radix: 16) + "}" }

    /// A literal character as ICU text: letters and digits as themselves, everything else escaped.
    static func literal(_ v: UInt32) -> String {
        let alnum = (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
        return alnum ? String(UnicodeScalar(UInt8(v))) : hex(v)
    }

    private static let wordSet = "[" + setBody(word) + "]"
    /// `\b` and `\B` on ASCII word characters.
    static let wordBoundary = "(?:(?<=\(wordSet))(?!\(wordSet))|(?<!\(wordSet))(?=\(wordSet)))"
    static let notWordBoundary = "(?:(?<=\(wordSet))(?=\(wordSet))|(?<!\(wordSet))(?!\(wordSet)))"

    /// Names `\p{...}` accepts in Go: `Any`, the general categories and the scripts.
    static func isUnicodeClassName(_ name: String) -> Bool {
        name == "Any" || categories.contains(name) || scripts.contains(name)
    }

    private static let categories: Set<String> = [
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
        "Z", "Zl", "Zp", "Zs",
    ]

    private static let scripts: Set<String> = Set("""
        Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali
        Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma
        Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dives_Akuru Dogra
        Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati
        Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic
        Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li
        Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu
        Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin
        Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani
        Myanmar Nabataean Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki
        Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian
        Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi
        Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng
        Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut
        Telugu Thaana Thai Tibetan Tifinagh Tirhuta Ugaritic Vai Wancho Warang_Citi Yezidi Yi Zanabazar_Square
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
}
