@testable import ECGridCommands
import ECGridKit
import Testing

@Suite("The progress line: given events, the exact bytes")
struct ProgressLineTests {
    let erase: [UInt8] = [13, 27, 91, 50, 75]  // \r ESC [ 2 K

    @Test("a paged load: count, pages, rate, elapsed; each frame starts with \\r and erase-line")
    func pagedLoad() {
        var line = ProgressLine(label: "Loading users", pages: 0)
        #expect(line.frame(elapsed: .zero) == erase + Array("Loading users: 0 · 0 pages · 0:00".utf8))
        line.done = 12_000
        line.pages = 120
        #expect(line.frame(elapsed: .seconds(3)) == erase + Array("Loading users: 12,000 · 120 pages · 4,000/s · 0:03".utf8))
        #expect(line.text(elapsed: .seconds(3725)) == "Loading users: 12,000 · 120 pages · 3.2/s · 1:02:05")
        #expect(ProgressLine.erase == erase)
    }

    @Test("a bulk action: done/total and a rate with one decimal")
    func bulk() {
        var line = ProgressLine(label: "Resetting sessions", total: 200)
        line.done = 3
        #expect(line.text(elapsed: .seconds(2)) == "Resetting sessions: 3/200 · 1.5/s · 0:02")
        // No rate before half a second: it would be noise.
        #expect(line.text(elapsed: .milliseconds(300)) == "Resetting sessions: 3/200 · 0:00")
    }

    @Test("retries on 429: counted, and the wait counts down until it is over")
    func retries() {
        var line = ProgressLine(label: "Loading users", pages: 1)
        line.done = 100
        line.retry(RetryEvent(request: "POST /v2/users/list", attempt: 1, reason: "HTTP 429 RateLimitExceeded", delay: .seconds(2)),
                   at: .seconds(1))
        #expect(line.text(elapsed: .milliseconds(1500))
            == "Loading users: 100 · 1 page · waiting 1.5 s on HTTP 429 (1 retry) · 67/s · 0:01")
        line.retry(RetryEvent(request: "POST /v2/users/list", attempt: 2, reason: "HTTP 429 RateLimitExceeded", delay: .seconds(1)),
                   at: .seconds(2))
        #expect(line.text(elapsed: .seconds(4)) == "Loading users: 100 · 1 page · 2 retries · 25/s · 0:04")
    }

    @Test("cut to the terminal's width less one column, so it never wraps; ASCII when the locale is not UTF-8")
    func width() {
        var line = ProgressLine(label: "Loading users", pages: 7, width: 20)
        line.done = 700
        #expect(line.frame(elapsed: .seconds(1)) == erase + Array("Loading users: 700…".utf8))
        var ascii = ProgressLine(label: "Loading users", pages: 7, width: 80, ascii: true)
        ascii.done = 700
        #expect(ascii.text(elapsed: .seconds(1)) == "Loading users: 700 - 7 pages - 700/s - 0:01")
    }

    @Test("a reason from the server cannot put escape sequences on the terminal")
    func hostileReason() {
        var line = ProgressLine(label: "Loading users")
        line.retry(RetryEvent(request: "POST /v2/users/list", attempt: 1, reason: "\u{1B}[2J\u{1B}]52;c;AA\u{07} HTTP", delay: .seconds(5)),
                   at: .zero)
        let frame = line.frame(elapsed: .seconds(1))
        #expect(Array(frame.prefix(5)) == erase)
        #expect(!frame.dropFirst(5).contains { $0 < 0x20 || $0 == 0x7F })
    }
}
