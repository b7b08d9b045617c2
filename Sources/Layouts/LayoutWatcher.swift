import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// The file's stamp from one `stat`: FileManager's attributes also looked up the owner's and
    /// group's names, opening /etc/passwd and /etc/group, on every poll (a dozen system calls a
    /// second for a watched file).
    static func stamp(of path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return Stamp(modified: modified, size: UInt64(info.st_size), inode: UInt64(info.st_ino))
    }
}
