import Foundation

/// Where the demo listens: `127.0.0.1:0` (loopback, any free port) unless told otherwise.
public struct DemoListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    /// 0 asks the system for a free port.
    public var port: UInt16

    public init(host: String = "127.0.0.1", port: UInt16 = 0) {
        self.host = host
        self.port = port
    }

    public static let loopbackAnyPort = DemoListenAddress()

    /// Parses `HOST:PORT`, `:PORT`, `PORT` or `[IPv6]:PORT` (the `--listen` option).
    public init(parsing text: String) throws(DemoListenAddressError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else {
            throw DemoListenAddressError(text: text, reason: "expected HOST:PORT, e.g. 127.0.0.1:9464")
        }
        var host = "127.0.0.1"
        var portText = trimmed
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]"),
                  trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                throw DemoListenAddressError(text: text, reason: "expected [IPv6]:PORT")
            }
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            portText = String(trimmed[trimmed.index(close, offsetBy: 2)...])
        } else if let colon = trimmed.lastIndex(of: ":") {
            let hostPart = String(trimmed[..<colon])
            if !hostPart.isEmpty { host = hostPart }
            portText = String(trimmed[trimmed.index(after: colon)...])
        }
        guard let port = UInt16(portText) else {
            throw DemoListenAddressError(text: text, reason: "port must be a number from 0 to 65535")
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else {
            throw DemoListenAddressError(text: text, reason: "host must be a numeric IPv4 or IPv6 address")
        }
        self.init(host: host, port: port)
    }

    var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A `--listen` value that could not be understood; carries the offending text.
public struct DemoListenAddressError: Error, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String { "invalid listen address \"\(text)\": \(reason)" }
}

/// Why the demo server could not start.
public enum DemoServerError: Error, CustomStringConvertible {
    case alreadyStarted
    case invalidHost(DemoListenAddress)
    case listenFailed(DemoListenAddress, reason: String)
    case notListeningInTime(DemoListenAddress)

    public var description: String {
        switch self {
        case .alreadyStarted: "demo server already started"
        case .invalidHost(let address): "cannot listen on \(address): not a numeric IP address"
        case .listenFailed(let address, let reason): "cannot listen on \(address): \(reason)"
        case .notListeningInTime(let address): "demo server on \(address) did not start listening within 5 s"
        }
    }
}
