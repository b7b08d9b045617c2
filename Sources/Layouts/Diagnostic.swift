/// One finding about a layout file: a load error, a check error, or a lint warning.
/// Printed the way compilers print, so editors and terminals can jump to it:
/// `layouts/x.json:12:5: error: ...` or `layouts/x.json: panels[3].targets[0].expr: error: ...`.
public struct LayoutDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case warning, error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public enum Location: Hashable, Sendable {
        /// 1-based line and column in the file.
        case position(line: Int, column: Int)
        /// A JSON path such as `panels[3].targets[0].expr`.
        case path(String)
        /// The file as a whole (unreadable, empty...).
        case file
    }

    public var severity: Severity
    public var file: String
    public var location: Location
    public var message: String

    public init(_ severity: Severity, file: String, at location: Location, _ message: String) {
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        switch location {
        case .position(let line, let column): return "\(file):\(line):\(column): \(severity.rawValue): \(message)"
        case .path(let path): return "\(file): \(path): \(severity.rawValue): \(message)"
        case .file: return "\(file): \(severity.rawValue): \(message)"
        }
    }
}

/// What loading a layout throws: a diagnostic of severity `.error`.
public typealias LayoutError = LayoutDiagnostic

/// Builds JSON paths the way the messages print them: `dashboard.panels[3].targets[0].expr`.
struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    private(set) var text: String

    static let root = JSONPath(text: "")

    func key(_ k: String) -> JSONPath {
        let plain = !k.isEmpty && k.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }
        let part = plain ? k : "[\"\(k)\"]"
        if text.isEmpty { return JSONPath(text: part) }
        return JSONPath(text: plain ? "\(text).\(part)" : "\(text)\(part)")
    }

    func index(_ i: Int) -> JSONPath { JSONPath(text: "\(text)[\(i)]") }

    var description: String { text.isEmpty ? "(top level)" : text }
}
