import CCurl
import Foundation

/// One transfer's state. Created by the caller, then touched only on the worker thread
/// (libcurl callbacks run there too), which is why the unchecked Sendable is sound.
final class Transfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPRequest
    let redactedURL: String
    let continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>
    /// The transfer is not started before this (the worker holds it until then).
    let notBefore: ContinuousClock.Instant?
    /// When the worker started it; `duration` and curl's timeouts count from here.
    private(set) var started = ContinuousClock.now

    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    /// Set by the write callback when the body passes the limit; the transfer is then aborted.
    var exceededLimit = false
    private var finished = false

    init(id: UInt64, request: HTTPRequest, notBefore: ContinuousClock.Instant? = nil,
         continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>) {
        self.id = id
        self.request = request
        self.notBefore = notBefore
        self.redactedURL = redactURL(request.url)
        self.continuation = continuation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    /// The body grows by appending what curl hands over. With its length known (an HTTP
    /// Content-Length, a file's size) it is made at that size once, instead of reallocated and
    /// copied as it doubles, and then kept without a spare half. A length the server claims but
    /// does not send costs address space only (pages are touched as bytes arrive), bounded by the
    /// body limit.
    func reserveBodyForItsLength() {
        guard let easy else { return }
        var length: curl_off_t = -1
        guard lk_easy_getinfo_off(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK, length > 0 else { return }
        body.reserveCapacity(Int(min(length, curl_off_t(request.maxBodyBytes))))
    }

    deinit {
        if let easy { curl_easy_cleanup(easy) }
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Creates and configures the easy handle. Returns an error instead of a handle when curl refuses an option.
    func makeHandle(userAgent: String) -> HTTPError? {
        started = ContinuousClock.now
        guard let h = curl_easy_init() else {
            return HTTPError(kind: .network, url: redactedURL, detail: "curl_easy_init failed")
        }
        easy = h
        let me = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = []
        func long(_ o: CURLoption, _ v: Int) { codes.append(lk_easy_setopt_long(h, o, v)) }
        func str(_ o: CURLoption, _ v: String) { codes.append(v.withCString { lk_easy_setopt_str(h, o, $0) }) }

        str(CURLOPT_URL, request.url)
        // Redirects may not switch to file:// (a remote server must not make us read local files).
        str(CURLOPT_PROTOCOLS_STR, "http,https,file")
        str(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_FOLLOWLOCATION, request.maxRedirects > 0 ? 1 : 0)
        long(CURLOPT_MAXREDIRS, request.maxRedirects)
        long(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        long(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.totalTimeout))
        str(CURLOPT_ACCEPT_ENCODING, "")
        str(CURLOPT_USERAGENT, userAgent)
        // Rejects at once when Content-Length announces too much; the write callback covers the rest.
        codes.append(lk_easy_setopt_off(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes)))
        long(CURLOPT_SSL_VERIFYPEER, request.tls.insecure ? 0 : 1)
        long(CURLOPT_SSL_VERIFYHOST, request.tls.insecure ? 0 : 2)
        if let ca = request.tls.caFile { str(CURLOPT_CAINFO, ca) }
        codes.append(lk_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, errorBuffer))
        codes.append(lk_easy_setopt_write_cb(h, transferWriteCallback))
        codes.append(lk_easy_setopt_ptr(h, CURLOPT_WRITEDATA, me))
        codes.append(lk_easy_setopt_header_cb(h, transferHeaderCallback))
        codes.append(lk_easy_setopt_ptr(h, CURLOPT_HEADERDATA, me))

        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        switch request.auth {
        case .bearer(let token)?:
            headerLines.append("Authorization: Bearer \(token)")
        case .basic(let user, let password)?:
            long(CURLOPT_HTTPAUTH, lk_curlauth_basic())
            str(CURLOPT_USERNAME, user)
            str(CURLOPT_PASSWORD, password)
        case nil:
            break
        }
        for line in headerLines {
            headerList = line.withCString { curl_slist_append(headerList, $0) }
        }
        if let headerList { codes.append(lk_easy_setopt_slist(h, CURLOPT_HTTPHEADER, headerList)) }

        if let bad = codes.first(where: { $0 != CURLE_OK }) {
            let kind: HTTPError.Kind = bad == CURLE_UNSUPPORTED_PROTOCOL ? .invalidURL : .network
            return HTTPError(kind: kind, url: redactedURL, detail: String(cString: curl_easy_strerror(bad)))
        }
        return nil
    }

    /// Resumes the waiting caller exactly once.
    func finish(_ result: Result<HTTPResponse, HTTPError>) {
        guard !finished else { return }
        finished = true
        continuation.resume(returning: result)
    }

    var elapsed: TimeInterval {
        let d = ContinuousClock.now - started
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The libcurl error text, scrubbed of anything secret.
    var curlMessage: String {
        var text = String(cString: errorBuffer)
        if text.isEmpty { return "" }
        if request.url != redactedURL { text = text.replacingOccurrences(of: request.url, with: redactedURL) }
        switch request.auth {
        case .bearer(let token)?: text = text.replacingOccurrences(of: token, with: "***")
        case .basic(_, let password)? where !password.isEmpty:
            text = text.replacingOccurrences(of: password, with: "***")
        default: break
        }
        return text
    }

    static func milliseconds(_ seconds: TimeInterval) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int(min(seconds, 86_400) * 1000)
    }
}

/// Appends body bytes, refusing (and so aborting the transfer) past the size limit.
let transferWriteCallback: curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    if transfer.body.count + n > transfer.request.maxBodyBytes {
        transfer.exceededLimit = true
        return 0
    }
    if transfer.body.capacity == 0 { transfer.reserveBodyForItsLength() }
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

/// Collects response headers; a status line starts a new set (so after redirects only the last stays).
let transferHeaderCallback: curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    // On the bytes: a field name is an ASCII token and the space around a value is ASCII (RFC 9110),
    // and Foundation's Unicode trimming and lowercasing cost more than the rest of a scrape's transfer.
    let line = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: n)
    if line.starts(with: "HTTP/".utf8) {
        transfer.headers = [:]
    } else if let colon = line.firstIndex(of: UInt8(ascii: ":")), transfer.headers.count < 200 {
        let name = String(decoding: line[..<colon].map { $0 &+ ($0 >= 0x41 && $0 <= 0x5A ? 0x20 : 0) }, as: UTF8.self)
        var from = colon + 1, to = line.endIndex
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        while from < to, isSpace(line[from]) { from += 1 }
        while to > from, isSpace(line[to - 1]) { to -= 1 }
        let value = String(decoding: line[from..<to], as: UTF8.self)
        transfer.headers[name] = value
    }
    return n
}
