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
/// process's page tables (they stay in the page cache, shared, so nothing is read from disk again),
/// so that from then on only the pages the dashboard runs, and their 64 KB neighbourhoods, come
/// back. (`MADV_RANDOM` does not turn fault-around off on Linux 6.18; a test measures it.)
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
    public static func mappings(smaps: String) -> [Mapping] { mappings(smaps: Array(smaps.utf8)) }

    /// The same over the file's bytes: a few hundred KB of lines, read byte-wise (splitting them as
    /// Swift strings, character by character, cost tens of millions of instructions).
    static func mappings(smaps bytes: [UInt8]) -> [Mapping] {
        var result: [Mapping] = []
        var current: (mapping: Mapping, eligible: Bool)?
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            while start < b.count {
                var end = start
                while end < b.count && b[end] != 0x0A { end += 1 }
                let line = UnsafeBufferPointer(rebasing: b[start..<end])
                if let header = header(line) {
                    if let c = current, c.eligible { result.append(c.mapping) }
                    current = header
                } else if startsWith(line, anonymous) {
                    // Copy-on-write pages: their bytes are no longer the file's.
                    if anonymousKilobytes(line) != 0 { current?.eligible = false }
                }
                start = end + 1
            }
        }
        if let c = current, c.eligible { result.append(c.mapping) }
        return result
    }

    private static let anonymous = Array("Anonymous:".utf8)

    private static func startsWith(_ line: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        line.count >= prefix.count && zip(line, prefix).allSatisfy { $0 == $1 }
    }

    /// The number of `Anonymous: N kB`, or nil when it is not a number.
    private static func anonymousKilobytes(_ line: UnsafeBufferPointer<UInt8>) -> UInt? {
        var i = anonymous.count
        while i < line.count && line[i] == 0x20 { i += 1 }
        var value: UInt = 0
        var digits = 0
        while i < line.count, line[i] >= 0x30, line[i] <= 0x39, digits < 18 {
            value = value * 10 + UInt(line[i] - 0x30)
            digits += 1
            i += 1
        }
        return digits > 0 ? value : nil
    }

    /// A mapping's first line: `start-end perms offset dev inode path`; eligible when it maps a
    /// regular file read-only (not a device, not shared memory, not a pseudo-mapping like [vdso]).
    private static func header(_ line: UnsafeBufferPointer<UInt8>) -> (mapping: Mapping, eligible: Bool)? {
        // Fields split on runs of spaces; the path (the sixth) may hold spaces itself.
        var fields: [Range<Int>] = []
        var i = 0
        while i < line.count && fields.count < 5 {
            while i < line.count && line[i] == 0x20 { i += 1 }
            let from = i
            while i < line.count && line[i] != 0x20 { i += 1 }
            if i > from { fields.append(from..<i) }
        }
        while i < line.count && line[i] == 0x20 { i += 1 }
        guard fields.count == 5, fields[1].count == 4,
              let dash = line[fields[0]].firstIndex(of: UInt8(ascii: "-")),
              let start = number(line, fields[0].lowerBound..<dash, radix: 16),
              let end = number(line, (dash + 1)..<fields[0].upperBound, radix: 16), end > start,
              let inode = number(line, fields[4], radix: 10) else { return nil }
        let perms = line[fields[1]]
        let path = line[i..<line.count]
        let regularFile = inode != 0 && path.first == UInt8(ascii: "/")
            && !["/dev/", "/memfd:", "/SYSV"].contains { path.starts(with: $0.utf8) }
        let eligible = regularFile && perms.first == UInt8(ascii: "r") && !perms.contains(UInt8(ascii: "w"))
        return (Mapping(start: start, length: end - start), eligible)
    }

    private static func number(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, radix: UInt) -> UInt? {
        guard !range.isEmpty, range.count <= 16 else { return nil }
        var value: UInt = 0
        for k in range {
            let c = line[k]
            let digit: UInt
            switch c {
            case 0x30...0x39: digit = UInt(c - 0x30)
            case 0x61...0x66 where radix == 16: digit = UInt(c - 0x61 + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            value = value * radix + digit
        }
        return value
    }

    #if os(Linux)
    /// Trims this process's read-only file mappings (see the type's comment).
    public static func trim() -> Outcome {
        guard let bytes = readProcBytes("/proc/self/smaps") else { return Outcome() }
        var outcome = Outcome()
        for m in mappings(smaps: bytes) {
            guard let address = UnsafeMutableRawPointer(bitPattern: m.start) else { continue }
            if madvise(address, Int(m.length), MADV_DONTNEED) == 0 {
                outcome.trimmed += 1
            } else {
                outcome.refused += 1
            }
        }
        return outcome
    }

    /// A /proc file's text.
    static func readProcFile(_ path: String) -> String? {
        readProcBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A /proc file's bytes: its size reads as 0, so it is read until the end. Bounded at 16 MB.
    static func readProcBytes(_ path: String) -> [UInt8]? {
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
        return bytes
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
