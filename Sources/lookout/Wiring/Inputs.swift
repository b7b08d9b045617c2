import App
import DataSources
import Foundation

/// Everything a dashboard, snapshot or query needs besides the source, with the precedence
/// flags > config file > layout file > built-in default applied once, here.
struct Inputs {
    var config: LookoutConfig?
    var layouts: [LayoutEntry]
    var intervalMs: Int64
    var rangeMs: Int64
    var rulePaths: [String]

    static func resolve(configPath: String?, useConfig: Bool, layoutOptions: LayoutOptionGroup,
                        interval: DurationArgument?) throws -> Inputs {
        let config = useConfig ? try loadConfig(configPath) : nil
        var layouts: [LayoutEntry]
        if !layoutOptions.layout.isEmpty {
            layouts = try LayoutSet.load(layoutOptions.layout)
        } else {
            layouts = try LayoutSet.load(expandFolders(config?.layouts ?? [], suffix: ".json"))
            // The config's `layout` is the one opened first; the others stay reachable with Tab.
            if let first = config?.layout {
                let chosen = try LayoutSet.load([first])
                layouts = chosen + layouts.filter { l in !chosen.contains { $0.path == l.path } }
            }
        }
        let intervalMs = interval?.milliseconds
            ?? config?.interval.map { Int64(($0 * 1000).rounded()) }
            ?? LayoutSet.interval(flag: nil, layouts: layouts)
        let rangeMs = layoutOptions.range?.milliseconds ?? config?.range ?? LayoutSet.range(flag: nil, layouts: layouts)
        let rules = layoutOptions.rules.isEmpty ? (config?.rules ?? []) : layoutOptions.rules
        return Inputs(config: config, layouts: layouts, intervalMs: max(100, intervalMs), rangeMs: rangeMs,
                      rulePaths: rules)
    }

    /// The config file: `--config FILE`, else the default one if it exists.
    static func loadConfig(_ path: String?) throws -> LookoutConfig? {
        do {
            return try ConfigLoader.load(path: path)
        } catch {
            throw CLIError("config: \(error)")
        }
    }

    /// Directories stand for the files in them with `suffix`, sorted.
    static func expandFolders(_ paths: [String], suffix: String) -> [String] {
        paths.flatMap { path -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.hasSuffix(suffix) && $0 != "schema.json" }.sorted().map { path + "/" + $0 }
        }
    }
}
