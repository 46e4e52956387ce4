import ECGridKit

/// The one updating line that long commands draw on standard error when it is a terminal
/// (`users list`, `reset` of many IDs): pure, so the exact bytes can be tested.
///
/// Each frame is `\r`, erase-line (`ESC [ 2K`) and the text, cut to the terminal's width so it
/// never wraps; `erase` leaves the line empty with the cursor at its start.
package struct ProgressLine: Sendable {
    /// What is being done, for example `Loading users`.
    package var label: String
    /// Records or actions done.
    package var done = 0
    /// How many there are, when known.
    package var total: Int?
    /// Pages received, for paged loads.
    package var pages: Int?
    /// Requests sent again so far.
    package var retries = 0
    /// The last retry's reason (`HTTP 429 RateLimitExceeded`) and when, in elapsed time, its wait ends.
    package var waiting: (reason: String, until: Duration)?
    /// Columns of the terminal.
    package var width: Int
    /// ASCII only (a locale that is not UTF-8): ` - ` between the parts.
    package var ascii = false

    package init(label: String, total: Int? = nil, pages: Int? = nil, width: Int = 80, ascii: Bool = false) {
        self.ascii = ascii
        self.label = label
        self.total = total
        self.pages = pages
        self.width = width
    }

    /// Counts a retry announced at `elapsed`.
    package mutating func retry(_ event: RetryEvent, at elapsed: Duration) {
        retries += 1
        waiting = (event.reason, elapsed + event.delay)
    }

    /// Carriage return and erase-line: what ends the line.
    package static let erase: [UInt8] = Array("\r\u{1B}[2K".utf8)

    /// The text at `elapsed` since the work began, for example
    /// `Loading users: 12,000 · 120 pages · waiting 1.0 s on HTTP 429 (3 retries) · 4,100/s · 0:02`.
    package func text(elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var parts = [total.map { "\(Self.grouped(done))/\(Self.grouped($0))" } ?? Self.grouped(done)]
        if let pages { parts.append("\(Self.grouped(pages)) page\(pages == 1 ? "" : "s")") }
        if retries > 0 {
            let count = "\(retries) retr\(retries == 1 ? "y" : "ies")"
            if let waiting, waiting.until > elapsed {
                // First after the counts: on a narrow terminal the wait is what matters.
                let left = waiting.until - elapsed
                let leftSeconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
                parts.append("waiting \(Self.oneDecimal(leftSeconds)) s on \(Self.short(waiting.reason)) (\(count))")
            } else {
                parts.append(count)
            }
        }
        if seconds >= 0.5, done > 0 {
            let rate = Double(done) / seconds
            parts.append(rate >= 10 ? "\(Self.grouped(Int(rate.rounded())))/s" : "\(Self.oneDecimal(rate))/s")
        }
        let whole = Int(seconds)
        parts.append(whole >= 3600
            ? "\(whole / 3600):\(Self.twoDigits(whole / 60 % 60)):\(Self.twoDigits(whole % 60))"
            : "\(whole / 60):\(Self.twoDigits(whole % 60))")
        return "\(label): " + parts.joined(separator: ascii ? " - " : " · ")
    }

    /// The bytes of one frame: `\r`, erase-line, the text cut to `width - 1` columns (the last
    /// column is left free so no terminal wraps).
    package func frame(elapsed: Duration) -> [UInt8] {
        Self.erase + Array(TerminalText.truncate(text(elapsed: elapsed), to: max(1, width - 1), ascii: ascii).utf8)
    }

    /// A retry's reason as the line shows it: `HTTP 429` of `HTTP 429 RateLimitExceeded`,
    /// else the reason itself; sanitised (an errorCode comes from the server).
    static func short(_ reason: String) -> String {
        let words = reason.split(separator: " ")
        if words.count >= 2, words[0] == "HTTP" { return "HTTP \(TerminalText.sanitizeASCII(String(words[1])))" }
        return TerminalText.sanitizeASCII(reason)
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
