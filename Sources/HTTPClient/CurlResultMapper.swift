import CCurl
import Foundation

/// Turns a finished transfer's CURLcode and status into the typed result callers see.
enum CurlResultMapper {
    static func result(of t: Transfer, code: CURLcode) -> Result<HTTPResponse, HTTPError> {
        guard let easy = t.easy else { return .failure(HTTPError(kind: .network, url: t.redactedURL)) }
        if code == CURLE_OK {
            var status = 0
            _ = lk_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            let isFile = t.request.url.lowercased().hasPrefix("file:")
            if isFile && status == 0 { status = 200 }
            guard (200..<300).contains(status) else {
                return .failure(HTTPError(kind: .httpStatus(status), url: t.redactedURL, body: t.body))
            }
            return .success(HTTPResponse(
                status: status, headers: t.headers, body: t.body, url: t.redactedURL, duration: t.elapsed))
        }
        return .failure(HTTPError(kind: kind(of: t, easy: easy, code: code), url: t.redactedURL, detail: t.curlMessage))
    }

    private static let tlsCodes: Set<UInt32> = Set([
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
        CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
        CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
        CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
    ].map { $0.rawValue })

    private static func kind(of t: Transfer, easy: UnsafeMutableRawPointer, code: CURLcode) -> HTTPError.Kind {
        if t.exceededLimit || code == CURLE_FILESIZE_EXCEEDED { return .tooLarge(limit: t.request.maxBodyBytes) }
        if tlsCodes.contains(code.rawValue) { return .tls }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            var connectTime: curl_off_t = 0
            _ = lk_easy_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &connectTime)
            let isFile = t.request.url.lowercased().hasPrefix("file:")
            if connectTime == 0 && !isFile && t.elapsed + 0.05 < t.request.totalTimeout {
                return .timeout(seconds: t.request.connectTimeout, phase: "connect")
            }
            return .timeout(seconds: t.request.totalTimeout, phase: "total")
        case CURLE_COULDNT_CONNECT:
            let m = t.curlMessage.lowercased()
            return m.contains("refused") || m.contains("couldn't connect") ? .connectionRefused : .network
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns
        case CURLE_PARTIAL_FILE: return .truncated
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidURL
        case CURLE_FILE_COULDNT_READ_FILE, CURLE_READ_ERROR: return .fileNotFound
        default: return .network
        }
    }
}
