import ECGridKit
import Foundation
import Testing

@Suite("Sanitising untrusted text")
struct TerminalTextTests {
    @Test("escape sequences become visible caret notation; no ESC byte survives")
    func escapes() {
        let hostile = "\u{1B}[31mRED\u{1B}[0m\u{1B}]0;title\u{07}"
        let safe = TerminalText.sanitize(hostile)
        #expect(safe == "^[[31mRED^[[0m^[]0;title^G")
        #expect(!safe.utf8.contains(0x1B))
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("C1 controls, bidi overrides and zero-width characters are shown as code points")
    func invisibles() {
        #expect(TerminalText.sanitize("a\u{9B}b") == "a<U+009B>b")
        #expect(TerminalText.sanitize("Invoice\u{202E}fdp.exe") == "Invoice<U+202E>fdp.exe")
        #expect(TerminalText.sanitize("Zero\u{200B}Width") == "Zero<U+200B>Width")
        #expect(TerminalText.sanitize("x\u{2066}y\u{2069}") == "x<U+2066>y<U+2069>")
        #expect(TerminalText.sanitize("line\u{2028}break") == "line<U+2028>break")
    }

    @Test("ordinary accents, CJK and emoji pass unchanged")
    func ordinary() {
        for text in ["Zoë Dubois", "王伟", "Jo\u{0301}hn", "Ana 🚀", "Café Olé 🍩"] {
            #expect(TerminalText.sanitize(text) == text)
        }
    }

    @Test("widths: wide characters take two columns, combining marks none")
    func widths() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("王伟") == 4)
        #expect(TerminalText.width("🚀") == 2)
        #expect(TerminalText.width("Jo\u{0301}hn") == 4)
        #expect(TerminalText.width("김지훈") == 6)
    }

    @Test("fit pads and cuts to exact columns without splitting a wide character")
    func fit() {
        #expect(TerminalText.fit("abc", to: 5) == "abc  ")
        #expect(TerminalText.fit("abcdef", to: 4) == "abc…")
        #expect(TerminalText.fit("王伟王伟", to: 5) == "王伟…")
        // Four columns leave three for text: a second wide character would not fit whole.
        let cut = TerminalText.fit("王伟王伟", to: 4)
        #expect(TerminalText.width(cut) == 4)
        #expect(cut == "王… ")
        #expect(TerminalText.fit("7", to: 3, alignRight: true) == "  7")
        #expect(TerminalText.fit("\u{1B}[2J", to: 6) == "^[[2J ")
    }

    @Test("ASCII mode keeps widths and drops every non-ASCII byte")
    func ascii() {
        let text = TerminalText.sanitizeASCII("Zoë 王 \u{202E}")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text == "Zo? ?? <U+202E>")
        #expect(TerminalText.fit("abcdef", to: 4, ascii: true) == "abc~")
    }
}

@Suite("Base URL rules")
struct BaseURLTests {
    @Test("https anywhere; http only to loopback", arguments: [
        ("https://rest.ecgrid.io", true), ("http://127.0.0.1:8026", true), ("http://localhost:1", true),
        ("http://[::1]:9000/", true), ("http://127.8.9.10", true), ("http://rest.ecgrid.io", false),
        ("http://10.0.0.5:80", false), ("http://127.0.0.1.example.com", false),
    ])
    func loopbackOnly(text: String, allowed: Bool) {
        #expect(((try? BaseURL(text)) != nil) == allowed)
    }

    @Test("user information, queries, other schemes and junk are refused")
    func refused() {
        for text in ["https://user:pw@rest.ecgrid.io", "https://x.io/?a=1", "ftp://x.io", "rest.ecgrid.io", "", "https://"] {
            #expect(throws: ECGridError.self) { try BaseURL(text) }
        }
    }

