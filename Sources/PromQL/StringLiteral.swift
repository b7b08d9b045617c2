/// Go-style string unquoting, as PromQL uses for `"..."` and `'...'` strings; back-quoted strings are raw.
public enum StringLiteral {
    struct Invalid: Error { let reason: String }

    /// Returns the unquoted value, or the reason the escape sequence is invalid.
    static func unquote(_ raw: String) -> Result<String, Invalid> {
        let bytes = Array(raw.utf8)
        guard bytes.count >= 2, let q = bytes.first, bytes.last == q else { return .failure(Invalid(reason: "invalid quoted string")) }
        let body = bytes[1..<(bytes.count - 1)]
        if q == UInt8(ascii: "`") { return .success(String(decoding: body, as: UTF8.self)) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        func hexValue(_ c: UInt8) -> UInt32? {
            switch c {
            case 0x30...0x39: return UInt32(c - 0x30)
            case 0x61...0x66: return UInt32(c - 0x61 + 10)
            case 0x41...0x46: return UInt32(c - 0x41 + 10)
            default: return nil
            }
        }
        while i < body.endIndex {
            let c = body[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < body.endIndex else { return .failure(Invalid(reason: "invalid escape sequence at end of string")) }
            let e = body[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                // Go only allows the escaped quote that matches the delimiter.
                guard e == q else { return .failure(Invalid(reason: "unknown escape sequence")) }
                out.append(e)
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                guard i + n <= body.endIndex else { return .failure(Invalid(reason: "invalid escape sequence")) }
                var v: UInt32 = 0
                for k in 0..<n {
                    guard let h = hexValue(body[i + k]) else { return .failure(Invalid(reason: "invalid escape sequence")) }
                    v = v * 16 + h
                }
                i += n
                if e == UInt8(ascii: "x") {
                    out.append(UInt8(v))
                } else {
                    guard let s = Unicode.Scalar(v) else { return .failure(Invalid(reason: "invalid Unicode code point")) }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                }
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard i + 2 <= body.endIndex else { return .failure(Invalid(reason: "invalid escape sequence")) }
                var v = UInt32(e - 0x30)
                for k in 0..<2 {
                    let d = body[i + k]
                    guard d >= 0x30 && d <= 0x37 else { return .failure(Invalid(reason: "invalid escape sequence")) }
                    v = v * 8 + UInt32(d - 0x30)
                }
                guard v <= 255 else { return .failure(Invalid(reason: "invalid escape sequence")) }
                i += 2
                out.append(UInt8(v))
            default:
                return .failure(Invalid(reason: "unknown escape sequence"))
            }
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// Double-quoted PromQL form of a string, escaping what needs escaping.
    static func quote(_ s: String) -> String { "\"" + escape(s) + "\"" }

    /// The inside of a double-quoted string as Go's `strconv.Quote` writes it for the characters
    /// that matter here: backslash, quote, `\n \r \t`, other controls as `\xNN`. Shared by the
    /// PromQL printer and the rule templates' `%q`.
    public static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let h = String(u.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" + h : h)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
