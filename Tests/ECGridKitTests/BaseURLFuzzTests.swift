import AsyncHTTPClient
import ECGridKit
import ECGridSandbox
import Testing

/// Every URL is checked before it reaches the network stack: scheme, host, port 1-65535, no
/// user information. Nothing a flag, the environment or a profile can hold makes it trap.
@Suite("Base URL checks and fuzzing")
struct BaseURLFuzzTests {
    @Test("ports outside 1-65535, empty ports and odd hosts are refused with a reason", arguments: [
        "http://127.0.0.1:99999", "http://127.0.0.1:65536", "https://rest.ecgrid.io:0", "http://127.0.0.1:",
        "https://rest.ecgrid.io:/v2", "https://exa mple.com", "https://[::1%25eth0]:8026", "https://-bad-.example.com",
        "https://a..b", "https://1.2.3", "https://300.1.1.1", "https://ex_ample.com", "https://\u{202E}evil.com",
        "https://[zz::1]", "https://" + String(repeating: "a", count: 64) + ".com",
    ])
    func refused(text: String) {
        do {
            _ = try BaseURL(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == .invalidURL || error.kind == .insecureURL, "\(text): \(error.kind)")
            #expect(!error.explanation.isEmpty)
        }
    }

    @Test("ordinary URLs still pass", arguments: [
        "https://rest.ecgrid.io", "https://rest.ecgrid.io:443/", "https://127.0.0.1:65535", "http://127.0.0.1:1",
        "https://[::1]:8026", "https://xn--bcher-kva.example", "HTTPS://REST.ECGRID.IO/api/",
    ])
    func accepted(text: String) throws {
        let url = try BaseURL(text)
        if let port = url.port { #expect((1...65_535).contains(port)) }
    }

    @Test("10,000 random URL strings: each is refused with an ECGridError or gives a usable host and port")
    func fuzz() throws {
        var random = SeededRandom(seed: 20_261_125)
        let pieces = [
            "http://", "https://", "HTTP://", "ftp://", "//", "127.0.0.1", "localhost", "[::1]", "[", "]", "::", ":",
            ":0", ":1", ":65535", ":65536", ":99999", ":-1", ":+80", ":08026", ":9999999999999999999999", "@", "user:pw@",
            "/", "/v2", "?", "#", "%", "%00", "%2F", "rest.ecgrid.io", "-", ".", "..", " ", "\t", "\n", "é", "\u{202E}",
            "\u{0}", "\u{1B}[31m", "xn--", "a", "0x7f.1", "4294967296", "[::ffff:127.0.0.1]", "[fe80::1%25lo]",
        ]
        var accepted = 0
        for _ in 0..<10_000 {
            let count = Int(random.next() % 7) + 1
            let text = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            guard let url = try? BaseURL(text) else { continue }
            accepted += 1
            if let port = url.port { #expect((1...65_535).contains(port), "\(text)") }
            #expect(!url.host.isEmpty, "\(text)")
            // The transport's own parser takes every accepted URL: nothing reaches NIO unchecked.
            #expect((try? HTTPClient.Request(url: url.url("/v2/users/me"))) != nil, "\(text)")
        }
        #expect(accepted > 0)
    }
}
