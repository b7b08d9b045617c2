/// Removes secrets from a URL before it is shown or logged: user info becomes `***`, and values of
/// query parameters whose names look secret (token, password, secret, key, auth) become `***`.
/// Works on text, so even malformed URLs are redacted rather than passed through.
public func redactURL(_ url: String) -> String {
    var rest = Substring(url)
    var out = ""
    if let schemeEnd = rest.range(of: "://") {
        out += rest[..<schemeEnd.upperBound]
        rest = rest[schemeEnd.upperBound...]
    }
    // The authority ends at the first '/', '?' or '#'; user info is everything before its last '@'.
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    if let at = authority.lastIndex(of: "@") {
        out += "***@" + authority[authority.index(after: at)...]
    } else {
        out += authority
    }
    rest = rest[authorityEnd...]
    guard let q = rest.firstIndex(of: "?") else { return out + rest }
    out += rest[...q]
    let afterQ = rest[rest.index(after: q)...]
    let fragmentStart = afterQ.firstIndex(of: "#") ?? afterQ.endIndex
    let params = afterQ[..<fragmentStart].split(separator: "&", omittingEmptySubsequences: false)
    out += params.map(redactParameter).joined(separator: "&")
    return out + afterQ[fragmentStart...]
}

private let secretParameterWords = ["token", "password", "passwd", "secret", "key", "auth", "signature"]

private func redactParameter(_ p: Substring) -> String {
    guard let eq = p.firstIndex(of: "=") else { return String(p) }
    let name = p[..<eq].lowercased()
    if secretParameterWords.contains(where: { name.contains($0) }) { return "\(p[..<eq])=***" }
    return String(p)
}
