#if canImport(Glibc)
import Glibc
#endif

/// Keeps the code and read-only data the dashboard does not run out of its resident set.
///
/// The kernel maps file pages around each one a process faults in ("fault-around", 64 KB), so a
/// process that runs a few functions here and there across the Swift runtime, Foundation, ICU and
/// libcurl's TLS libraries has tens of megabytes of their clean pages in its resident set that it
/// never reads: measured on the executive layout, 37.8 MB of file pages, of which about 15 MB are
/// used once start-up is over. Once the dashboard has settled, `trim` drops those pages from the
/// process's page tables (they stay in the page cache, shared, so nothing is read from disk again)
/// and asks for no fault-around in those mappings, so that from then on only the pages the
/// dashboard runs come back.
///
/// Only mappings that can hold nothing but the file's own bytes are touched: file-backed, not
/// writable, and without a single private (copy-on-write) page, which a relocated read-only
/// segment has. Dropping a page of such a mapping cannot lose data: the next access reads the same
/// bytes from the page cache.
public enum ResidentCodeTrim {
    /// A mapping to trim: its start address and length in bytes.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt
        public var length: UInt
    }

    /// What a trim did: mappings trimmed, and those the kernel refused (left as they were).
    public struct Outcome: Equatable, Sendable {
        public var trimmed = 0
        public var refused = 0
    }

    /// The mappings of `/proc/PID/smaps` text that hold only a file's own bytes.
    public static func mappings(smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        var current: (mapping: Mapping, eligible: Bool)?
        func finish() {
            if let c = current, c.eligible { result.append(c.mapping) }
            current = nil
        }
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if let header = header(line) {
                finish()
                current = header
            } else if line.hasPrefix("Anonymous:") {
                // Copy-on-write pages: their bytes are no longer the file's.
                let kilobytes = line.dropFirst("Anonymous:".count).split(separator: " ").first.flatMap { UInt($0) }
                if kilobytes != 0 { current?.eligible = false }
            }
        }
        finish()
        return result
    }

    /// A mapping's first line: `start-end perms offset dev inode path`; eligible when it maps a
    /// regular file read-only (not a device, not shared memory, not a pseudo-mapping like [vdso]).
    private static func header(_ line: Substring) -> (mapping: Mapping, eligible: Bool)? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
              let start = UInt(fields[0][..<dash], radix: 16),
              let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16), end > start,
              fields[1].count == 4 else { return nil }
        let perms = fields[1]
        let inode = UInt(fields[4]) ?? 0
        let path = fields.count > 5 ? fields[5].drop { $0 == " " } : ""
        let regularFile = inode != 0 && path.hasPrefix("/") && !path.hasPrefix("/dev/") && !path.hasPrefix("/memfd:")
            && !path.hasPrefix("/SYSV")
        let eligible = regularFile && !perms.contains("w") && perms.contains("r")
        return (Mapping(start: start, length: end - start), eligible)
    }

    #if os(Linux)
    /// Trims this process's read-only file mappings (see the type's comment).
    public static func trim() -> Outcome {
        guard let text = readProcFile("/proc/self/smaps") else { return Outcome() }
        var outcome = Outcome()
        for m in mappings(smaps: text) {
            guard let address = UnsafeMutableRawPointer(bitPattern: m.start) else { continue }
            // Random access: no fault-around (nor read-ahead) when a page of it is needed again.
            let random = madvise(address, Int(m.length), MADV_RANDOM)
            let dropped = madvise(address, Int(m.length), MADV_DONTNEED)
            if random == 0 && dropped == 0 { outcome.trimmed += 1 } else { outcome.refused += 1 }
        }
        return outcome
    }

    /// A /proc file's text: its size reads as 0, so it is read until the end. Bounded at 16 MB.
    static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 16 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    #else
    public static func trim() -> Outcome { Outcome() }
    #endif
}

/// When the dashboard trims: once, at the first frame drawn 5 s after its source started. Start-up's
/// code (argument parsing, layout loading, the first whole windows) is not run again, so its pages
/// leave the resident set with the rest.
struct SettledCodeTrim {
    static let delayMs: Int64 = 5_000
    private(set) var done = false

    /// Trims if it is time; the outcome when it did.
    mutating func afterFrame(now: Int64, startedAt: Int64?) -> ResidentCodeTrim.Outcome? {
        guard !done, let startedAt, now - startedAt >= Self.delayMs else { return nil }
        done = true
        return ResidentCodeTrim.trim()
    }
}
