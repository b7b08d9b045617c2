import Foundation

/// The version sent in `User-Agent: lookout/VERSION`.
public enum LookoutVersion {
    public static let string = "0.1.0"
}

/// Credentials attached to a request. Values never appear in descriptions or errors.
public enum HTTPAuth: Sendable, Hashable, CustomStringConvertible {
    case bearer(token: String)
    case basic(user: String, password: String)

    /// Deliberately shows only the scheme: these values end up in logs and debug output.
    public var description: String {
        switch self {
        case .bearer: return "bearer <secret>"
        case .basic(let user, _): return "basic \(user):<secret>"
        }
    }
}

/// How TLS peers are checked.
public struct TLSOptions: Sendable, Hashable {
    /// Extra CA bundle (PEM) to trust instead of the system store.
    public var caFile: String?
    /// Skips certificate and host name verification. Shown in the header while on.
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }
}

/// One GET request with its limits.
public struct HTTPRequest: Sendable {
    public static let defaultMaxBodyBytes = 64 << 20

    public var url: String
    /// Extra headers, e.g. `("Accept", "application/json")`.
    public var headers: [(name: String, value: String)]
    /// Seconds allowed to establish the connection (TCP + TLS).
    public var connectTimeout: TimeInterval
    /// Seconds allowed for the whole transfer, body included.
    public var totalTimeout: TimeInterval
    /// Larger bodies (after decompression) abort the transfer with `.tooLarge`.
    public var maxBodyBytes: Int
    public var maxRedirects: Int
    public var auth: HTTPAuth?
    public var tls: TLSOptions

    public init(
        url: String, headers: [(name: String, value: String)] = [], connectTimeout: TimeInterval = 5,
        totalTimeout: TimeInterval = 10, maxBodyBytes: Int = HTTPRequest.defaultMaxBodyBytes,
        maxRedirects: Int = 5, auth: HTTPAuth? = nil, tls: TLSOptions = TLSOptions()
    ) {
        self.url = url
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.auth = auth
        self.tls = tls
    }
}

/// A finished transfer with a 2xx status (or any `file://` read).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; for redirects only the final response's headers.
    public var headers: [String: String]
    public var body: [UInt8]
    /// Redacted URL of the request.
    public var url: String
    /// Wall time from the transfer's start (at hand-over to the worker, or its `notBefore`) until completion.
    public var duration: TimeInterval

    public init(status: Int, headers: [String: String], body: [UInt8], url: String, duration: TimeInterval) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.duration = duration
    }

    public var contentType: String? { headers["content-type"] }
}

/// Why a request failed, with the redacted URL. `description` is short enough for a panel.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case connectionRefused
        /// `phase` is "connect" or "total"; seconds is the limit that was hit.
        case timeout(seconds: Double, phase: String)
        case dns
        case tls
        case httpStatus(Int)
        case tooLarge(limit: Int)
        /// The server closed the connection before sending the announced body.
        case truncated
        case tooManyRedirects
        case invalidURL
        case fileNotFound
        case network
        case cancelled
        case shutdown
    }

    public var kind: Kind
    /// Redacted URL.
    public var url: String
    /// Detail from libcurl or the server, already free of credentials.
    public var detail: String
    /// For `.httpStatus`: the (size-limited) body, so API errors in JSON can be read.
    public var body: [UInt8]?

    public init(kind: Kind, url: String, detail: String = "", body: [UInt8]? = nil) {
        self.kind = kind
        self.url = url
        self.detail = detail
        self.body = body
    }

    /// A short reason naming the fault, e.g. `timeout after 2s`, `HTTP 503 Service Unavailable`.
    public var summary: String {
        switch kind {
        case .connectionRefused: return "connection refused"
        case .timeout(let s, let phase):
            return phase == "connect" ? "connect timeout after \(Self.seconds(s))" : "timeout after \(Self.seconds(s))"
        case .dns: return "DNS lookup failed"
        case .tls: return "TLS error"
        case .httpStatus(let code): return "HTTP \(code)" + (Self.reasons[code].map { " \($0)" } ?? "")
        case .tooLarge(let limit): return "body over \(Self.bytes(limit))"
        case .truncated: return "truncated body"
        case .tooManyRedirects: return "too many redirects"
        case .invalidURL: return "invalid URL"
        case .fileNotFound: return "cannot read file"
        case .network: return "network error"
        case .cancelled: return "cancelled"
        case .shutdown: return "client shut down"
        }
    }

    public var description: String {
        let d = detail.isEmpty ? "" : ": \(detail)"
        return "\(summary)\(d) (\(url))"
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : String(format: "%.1fs", s)
    }

    static func bytes(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }

    static let reasons: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout", 422: "Unprocessable Entity",
        429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
