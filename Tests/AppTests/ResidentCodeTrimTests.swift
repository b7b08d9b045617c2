@testable import App
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ResidentCodeTrimTests {
    /// Lines as the kernel writes them (fields trimmed to the ones read).
    static let smaps = """
        55d0c0a00000-55d0c0c00000 r--p 00000000 fd:01 1311 /usr/bin/lookout
        Size:               2048 kB
        Anonymous:             0 kB
        55d0c0c00000-55d0c1000000 r-xp 00200000 fd:01 1311 /usr/bin/lookout
        Size:               4096 kB
        Anonymous:             0 kB
        55d0c1000000-55d0c1010000 r--p 00600000 fd:01 1311 /usr/bin/lookout
        Size:                 64 kB
        Anonymous:            12 kB
        55d0c1010000-55d0c1012000 rw-p 00610000 fd:01 1311 /usr/bin/lookout
        Anonymous:             8 kB
        55d0c2000000-55d0c2400000 rw-p 00000000 00:00 0 [heap]
        Anonymous:          1024 kB
        7f0000000000-7f0000100000 r--s 00000000 00:01 77 /dev/zero (deleted)
        Anonymous:             0 kB
        7f0000200000-7f0000300000 r--s 00000000 00:01 78 /memfd:ring (deleted)
        Anonymous:             0 kB
        7f0000400000-7f0000500000 r-xp 00000000 fd:01 2222 /usr/lib/x86_64-linux-gnu/libcrypto.so.3
        Anonymous:             0 kB
        7f0000500000-7f0000501000 ---p 00100000 fd:01 2222 /usr/lib/x86_64-linux-gnu/libcrypto.so.3
        Anonymous:             0 kB
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]
        Anonymous:             0 kB
        """

    @Test func onlyReadOnlyFileMappingsWithoutPrivatePagesAreTrimmed() {
        let got = ResidentCodeTrim.mappings(smaps: Self.smaps)
        #expect(got == [
            .init(start: 0x55d0c0a00000, length: 0x200000),   // read-only data
            .init(start: 0x55d0c0c00000, length: 0x400000),   // code
            .init(start: 0x7f0000400000, length: 0x100000),   // a library's code
        ])
    }

    @Test func aMappingWithoutAnAnonymousLineIsStillJudgedByItsHeader() {
        let text = "7f0000400000-7f0000500000 r-xp 00000000 fd:01 2222   /usr/lib/libz.so.1\n"
        #expect(ResidentCodeTrim.mappings(smaps: text) == [.init(start: 0x7f0000400000, length: 0x100000)])
        #expect(ResidentCodeTrim.mappings(smaps: "garbage\n\n1-2 r-xp\n").isEmpty)
    }

    #if os(Linux)
    /// The real thing, on a file this test maps read-only: its pages leave the resident set, and a
    /// byte read again brings back its page and at most the kernel's 64 KB fault-around, with the
    /// file's bytes. The mapping is the test's own, so the hundreds of tests running beside it,
    /// faulting in their code, do not move the figure (the whole process's `RssFile` did, on a
    /// loaded CI machine).
    @Test func trimmingDropsAReadOnlyFileMappingsPagesAndOnlyTheReadOnesComeBack() throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = 256 * pageSize
        let path = "/tmp/lookout-trim-test-\(getpid())"
        let content = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        defer { close(fd); unlink(path) }
        try #require(content.withUnsafeBytes { write(fd, $0.baseAddress, length) } == length)
        let base = try #require(mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0))
        try #require(base != MAP_FAILED)
        defer { munmap(base, length) }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var sum = 0
        for page in stride(from: 0, to: length, by: pageSize) { sum &+= Int(bytes[page]) }
        #expect(sum > 0)
        let start = UInt(bitPattern: base)
        #expect(try #require(Self.residentKilobytes(of: start)) == length / 1024)

        let outcome = ResidentCodeTrim.trim()
        #expect(outcome.trimmed > 10)
        #expect(try #require(Self.residentKilobytes(of: start)) == 0)

        // One byte read in the middle brings back its neighbourhood, not the mapping, with its byte.
        let middle = 128 * pageSize + 5
        #expect(bytes[middle] == content[middle])
        let back = try #require(Self.residentKilobytes(of: start))
        #expect(back >= pageSize / 1024 && back <= 64, "\(back) kB back after one byte was read")
        #expect(memcmp(base, content, length) == 0)
    }

    @Test func theDashboardTrimsOnceFiveSecondsAfterItsSourceStarted() {
        var trim = SettledCodeTrim()
        #expect(trim.afterFrame(now: 10_000, startedAt: nil) == nil)
        #expect(trim.afterFrame(now: 14_999, startedAt: 10_000) == nil)
        #expect(trim.afterFrame(now: 15_000, startedAt: 10_000) != nil)
        #expect(trim.afterFrame(now: 99_000, startedAt: 10_000) == nil)
    }

    /// The `Rss:` of the mapping that starts at `start`, from /proc/self/smaps.
    static func residentKilobytes(of start: UInt) -> Int? {
        guard let smaps = ResidentCodeTrim.readProcFile("/proc/self/smaps") else { return nil }
        let header = String(start, radix: 16) + "-"
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            let first = line.prefix { $0 != " " }
            if first.contains("-"), first.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inMapping = line.hasPrefix(header)
            } else if inMapping, line.hasPrefix("Rss:") {
                return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            }
        }
        return nil
    }
    #endif
}
