import App
import Foundation
import Layouts

/// Loads the layouts named on the command line (or found in the standard folders).
enum LayoutSet {
    static func load(_ arguments: [String]) throws -> [LayoutEntry] {
        let locator = LayoutLocator.forCurrentProcess()
        let paths: [String]
        do {
            paths = try locator.resolveAll(arguments)
        } catch {
            throw CLIError("\(error)")
        }
        var entries: [LayoutEntry] = []
        for path in arguments.isEmpty ? designOrder(paths) : paths {
            do {
                let dashboard = try LayoutLoader.load(file: path)
                let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                entries.append(LayoutEntry(name: name, dashboard: dashboard, path: path))
            } catch {
                throw CLIError("\(error)\n(run `lookout check \(path)` for every problem in the file)")
            }
        }
        return entries
    }

    /// The default set in the design's order: executive, then technical (its two dashboards), then
    /// the rest as found, so that Tab from the overview lands on the technical view.
    static func designOrder(_ paths: [String]) -> [String] {
        let name = { (p: String) in ((p as NSString).lastPathComponent as NSString).deletingPathExtension }
        let rank = { (p: String) in ["executive": 0, "technical": 1][name(p)] ?? 2 }
        return paths.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The range of graphs: the flag, else the first layout's, else 15 minutes.
    static func range(flag: DurationArgument?, layouts: [LayoutEntry]) -> Int64 {
        flag?.milliseconds ?? layouts.first?.dashboard.timeRange ?? 15 * 60_000
    }

    /// The refresh interval: the flag, else the first layout's, else 5 seconds.
    static func interval(flag: DurationArgument?, layouts: [LayoutEntry]) -> Int64 {
        flag?.milliseconds ?? layouts.first?.dashboard.refresh.map { max(1000, $0) } ?? 5000
    }
}
