import Layouts
import Logging
import MetricsCore

/// Layout files edited on disk, picked up about once a second while the dashboard runs. A broken
/// edit keeps the old version on screen, and its error stays among the notices until it is fixed.
struct LayoutReloads {
    private var watcher: LayoutWatcher
    private var lastPoll: Timestamp = 0
    /// The error of each layout file whose last edit did not load, by path.
    private(set) var notices: [String: String] = [:]

    init(layouts: [LayoutEntry]) {
        watcher = LayoutWatcher(paths: layouts.compactMap(\.path))
    }

    /// Applies what changed since the last poll to `layouts`; says whether anything changed on
    /// screen and whether a layout was reloaded (its queries are then asked for again).
    mutating func poll(now: Timestamp, layouts: inout [LayoutEntry], logger: Logger) -> (changed: Bool, reloaded: Bool) {
        guard now - lastPoll >= 1000 else { return (false, false) }
        lastPoll = now
        var changed = false, reloaded = false
        for change in watcher.poll() {
            switch change.result {
            case .success(let dashboard):
                for i in layouts.indices where layouts[i].path == change.path {
                    layouts[i].dashboard = dashboard
                }
                notices[change.path] = nil
                reloaded = true
                logger.info("layout reloaded", metadata: ["path": "\(change.path)"])
            case .failure(let error):
                notices[change.path] = "\(error)"
                logger.warning("layout reload failed", metadata: ["error": "\(error)"])
            }
            changed = true
        }
        return (changed, reloaded)
    }
}
