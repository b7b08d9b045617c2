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
        for path in paths {
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

    /// The range of graphs: the flag, else the first layout's, else 15 minutes.
    static func range(flag: DurationArgument?, layouts: [LayoutEntry]) -> Int64 {
        flag?.milliseconds ?? layouts.first?.dashboard.timeRange ?? 15 * 60_000
    }

    /// The refresh interval: the flag, else the first layout's, else 5 seconds.
    static func interval(flag: DurationArgument?, layouts: [LayoutEntry]) -> Int64 {
        flag?.milliseconds ?? layouts.first?.dashboard.refresh.map { max(1000, $0) } ?? 5000
    }
}
