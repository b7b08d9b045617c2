import Foundation
import Testing
import TestSupport

/// `lookout snapshot` runs against a server, and reading what each panel shows.
enum ServerSnapshot {
    /// One snapshot (`--color never`), run from the repository root so the shipped rules load.
    static func run(_ args: [String], size: String = "140x45") throws -> String {
        let all = ["snapshot"] + args + ["--size", size, "--color", "never"]
        // Bounded by `timeout`, so that a hang fails the test instead of holding it.
        let quoted = (["timeout", "-k", "5", "120", TmuxHarness.binary] + all).map { "'\($0)'" }.joined(separator: " ")
        let (out, status) = try Spawn.run(try Tools.path("sh"), ["-c", "cd '\(TmuxHarness.repoRoot.path)' && exec \(quoted)"],
                                          environment: ["PATH": Tools.searchPath, "HOME": "/nonexistent", "LANG": "C.UTF-8"],
                                          captureOutput: true)
        #expect(status == 0, "lookout \(all.joined(separator: " ")) exited \(status)")
        return out
    }

    /// Snapshots until every panel shows a value or `seconds` have passed (at least once): a server
    /// started seconds ago has no rate yet at the last step boundary of a graph.
    static func until(
        _ args: [String], _ panels: [TechnicalLayout.PanelInfo], seconds: TimeInterval,
        size: String = "140x45", pause: TimeInterval = 2
    ) throws -> (frame: String, attempts: Int) {
        let deadline = Date().addingTimeInterval(seconds)
        var frame = "", attempts = 0
        repeat {
            if attempts > 0 { Thread.sleep(forTimeInterval: pause) }
            attempts += 1
            frame = try run(args, size: size)
        } while !readings(frame, panels).problems.isEmpty && Date() < deadline
        return (frame, attempts)
    }

    static func check(_ frame: String, _ panels: [TechnicalLayout.PanelInfo], mode: String) {
        let (values, problems) = readings(frame, panels)
        for problem in problems { Issue.record("\(mode): \(problem)") }
        testLog("\(mode) values: \(values.joined(separator: "; "))")
    }

    /// Each panel's value as read from the frame, and what is wrong with the panels showing none.
    static func readings(_ frame: String, _ panels: [TechnicalLayout.PanelInfo]) -> (values: [String], problems: [String]) {
        let reader = FrameReader(frame)
        var values: [String] = [], problems: [String] = []
        for panel in panels {
            guard let box = reader.box(titled: panel.title) else {
                problems.append("no box titled \(panel.title)")
                continue
            }
            let text = box.joined(separator: "\n")
            for bad in ["no data", "error:", "NaN", "stale", "loading"] where text.contains(bad) {
                problems.append("\(panel.title) shows \(bad):\n\(text)")
            }
            // A table's first row is its header; its values end the rows below.
            let value = panel.type == "table"
                ? box.dropFirst().lazy.compactMap(lastNumber).first
                : FrameReader.value(in: box, type: panel.type) ?? (panel.type == "graph" ? sideLegendValue(box) : nil)
            if value == nil { problems.append("\(panel.title) (\(panel.type)) shows no number:\n\(text)") }
            values.append("\(panel.title) = \(value ?? "-")")
        }
        return (values, problems)
    }
}

extension ServerSnapshot {
    /// The number (with its unit) that ends a table row: the value column.
    static func lastNumber(_ row: String) -> String? {
        guard let r = row.range(of: #"-?[0-9]+(\.[0-9]+)?( ?[A-Za-zµ%/]+)?\s*$"#, options: .regularExpression) else { return nil }
        return row[r].trimmingCharacters(in: .whitespaces)
    }

    /// A graph whose legend sits beside the plot (`vda  ███  21.1 %`): the first legend row's number.
    static func sideLegendValue(_ box: [String]) -> String? {
        let row = #"[A-Za-z0-9_.:/-]+\s.*\s(-?[0-9]+(\.[0-9]+)? ?[A-Za-zµ%/]*)\s*$"#
        for line in box where !line.contains("(") {
            guard let r = line.range(of: row, options: .regularExpression) else { continue }
            return FrameReader.plainNumber(String(line[r].split(separator: " ").suffix(2).joined(separator: " ")))
        }
        return nil
    }
}

/// The panels of a shipped layout file, read from the file itself (titles, types, queries).
enum LayoutPanels {
    /// `rows` nil: every panel drawn at first (inside open rows; a collapsed row's panels are folded).
    static func read(_ relativePath: String, rows: [String]?) throws -> [TechnicalLayout.PanelInfo] {
        let path = TmuxHarness.repoRoot.appendingPathComponent(relativePath)
        guard let root = try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any],
              let top = root["panels"] as? [[String: Any]] else { throw HarnessError(message: "\(path.path): no panels") }
        func info(_ p: [String: Any]) -> TechnicalLayout.PanelInfo? {
            guard let title = p["title"] as? String, let type = p["type"] as? String, type != "row" else { return nil }
            let exprs = (p["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
            return TechnicalLayout.PanelInfo(title: title, type: type, exprs: exprs)
        }
        guard let rows else {
            return top.flatMap { p in
                let folded = p["collapsed"] as? Bool == true
                return [info(p)].compactMap { $0 } + (folded ? [] : (p["panels"] as? [[String: Any]] ?? []).compactMap(info))
            }
        }
        return rows.flatMap { row in
            (top.first { $0["title"] as? String == row }?["panels"] as? [[String: Any]] ?? []).compactMap(info)
        }
    }
}

/// Instant queries straight to a server's API (curl), to wait until it has data.
enum ServerQueries {
    static func waitForFiniteValues(_ server: String, _ exprs: [String], timeout: TimeInterval = 90) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var pending = exprs
        while Date() < deadline {
            pending = try pending.filter { expr in
                let (out, _) = try Spawn.run(try Tools.path("curl"), ["-sf", "--max-time", "5", "-G", "--data-urlencode",
                                                              "query=\(expr)", "\(server)/api/v1/query"],
                                             environment: nil, captureOutput: true)
                return !RealStack.hasFiniteValue(out)
            }
            if pending.isEmpty { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        throw HarnessError(message: "\(server) has no finite value for: \(pending)")
    }
}
