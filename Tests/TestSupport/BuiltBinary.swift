import Foundation

/// The debug binary the end-to-end tests drive. Missing, or older than any source file, is an error
/// that says what to run: a test must never pass (or skip) on a stale binary.
public enum BuiltBinary {
    /// The path of `.build/debug/<product>` under `repoRoot`, after checking it is there and fresh.
    public static func require(_ product: String = "lookout", repoRoot: URL) throws -> String {
        let path = repoRoot.appendingPathComponent(".build/debug/\(product)").path
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: path),
              let built = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
            throw StaleBinary(message: "\(path) is missing: run `swift build --product \(product)` first")
        }
        if let newer = newestSource(under: repoRoot.appendingPathComponent("Sources")), newer.date > built {
            throw StaleBinary(message: "\(path) is older than \(newer.path): run `swift build --product \(product)`")
        }
        return path
    }

    private static func newestSource(under dir: URL) -> (path: String, date: Date)? {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.contentModificationDateKey])
        else { return nil }
        var newest: (String, Date)?
        for case let url as URL in walker where url.pathExtension == "swift" || url.pathExtension == "h" {
            guard let date = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
            else { continue }
            if newest == nil || date > newest!.1 { newest = (url.path, date) }
        }
        return newest
    }
}

public struct StaleBinary: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
