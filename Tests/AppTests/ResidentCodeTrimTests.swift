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
    /// The real thing, on this test process: its file pages leave the resident set, and the code it
    /// runs next comes back from the page cache.
    @Test func trimmingThisProcessShrinksItsFilePagesAndItRunsOn() throws {
        let before = try #require(Self.residentFileKilobytes())
        let outcome = ResidentCodeTrim.trim()
        let after = try #require(Self.residentFileKilobytes())
        #expect(outcome.trimmed > 10)
        #expect(after < before * 3 / 4, "RssFile \(before) kB → \(after) kB")
        // Code that ran before runs again (its pages fault back in).
        #expect(ResidentCodeTrim.mappings(smaps: Self.smaps).count == 3)
    }

    @Test func theDashboardTrimsOnceFiveSecondsAfterItsSourceStarted() {
        var trim = SettledCodeTrim()
        #expect(trim.afterFrame(now: 10_000, startedAt: nil) == nil)
        #expect(trim.afterFrame(now: 14_999, startedAt: 10_000) == nil)
        #expect(trim.afterFrame(now: 15_000, startedAt: 10_000) != nil)
        #expect(trim.afterFrame(now: 99_000, startedAt: 10_000) == nil)
    }

    static func residentFileKilobytes() -> Int? {
        guard let status = ResidentCodeTrim.readProcFile("/proc/self/status") else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("RssFile:") }
        return line?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }
    #endif
}