    @Test("plain http to another host names the reason")
    func insecureKind() {
        do {
            _ = try BaseURL("http://rest.ecgrid.io")
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .insecureURL)
        }
    }

    @Test("paths join without doubled slashes")
    func joining() throws {
        #expect(try BaseURL("https://h.io/api/").url("/v2/users/me") == "https://h.io/api/v2/users/me")
        #expect(try BaseURL("http://[::1]:9000").url("/v2/x") == "http://[::1]:9000/v2/x")
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(jitter: false)

    func error(_ kind: ECGridError.Kind, _ status: Int? = nil, _ code: String? = nil) -> ECGridError {
        ECGridError(kind, httpStatus: status, errorCode: code)
    }

    @Test("429 honours Retry-After, capped, for reads and state changes alike")
    func rateLimit() {
        let limited = error(.api, 429, "RateLimitExceeded")
        #expect(policy.delay(after: limited, attempt: 1, stateChanging: true, retryAfter: .seconds(2)) == .seconds(2))
        #expect(policy.delay(after: limited, attempt: 1, stateChanging: false, retryAfter: .seconds(999)) == .seconds(30))
        #expect(policy.delay(after: limited, attempt: 10, stateChanging: false, retryAfter: .seconds(1)) == nil)
    }

    @Test("500 and 503 back off exponentially for reads, at most 3 tries, never for state changes")
    func serverErrors() {
        let failed = error(.api, 503, "InternalError")
        #expect(policy.delay(after: failed, attempt: 1, stateChanging: false, retryAfter: nil) == .milliseconds(200))
        #expect(policy.delay(after: failed, attempt: 2, stateChanging: false, retryAfter: nil) == .milliseconds(400))
        #expect(policy.delay(after: failed, attempt: 3, stateChanging: false, retryAfter: nil) == nil)
        #expect(policy.delay(after: error(.api, 500), attempt: 1, stateChanging: true, retryAfter: nil) == nil)
    }

    @Test("other 4xx are never retried")
    func clientErrors() {
        for (status, code) in [(400, "InvalidParameter"), (401, "InvalidAPIKey"), (403, "AccessDenied"), (404, "ObjectNotFound")] {
            #expect(policy.delay(after: error(.api, status, code), attempt: 1, stateChanging: false, retryAfter: nil) == nil)
        }
    }

    @Test("connection refused is retried even for state changes; a dropped connection only for reads")
    func connections() {
        #expect(policy.delay(after: error(.connectionRefused), attempt: 1, stateChanging: true, retryAfter: nil) != nil)
        #expect(policy.delay(after: error(.connectionDropped), attempt: 1, stateChanging: true, retryAfter: nil) == nil)
        #expect(policy.delay(after: error(.connectionDropped), attempt: 1, stateChanging: false, retryAfter: nil) != nil)
        #expect(policy.delay(after: error(.timeout), attempt: 1, stateChanging: true, retryAfter: nil) == nil)
        #expect(policy.delay(after: error(.malformedBody, 200), attempt: 1, stateChanging: false, retryAfter: nil) == nil)
    }
}

@Suite("JSON made safe for a terminal")
struct JSONEscapingTests {
    @Test("bidi and C1 controls and DEL become \\u escapes that decode back; plain text and other scripts stay as they are")
    func escapes() throws {
        let text = "{\"n\":\"Invoice\u{202E}fdp.exe \u{9B}31m \u{7F} 北京 Café\"}"
        let escaped = String(decoding: TerminalText.escapingUnsafe(json: Array(text.utf8)), as: UTF8.self)
        #expect(escaped.contains("\\u202e") && escaped.contains("\\u009b") && escaped.contains("\\u007f"))
        #expect(escaped.contains("北京 Café"))
        #expect(!escaped.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x9B || $0.value == 0x7F })
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(escaped.utf8))
        #expect(decoded["n"] == "Invoice\u{202E}fdp.exe \u{9B}31m \u{7F} 北京 Café")
    }

    @Test("the locale is UTF-8 by LC_ALL, else LC_CTYPE, else LANG, empty values skipped, UTF-8 or utf8 in any case", arguments: [
        ([:], false),
        (["LANG": "C.UTF-8"], true),
        (["LANG": "en_US.utf8"], true),
        (["LANG": "de_DE.Utf-8@euro"], true),
        (["LANG": "C"], false),
        (["LANG": "ja_JP.eucJP"], false),
        (["LC_ALL": "C", "LANG": "C.UTF-8"], false),
        (["LC_ALL": "C.UTF-8", "LC_CTYPE": "C", "LANG": "C"], true),
        (["LC_CTYPE": "POSIX", "LANG": "C.UTF-8"], false),
        (["LC_CTYPE": "en_GB.UTF-8", "LANG": "C"], true),
        (["LC_ALL": "", "LC_CTYPE": "C.UTF-8", "LANG": "C"], true),
        (["LC_ALL": "", "LC_CTYPE": "", "LANG": "C.UTF-8"], true),
        (["LC_ALL": "", "LC_CTYPE": "", "LANG": ""], false),
        (["LC_MESSAGES": "C.UTF-8"], false),
    ] as [([String: String], Bool)])
    func localeIsUTF8(environment: [String: String], utf8: Bool) {
        #expect(TerminalText.localeIsUTF8(environment) == utf8)
    }
}
