/// A JSON value that remembers where it stood in its file, so that every message about a layout
/// can point at a line and column (Foundation's JSONSerialization does not report positions reliably).
public struct JSONNode: Hashable, Sendable {
    public enum Value: Hashable, Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSONNode])
        case object([JSONMember])
    }

    public var value: Value
    /// UTF-8 byte offset of the value's first byte in the file (the opening quote of a string).
    public var start: Int
    /// UTF-8 byte offset just past the value.
    public var end: Int

    public init(_ value: Value, start: Int, end: Int) {
        self.value = value
        self.start = start
        self.end = end
    }

    /// The member named `key` of an object; the last one wins if a key repeats, as in most readers.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    public var members: [JSONMember]? {
        if case .object(let m) = value { return m }
        return nil
    }

    public var elements: [JSONNode]? {
        if case .array(let e) = value { return e }
        return nil
    }

    public var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    public var number: Double? {
        if case .number(let n) = value { return n }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }

    public var isNull: Bool { value == .null }

    /// What the value is, for "expected X, found Y" messages.
    public var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var keyOffset: Int
    public var value: JSONNode

    public init(key: String, keyOffset: Int, value: JSONNode) {
        self.key = key
        self.keyOffset = keyOffset
        self.value = value
    }
}

/// The raw bytes of a file with a table of line starts, to turn byte offsets into 1-based line and column.
/// Columns count Unicode scalars, as editors do.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where buffer[i] == UInt8(ascii: "\n") { starts.append(i + 1) }
        }
        lineStarts = starts
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        // Binary search for the last line start <= offset.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < clamped {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // A continuation byte offset still belongs to the scalar that started before it.
        if clamped < bytes.count, bytes[clamped] & 0xC0 == 0x80 { column -= 1 }
        return (lo + 1, max(1, column))
    }

    /// The file offset of the byte `decodedOffset` bytes into the decoded value of the string literal
    /// that opens at `quoteOffset`, stepping over escapes (`\n` is two bytes in the file, one decoded).
    public func rawOffset(inStringAt quoteOffset: Int, decodedOffset: Int) -> Int {
        var raw = quoteOffset + 1
        var decoded = 0
        while raw < bytes.count, decoded < decodedOffset {
            let b = bytes[raw]
            if b == UInt8(ascii: "\"") { break }
            if b != UInt8(ascii: "\\") {
                raw += 1
                decoded += 1
                continue
            }
            guard raw + 1 < bytes.count else { break }
            if bytes[raw + 1] != UInt8(ascii: "u") {
                raw += 2
                decoded += 1
                continue
            }
            let (scalar, used) = JSONParser.unicodeEscape(bytes, at: raw)
            raw += used
            decoded += scalar.map { String($0).utf8.count } ?? 1
        }
        return raw
    }
}
