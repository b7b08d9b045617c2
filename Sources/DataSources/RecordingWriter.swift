import Foundation
import Glibc
import MetricsCore
import Synchronization

/// Writes a recording: every scraped sample as OpenMetrics text with its timestamp (seconds), so
/// that `promtool tsdb create-blocks-from openmetrics FILE DIR` backfills a Prometheus from it, and
/// a sidecar `FILE.events.jsonl` with what the text format cannot hold (start, layouts in use,
/// alert transitions, the size limit, stop), one JSON object a line.
///
/// Crash safety: each scrape's samples are one chunk, written over the previous `# EOF` line
/// together with a new one, then fsync'd; so the file always ends in `# EOF` and a kill loses at
/// most the scrape in flight. Families are not grouped (promtool accepts interleaved families) and
/// carry no `# TYPE`: every sample is written under its own name. Stale markers are left out (the
/// text format has no way to say them; a replay sees the series end at its last sample).
public final class RecordingWriter: Sendable {
    public static let eofLine = Array("# EOF\n".utf8)
    public static func eventsPath(for path: String) -> String { path + ".events.jsonl" }

    public let path: String
    public let maxBytes: Int64
    private let state: Mutex<State>

    private struct State {
        var fd: Int32
        var eventsFD: Int32
        /// Bytes in the sample file, the final `# EOF` line included.
        var size: Int64
        var samples: Int = 0
        var skipped: Int = 0
        var limitReached = false
        var closed = false
    }

    /// Creates the file (never overwrites one) and its sidecar.
    public init(path: String, maxBytes: Int64) throws(RecordingError) {
        self.path = path
        self.maxBytes = maxBytes
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw RecordingError.cannotCreate(path, errno: errno) }
        let events = Self.eventsPath(for: path)
        let eventsFD = open(events, flags | O_APPEND, 0o644)
        guard eventsFD >= 0 else {
            let e = errno
            Glibc.close(fd)
            unlink(path)
            throw RecordingError.cannotCreate(events, errno: e)
        }
        state = Mutex(State(fd: fd, eventsFD: eventsFD, size: 0))
        try state.withLock { s throws(RecordingError) in
            try Self.writeAll(s.fd, Self.eofLine, at: 0, path: path)
            s.size = Int64(Self.eofLine.count)
        }
    }

    deinit { close() }

    /// Samples written and samples left out (names the text format cannot carry), so far.
    public var counts: (samples: Int, skipped: Int) { state.withLock { ($0.samples, $0.skipped) } }
    public var limitReached: Bool { state.withLock { $0.limitReached } }

    /// The message for the status line once the size bound stopped the recording.
    public var limitMessage: String? {
        limitReached ? "recording stopped at its size limit (\(maxBytes) bytes): \(path) ends there" : nil
    }

    /// Appends one scrape's samples as one fsync'd chunk. Returns false once the recording stopped
    /// (size limit, closed, or a write error, which stops it too).
    @discardableResult
    public func append(_ samples: [InstantSample]) -> Bool {
        var skipped = 0, lines = 0
        var chunk: [UInt8] = []
        chunk.reserveCapacity(samples.count * 64)
        for s in samples {
            if StaleNaN.isStale(s.sample.v) { continue }
            if OpenMetricsLine.append(s, to: &chunk) { lines += 1 } else { skipped += 1 }
        }
        return state.withLock { st -> Bool in
            guard !st.closed, !st.limitReached else { return false }
            st.skipped += skipped
            guard !chunk.isEmpty else { return true }
            if st.size + Int64(chunk.count) > maxBytes {
                st.limitReached = true
                Self.appendEvent(st.eventsFD, ["event": .string("limit"), "t": .number(Self.nowMs()),
                                               "max_bytes": .number(maxBytes)])
                return false
            }
            chunk += Self.eofLine
            do {
                try Self.writeAll(st.fd, chunk, at: st.size - Int64(Self.eofLine.count), path: path)
            } catch {
                st.limitReached = true
                Self.appendEvent(st.eventsFD, ["event": .string("error"), "t": .number(Self.nowMs()),
                                               "message": .string("\(error)")])
                return false
            }
            st.size += Int64(chunk.count - Self.eofLine.count)
            st.samples += lines
            return true
        }
    }

    /// One line in the sidecar (fsync'd).
    public func event(_ fields: [String: JSONLine.Value]) {
        state.withLock { st in
            guard !st.closed else { return }
            Self.appendEvent(st.eventsFD, fields)
        }
    }

    /// Writes the stop event and closes both files; the recording stays valid as it is.
    public func close() {
        state.withLock { st in
            guard !st.closed else { return }
            Self.appendEvent(st.eventsFD, ["event": .string("stop"), "t": .number(Self.nowMs()),
                                           "samples": .number(Int64(st.samples))])
            st.closed = true
            Glibc.close(st.fd)
            Glibc.close(st.eventsFD)
        }
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    private static func appendEvent(_ fd: Int32, _ fields: [String: JSONLine.Value]) {
        let line = Array((JSONLine.encode(fields) + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws(RecordingError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RecordingError.writeFailed(path, errno: errno)
            }
            done += n
        }
        guard fsync(fd) == 0 else { throw RecordingError.writeFailed(path, errno: errno) }
    }
}

public enum RecordingError: Error, Sendable, CustomStringConvertible {
    case cannotCreate(String, errno: Int32)
    case writeFailed(String, errno: Int32)
    case unreadable(String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let e):
            return e == EEXIST ? "\(path): exists; a recording never overwrites a file, choose another name"
                : "\(path): cannot create: \(String(cString: strerror(e)))"
        case .writeFailed(let path, let e): return "\(path): write failed: \(String(cString: strerror(e)))"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        }
    }
}
