import Foundation

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
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
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
