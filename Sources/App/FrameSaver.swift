import Foundation
import MetricsCore
import PromQL
import Render

/// `S` in the dashboard: the screen as a self-contained HTML file in the snapshots folder,
/// `$XDG_STATE_HOME/lookout/snapshots` (default `~/.local/state/lookout/snapshots`), named by the
/// UTC time. Returns the one line the status bar shows: where it went, or why it did not.
public enum FrameSaver {
    /// HTML: opens anywhere, keeps the colours and the text selectable.
    public static let format = FrameFormat.html

    /// The folder, from the environment; nil when neither XDG_STATE_HOME nor HOME is usable.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/lookout/snapshots"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/lookout/snapshots"
    }

    /// `lookout-2026-12-06T19-59-12Z.html`, with `-2`, `-3`… when a file of that name exists.
    static func fileName(at time: Timestamp, attempt: Int) -> String {
        let c = CivilDate.fields(Int64((Double(time) / 1000).rounded(.down)))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp = "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour))-\(two(c.minute))-\(two(c.second))Z"
        return "lookout-\(stamp)" + (attempt > 1 ? "-\(attempt)" : "") + "." + format.fileExtension
    }

    public static func save(_ frame: Buffer, at time: Timestamp,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard let folder = folder(environment: environment) else {
            return "snapshot not saved: set HOME or XDG_STATE_HOME"
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            return "snapshot not saved: cannot create \(folder): \(error.localizedDescription)"
        }
        let data = Data(format.encode(frame).utf8)
        for attempt in 1...100 {
            let path = folder + "/" + fileName(at: time, attempt: attempt)
            // O_EXCL: never overwrite an earlier snapshot, even one saved in the same second.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                return "snapshot not saved: \(path): \(String(cString: strerror(errno)))"
            }
            defer { close(fd) }
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == data.count else { return "snapshot not saved: \(path): short write" }
            return "snapshot saved: \(path)"
        }
        return "snapshot not saved: too many snapshots in \(folder) this second"
    }
}
