/// What the header line shows.
public struct HeaderData: Hashable, Sendable {
    public var title: String
    /// URL or `demo`.
    public var source: String
    /// Refresh interval in short form (`5s`).
    public var interval: String
    /// Time of the last data, Unix ms; nil before any data arrived.
    public var lastDataMs: Int64?
    /// The clock, Unix ms (the App passes it so rendering stays pure).
    public var nowMs: Int64
    public var utcOffsetSeconds: Int
    public var paused: Bool
    public var firingCount: Int
    public var pendingCount: Int
    /// Name of the most severe firing alert.
    public var topAlert: String?
    /// TLS verification off, plain HTTP with credentials...: shown as a warning.
    public var insecure: Bool
    /// E.g. `Prometheus 3.1.0`.
    public var serverInfo: String?
    /// Graph range in short form (`15m`).
    public var range: String?
    /// Set while the graphs show the past: the end of the window (`at 03:40:00`), in the warning colour.
    public var notLive: String?

    public init(title: String, source: String, interval: String, lastDataMs: Int64? = nil, nowMs: Int64,
                utcOffsetSeconds: Int = 0, paused: Bool = false, firingCount: Int = 0, pendingCount: Int = 0,
                topAlert: String? = nil, insecure: Bool = false, serverInfo: String? = nil, range: String? = nil) {
        self.title = title
        self.source = source
        self.interval = interval
        self.lastDataMs = lastDataMs
        self.nowMs = nowMs
        self.utcOffsetSeconds = utcOffsetSeconds
        self.paused = paused
        self.firingCount = firingCount
        self.pendingCount = pendingCount
        self.topAlert = topAlert
        self.insecure = insecure
        self.serverInfo = serverInfo
        self.range = range
        notLive = nil
    }
}

public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var action: String

    public init(_ key: String, _ action: String) {
        self.key = key
        self.action = action
    }

    /// The hints of the status line, most useful first (they are dropped from the end when narrow).
    public static let standard: [KeyHint] = [
        KeyHint("Tab", "next layout"), KeyHint("1-9", "layout"), KeyHint("p", "pause"),
        KeyHint("r", "refresh"), KeyHint("+/-", "range"), KeyHint("f", "zoom"),
        KeyHint("?", "help"), KeyHint("q", "quit"),
    ]
}

/// What the status line (bottom) shows.
public struct StatusData: Hashable, Sendable {
    /// Errors in short form, most recent first.
    public var errors: [String]
    public var keyHints: [KeyHint]
    public var targetsUp: Int?
    public var targetsTotal: Int?
    /// A transient message (`refreshing…`), shown instead of the hints.
    public var message: String?

    public init(errors: [String] = [], keyHints: [KeyHint] = KeyHint.standard, targetsUp: Int? = nil,
                targetsTotal: Int? = nil, message: String? = nil) {
        self.errors = errors
        self.keyHints = keyHints
        self.targetsUp = targetsUp
        self.targetsTotal = targetsTotal
        self.message = message
    }
}

/// The chrome around the panels: header at the top, status line at the bottom.
public struct ChromeData: Hashable, Sendable {
    public var header: HeaderData
    public var status: StatusData

    public init(header: HeaderData, status: StatusData) {
        self.header = header
        self.status = status
    }
}
