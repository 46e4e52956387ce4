import ECGridSandbox
import Foundation
import Testing

@testable import ECGridKit
import ECGridTransport

/// The hand-written fast paths against the libraries they replace: the one-pass user-page
/// parser against `JSONDecoder`, `ECGridDate` against Foundation's ISO 8601 parsing. The fast
/// path may decline (the client then falls back), but where it answers, it answers the same.
@Suite("Differential: fast paths agree with the libraries they replace")
struct FastPathDifferentialTests {
    /// The library's answer for a page body, as the client would read it without the fast path.
    static func slow(_ bytes: [UInt8]) -> (users: [User], message: String?)? {
        guard let envelope = try? JSONDecoder().decode(Envelope<[User]>.self, from: Data(bytes)), envelope.success,
            let users = envelope.data
        else { return nil }
        return (users, envelope.message.flatMap { $0.isEmpty ? nil : $0 })
    }

    static func compare(_ body: [UInt8], _ problems: inout [String], answered: inout Int) {
        guard let fast = UserPageParser.parse(body) else { return }
        answered += 1
        guard let slow = slow(body) else {
            problems.append("fast path read \(fast.users.count) user(s) where JSONDecoder reads none: \(String(decoding: body.prefix(200), as: UTF8.self))")
            return
        }
        if fast.users != slow.users || fast.message != slow.message {
            let first = zip(fast.users, slow.users).first { $0 != $1 }
            problems.append("different answer: \(String(describing: first)) message \(fast.message ?? "-") vs \(slow.message ?? "-")")
        }
    }

    @Test("real pages from the sandbox (every kind of seeded user, hostile names included) read the same both ways")
    func realPages() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(userCount: 2_000, tls: false))
        let transport = AsyncHTTPTransport()
        var problems: [String] = []
        var answered = 0
        for page in 1...20 {
            let body = Array(#"{"pageNo": \#(page), "recordsPerPage": 100}"#.utf8)
            let request = TransportRequest(
                method: "POST", url: server.baseURL + "/v2/users/list",
                headers: [("X-API-Key", await server.operatorKey()), ("Content-Type", "application/json")],
                body: body, timeout: .seconds(20), maxBodyBytes: 1 << 24)
            let response = try await transport.send(request)
            Self.compare(response.body, &problems, answered: &answered)
        }
        await transport.shutdown()
        await server.stop()
        #expect(answered == 20, "the fast path declined real pages")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test("20,000 mutated page bodies: the fast path declines or agrees with JSONDecoder, never differs")
    func mutatedPages() {
        var random = SeededRandom(seed: 20_261_125)
        let seeds = [
            #"{"success": true, "data": [{"userId": 40011, "login": "ann", "email": "a@x.example", "firstName": "Ann", "lastName": "Lee", "networkId": 10, "mailboxId": 0, "authLevel": "NetworkUser", "status": "Active", "created": "2024-03-15T10:22:00.1234567Z", "openSessions": 2, "lockoutStatus": false, "timeOut": 900, "company": "X", "phone": "1", "lastLogin": "2024-03-16T10:22:00Z", "modified": "2024-03-16T10:22:00+02:00"}], "errorCode": "", "message": "ok"}"#,
            #"{"data": [{"loginName": "bob", "userId": 7, "extra": {"a": [1, {"b": null}]}}, {"userId": 8, "login": "\u00e9\u202e\u001b[31m", "authLevel": "Bogus", "status": "Weird"}], "success": true}"#,
            #"{"success": true, "data": []}"#,
        ]
        let fragments = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "\\ud800", "\\u0041", "null", "true", "false", "-1", "1.5", "1e3",
            "99999999999999999999", "\"userId\"", "\"login\"", "\"loginName\"", "\"data\"", "\"success\"", "\"created\"",
            "\"2024-02-30T10:00:00Z\"", " ", "\n", "\"openSessions\"", "\"lockoutStatus\"", "\"timeOut\"", "\"message\"",
        ]
        var problems: [String] = []
        var answered = 0
        for _ in 0..<20_000 {
            var body = Array(seeds[Int(random.next() % UInt64(seeds.count))].utf8)
            for _ in 0..<Int(random.next() % 4) + 1 {
                let position = Int(random.next() % UInt64(body.count + 1))
                switch random.next() % 3 {
                case 0:
                    body.insert(contentsOf: Array(fragments[Int(random.next() % UInt64(fragments.count))].utf8), at: position)
                case 1:
                    if position < body.count { body.remove(at: position) }
                default:
                    let end = min(body.count, position + Int(random.next() % 12))
                    if position < end {
                        body.replaceSubrange(position..<end, with: Array(fragments[Int(random.next() % UInt64(fragments.count))].utf8))
                    }
                }
            }
            Self.compare(body, &problems, answered: &answered)
        }
        #expect(answered > 1_000, "the fast path answered only \(answered) of 20,000")
        #expect(problems.isEmpty, "\(problems.count) differences, first: \(problems.prefix(3))")
    }

    @Test("20,000 date-times: where Foundation's ISO 8601 parser and ECGridDate both read one, they read the same instant")
    func dates() {
        var random = SeededRandom(seed: 7)
        let iso = Date.ISO8601FormatStyle()
        let isoFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var both = 0
        var problems: [String] = []
        func two(_ value: UInt64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        for _ in 0..<20_000 {
            let year = 1900 + random.next() % 300
            var text = "\(year)-\(two(random.next() % 14))-\(two(random.next() % 33))T\(two(random.next() % 25)):\(two(random.next() % 61)):\(two(random.next() % 61))"
            let digits = Int(random.next() % 9)
            if digits > 0 { text += "." + (0..<digits).map { _ in String(random.next() % 10) }.joined() }
            switch random.next() % 4 {
            case 0: text += "Z"
            case 1: text += "+\(two(random.next() % 15)):\(two(random.next() % 60))"
            case 2: text += "-\(two(random.next() % 15)):\(two(random.next() % 60))"
            default: text += "Z"
            }
            let ours = ECGridDate.parse(text)
            let theirs = (try? Date(text, strategy: isoFraction)) ?? (try? Date(text, strategy: iso))
            guard let theirs else {
                if let ours, Self.calendarInvalid(text) { problems.append("ECGridDate accepts an impossible date \(text) as \(ours)") }
                continue
            }
            guard let ours else { continue }
            both += 1
            if abs(ours.timeIntervalSince(theirs)) > 0.001 { problems.append("\(text): ours \(ours), Foundation \(theirs)") }
        }
        #expect(both > 1_000, "only \(both) dates read by both")
        #expect(problems.isEmpty, "\(problems.count) differences, first: \(problems.prefix(3))")
    }

    @Test("days that do not exist are refused, not rolled into the next month", arguments: [
        "2023-02-29T00:00:00Z", "2024-02-30T10:00:00Z", "2024-04-31T10:00:00Z", "2100-02-29T00:00:00Z",
    ])
    func impossibleDays(text: String) {
        #expect(ECGridDate.parse(text) == nil)
        #expect(ECGridDate.parse("2024-02-29T00:00:00Z") != nil)
    }

    /// True when the day does not exist in that month (February 30th, April 31st, …).
    static func calendarInvalid(_ text: String) -> Bool {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        let (year, month, day) = (parts[0], parts[1], parts[2])
        guard (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day > days
    }
}
