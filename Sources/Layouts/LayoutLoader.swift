import Foundation

/// The file formats a layout may be written in; all decode into the same `Dashboard`.
public enum LayoutDialect: String, Hashable, Sendable {
    /// Lookout's own format; the design document's dashboards are written in it (wrapped in `"dashboard"`).
    case lookout
    /// Grafana's classic dashboard JSON.
    case grafana
}

/// A decoded layout with what the checker needs beyond the model: where each expression stands in the
/// file, the decoder's warnings, and the file text itself.
public struct LoadedLayout: Sendable {
    public var dashboard: Dashboard
    public var dialect: LayoutDialect
    public var expressions: [ExpressionSite]
    /// Decoder warnings (unknown fields in Lookout files).
    public var warnings: [LayoutDiagnostic]
    public var source: SourceText
    /// Panel path → JSON path of its thresholds.
    public var thresholdPaths: [String: String]

    /// The file position of byte `offset` of expression `site` (after JSON unescaping).
    public func position(in site: ExpressionSite, offset: Int) -> (line: Int, column: Int) {
        source.lineColumn(of: source.rawOffset(inStringAt: site.quoteOffset, decodedOffset: offset))
    }
}

public enum LayoutLoader {
    /// Layout files are small; this bounds what a wrong path (a log file, say) can make us read.
    public static let maxFileSize = 8 << 20

    /// Reads and decodes a layout file.
    public static func load(file path: String) throws(LayoutError) -> Dashboard {
        try loadDetailed(file: path).dashboard
    }

    public static func loadDetailed(file path: String) throws(LayoutError) -> LoadedLayout {
        try decode(try readFile(path), file: path)
    }

    public static func decode(_ text: String, file: String) throws(LayoutError) -> LoadedLayout {
        try decode(Array(text.utf8), file: file)
    }

    /// Decodes layout bytes; `file` names the source in messages and in `Dashboard.source`.
    public static func decode(_ bytes: [UInt8], file: String) throws(LayoutError) -> LoadedLayout {
        let source = SourceText(bytes)
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            let (line, column) = source.lineColumn(of: error.offset)
            throw LayoutError(.error, file: file, at: .position(line: line, column: column), error.message)
        }
        var context = DecodeContext(file: file)
        guard root.members != nil else {
            throw context.mismatch(root, .root, expected: "an object at the top level")
        }
        var body = root
        var path = JSONPath.root
        // The design document and Grafana's HTTP API wrap the dashboard in {"dashboard": {...}}.
        if let inner = root["dashboard"], inner.members != nil {
            body = inner
            path = path.key("dashboard")
        }
        let dialect = detectDialect(body)
        let dashboard: Dashboard
        switch dialect {
        case .grafana: dashboard = try context.grafanaDashboard(body, path, source: file)
        case .lookout: dashboard = try context.lookoutDashboard(body, path, source: file)
        }
        return LoadedLayout(dashboard: dashboard, dialect: dialect, expressions: context.expressions,
                            warnings: context.warnings, source: source, thresholdPaths: context.thresholdPaths)
    }

    /// Grafana files say `schemaVersion` (or have `rows` or `__inputs`), or place panels with `gridPos` and configure them in `fieldConfig`;
    /// the design's and Lookout's files use `position` and panel-level fields.
    static func detectDialect(_ body: JSONNode) -> LayoutDialect {
        // Lookout's own files have neither Grafana's old `rows` nor its import `__inputs`.
        if body["schemaVersion"] != nil || body["rows"] != nil || body["__inputs"] != nil { return .grafana }
        for panel in body["panels"]?.elements ?? [] {
            if panel["fieldConfig"] != nil || panel["datasource"] != nil { return .grafana }
            if panel["gridPos"] != nil, panel["position"] == nil, panel["type"]?.string == "timeseries" { return .grafana }
        }
        return .lookout
    }

    static func readFile(_ path: String) throws(LayoutError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LayoutError(.error, file: path, at: .file, "no such file")
        }
        guard !isDirectory.boolValue else { throw LayoutError(.error, file: path, at: .file, "is a directory, expected a .json file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LayoutError(.error, file: path, at: .file, "cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxFileSize + 1) ?? Data()
        } catch {
            throw LayoutError(.error, file: path, at: .file, "read failed: \(error.localizedDescription)")
        }
        guard data.count <= maxFileSize else {
            throw LayoutError(.error, file: path, at: .file, "larger than \(maxFileSize >> 20) MiB, not a layout")
        }
        guard !data.isEmpty else { throw LayoutError(.error, file: path, at: .file, "empty file, expected a JSON object") }
        return [UInt8](data)
    }
}
