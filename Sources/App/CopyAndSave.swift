import Foundation
import TerminalBackend

/// Where `y` may copy an expression. Off unless the user's config names one.
public enum CopyTarget: Hashable, Sendable, CustomStringConvertible {
    /// Overwrite this file with the expression.
    case file(String)
    /// The terminal's clipboard, through an OSC 52 escape sequence.
    case osc52

    public var description: String {
        switch self {
        case .file(let path): return path
        case .osc52: return "the terminal clipboard (OSC 52)"
        }
    }
}

enum Clipboard {
    /// Copies `expr` where the user allowed; says what happened in one line.
    static func copy(_ expr: String?, to target: CopyTarget?, terminal: Terminal) -> String {
        guard let target else { return "copying is off (set copy: file PATH or copy: osc52 in the config)" }
        guard let expr, !expr.isEmpty else { return "nothing to copy" }
        switch target {
        case .file(let path):
            do {
                try Data((expr + "\n").utf8).write(to: URL(fileURLWithPath: path))
                return "expression written to \(path)"
            } catch {
                return "copy failed: \(path): \(error.localizedDescription)"
            }
        case .osc52:
            FileHandle.standardOutput.write(Data(osc52(expr).utf8))
            return "expression copied to the terminal clipboard"
        }
    }

    /// `ESC ] 52 ; c ; base64 BEL`: terminals that allow it put the text on the clipboard.
    static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}

/// `:save NAME`: the explored expression as a graph panel appended to the user's own layout file,
/// `$XDG_CONFIG_HOME/lookout/layouts/saved.json`, created when missing. Other layouts are never touched.
enum SavedPanels {
    static var path: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/lookout/layouts/saved.json"
    }

    static func append(name: String, expr: String, to file: String = path) -> String {
        var root: [String: Any] = ["title": "Saved queries", "panels": [Any]()]
        if let data = FileManager.default.contents(atPath: file) {
            guard let existing = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  existing["panels"] is [Any] else {
                return "save: \(file) is not a Lookout layout; left unchanged"
            }
            root = existing
        }
        var panels = root["panels"] as? [Any] ?? []
        panels.append([
            "title": name, "type": "graph",
            "position": ["x": 0, "y": panels.count * 8, "w": 24, "h": 8],
            "targets": [["expr": expr]],
        ] as [String: Any])
        root["panels"] = panels
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: file))
            return "saved \"\(name)\" to \(file)"
        } catch {
            return "save failed: \(file): \(error.localizedDescription)"
        }
    }
}
