import Foundation

/// Notices layout files that change on disk and reloads them. Polling (the App calls `poll()` about once
/// a second) is enough for files people edit by hand, and needs no platform-specific notification API.
/// A broken edit is reported as an error; the caller keeps showing the previous version.
public struct LayoutWatcher: Sendable {
    public struct Change: Sendable {
        public var path: String
        /// The new dashboard, or why the file cannot be used right now.
        public var result: Result<Dashboard, LayoutError>
    }

    /// What identifies one version of a file: editors that save by renaming change the inode,
    /// quick successive writes may keep the mtime but change the size.
    struct Stamp: Hashable, Sendable {
        var modified: Double
        var size: UInt64
        var inode: UInt64
    }

    public private(set) var paths: [String]
    private var stamps: [String: Stamp?]

    /// Starts watching; the files' present versions are taken as already loaded.
    public init(paths: [String]) {
        self.paths = paths
        var stamps: [String: Stamp?] = [:]
        for p in paths { stamps[p] = Self.stamp(of: p) }
        self.stamps = stamps
    }

    /// Checks every file once; returns a reload result for each one that changed since the last call.
    public mutating func poll() -> [Change] {
        var changes: [Change] = []
        for path in paths {
            let now = Self.stamp(of: path)
            guard let before = stamps[path], now != before else { continue }
            stamps[path] = now
            if now == nil {
                changes.append(Change(path: path, result: .failure(
                    LayoutError(.error, file: path, at: .file, "file disappeared; keeping the version loaded before"))))
                continue
            }
            do {
                changes.append(Change(path: path, result: .success(try LayoutLoader.load(file: path))))
            } catch {
                changes.append(Change(path: path, result: .failure(error)))
            }
        }
        return changes
    }

    static func stamp(of path: String) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return Stamp(modified: modified, size: size, inode: inode)
    }
}
