import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The root of an ECGrid API, checked before any request: `https://` to any host, plain
/// `http://` only to loopback (127.0.0.0/8, ::1, localhost). User information, queries and
/// fragments are refused: a credential in a URL would show in logs and process lists.
public struct BaseURL: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// Path prefix without a trailing slash ("" for the root).
    public let path: String

    /// ECGrid's production service.
    public static let production = "https://rest.ecgrid.io"
    /// The production service's host, which marks a profile or base URL as production.
    public static let productionHost = "rest.ecgrid.io"

    /// True when this is ECGrid's production host.
    public var isProduction: Bool { host == Self.productionHost }

    public init(_ text: String) throws(ECGridError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let rawScheme = components.scheme?.lowercased(),
            let rawHost = components.host, !rawHost.isEmpty
        else {
            throw ECGridError(.invalidURL, detail: "not an absolute URL")
        }
        guard rawScheme == "https" || rawScheme == "http" else {
            throw ECGridError(.invalidURL, detail: "scheme \(rawScheme) is not http or https")
        }
        guard components.user == nil, components.password == nil else {
            throw ECGridError(.invalidURL, detail: "user information in the URL is not allowed")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ECGridError(.invalidURL, detail: "a query or fragment in the base URL is not allowed")
        }
        // The host as typed: Foundation decodes punycode (xn--…) into Unicode, which the
        // network stack would then have to encode again.
        var host = (Self.typedHost(trimmed) ?? rawHost).lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard host.allSatisfy(\.isASCII) else {
            throw ECGridError(.invalidURL, detail: "the host has characters outside ASCII: give its xn-- (punycode) form")
        }
        guard Self.isUsableHost(host) else {
            throw ECGridError(.invalidURL, detail: "the host is not a DNS name, an IPv4 address or an IPv6 address")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw ECGridError(.invalidURL, detail: "port \(port) is not between 1 and 65535")
        }
        if components.port == nil, Self.hasEmptyPort(trimmed) {
            throw ECGridError(.invalidURL, detail: "the port after ':' is missing")
        }
        scheme = rawScheme
        self.host = host
        port = components.port
        var prefix = components.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        path = prefix
        if scheme == "http" && !isLoopback {
            throw ECGridError(.insecureURL, detail: "http:// to \(host)")
        }
    }

    /// A host the network stack can be given as it is: a DNS name of letters, digits and
    /// hyphens (labels of 1 to 63, 253 in all), a dotted IPv4 address, or an IPv6 address
    /// without a zone.
    static func isUsableHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        if host.contains(":") {
            var address = in6_addr()
            return host.utf8.allSatisfy { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || isHexDigit($0) }
                && inet_pton(AF_INET6, host, &address) == 1
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }) {
            var address = in_addr()
            return labels.count == 4 && inet_pton(AF_INET, host, &address) == 1
        }
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
                return false
            }
            return bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102)
    }

    /// The authority as typed: what stands between `://` and the path, less any user information.
    private static func typedAuthority(_ text: String) -> Substring? {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return authority }
        return authority[authority.index(after: at)...]
    }

    /// The host exactly as typed (brackets kept).
    private static func typedHost(_ text: String) -> String? {
        guard let authority = typedAuthority(text) else { return nil }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            return String(authority[...close])
        }
        return String(authority.prefix { $0 != ":" })
    }

    /// True for `scheme://host:` or `scheme://host:/path`: a colon with no port after it.
    private static func hasEmptyPort(_ text: String) -> Bool {
        typedAuthority(text)?.hasSuffix(":") ?? false
    }

    /// True for 127.0.0.0/8, ::1 and localhost.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// `host` or `host:port`, for headers and the console's title.
    public var hostAndPort: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(shownHost):\($0)" } ?? shownHost
    }

    /// The full URL of an API path such as `/v2/users/me`.
    public func url(_ apiPath: String) -> String { "\(scheme)://\(hostAndPort)\(path)\(apiPath)" }

    public var description: String { "\(scheme)://\(hostAndPort)\(path)" }
}
