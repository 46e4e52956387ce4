import ECGridKit
import Foundation

/// The three forms of a report. Each ends with the SHA-256 of its own body, so the next hand
/// can tell it arrived as it was made: in Markdown and HTML the last line gives the hash of
/// every byte before it; in JSON `bodySha256` is the hash of `body` as `jq -jcS .body` prints it
/// (compact, keys sorted).
package enum ReportFormat: String, Sendable, CaseIterable {
    case md, json, html

    /// The report in this form, whole.
    package func render(_ report: IncidentReport) -> [UInt8] {
        switch self {
        case .md: Self.sealed(Array(MarkdownReport.render(report).utf8)) { "Report body SHA-256: `\($0)` (of every byte above this line)\n" }
        case .html:
            Self.sealed(Array(HTMLReport.render(report).utf8)) {
                "<p class=\"seal\">Report body SHA-256: <code>\($0)</code> (of every byte above this line)</p>\n</body>\n</html>\n"
            }
        case .json: JSONReport.render(report)
        }
    }

    /// `body` followed by the line `seal` makes of its hash.
    static func sealed(_ body: [UInt8], _ seal: (String) -> String) -> [UInt8] {
        body + Array(seal(IncidentReport.sha256(body)).utf8)
    }
}

/// The JSON form: `{"schema", "body", "bodySha256"}`, keys sorted, unsafe characters escaped.
enum JSONReport {
    struct Sealed: Encodable {
        var schema: String
        var body: IncidentReport
        var bodySha256: String
    }

    static func render(_ report: IncidentReport) -> [UInt8] {
        let compact = JSONEncoder()
        compact.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let body = (try? compact.encode(report)).map { Array($0) } ?? []
        let sealed = Sealed(schema: IncidentReport.schema, body: report, bodySha256: IncidentReport.sha256(body))
        var out = TerminalText.escapingUnsafe(json: (try? pretty.encode(sealed)).map { Array($0) } ?? [])
        out.append(10)
        return out
    }
}

/// The Markdown form: headings, lists and pipe tables that paste cleanly into a ticket.
enum MarkdownReport {
    static func render(_ report: IncidentReport) -> String {
        let header = report.header
        var out = "# Incident report" + (header.incident.map { ": \(cell($0))" } ?? ": every recorded action") + "\n\n"
        out += "| | |\n|---|---|\n"
        out += "| Incident (reason or ticket) | \(header.incident.map(cell) ?? "(all)") |\n"
        out += "| Time range, UTC | \(range(header.from, header.until)) |\n"
        out += "| Time range, \(cell(header.timeZone)) | \(range(header.fromLocal, header.untilLocal)) |\n"
        out += "| Made | \(header.madeAt) by \(cell(header.tool)) (commit \(cell(header.commit))) |\n"
        out += "| From | " + header.files.map { "`\(code($0))`" }.joined(separator: ", ") + " |\n"
        if let against = header.against { out += "| Compared with | `\(code(against))` |\n" }
        if !header.filters.isEmpty { out += "| Filters | \(cell(header.filters.joined(separator: ", "))) |\n" }
        out += "\n## Open items (\(report.openItems.count))\n\n"
        if report.openItems.isEmpty {
            out += "None: every action has its outcome, every containment finished, no session was seen again.\n"
        }
        for (index, item) in report.openItems.enumerated() {
            out += "\(index + 1). **\(title(item.kind))**, \(item.time), user \(item.userId.map(String.init) ?? "?")"
                + (item.login.map { " (\(inline($0)))" } ?? "") + ": \(inline(item.what)).  \n   To check: \(inline(item.check)).\n"
        }
        out += "\n## What was done, per user (\(report.users.count))\n\n"
        out += "| User | Done | Not done | The server's last word |\n|---:|---|---|---|\n"
        for user in report.users {
            out += "| \(user.userId) \(user.login.map(cell) ?? "") | \(cell(user.done.joined(separator: ", "))) | "
                + "\(cell(user.notDone.joined(separator: ", "))) | \(cell(user.lastWord)) |\n"
        }
        out += "\n## Timeline (\(report.timeline.count) records, oldest first)\n\n"
        out += "| Time (UTC) | Record | Action | Step | User | Outcome | HTTP | Code | Message | Latency | Operator | API user | "
            + "Profile | Server | Reason |\n|---|---|---|---|---|---|---:|---|---|---:|---|---|---|---|---|\n"
        for item in report.timeline {
            let user = item.userId.map { "\($0)" + (item.login.map { " \(cell($0))" } ?? "") } ?? ""
            let who = "\(cell(item.localUser))@\(cell(item.host))" + (item.sshClient.map { " from \(cell($0))" } ?? "")
            let action = cell(item.action) + (item.key.map { " (\($0))" } ?? "")
            let message = [item.message, item.note].compactMap { $0 }.map(cell).joined(separator: "; ")
            out += "| \(item.time) | \(item.record) | \(action) | \(item.step.map(cell) ?? "") | \(user) | \(cell(item.outcome)) | "
                + "\(item.httpStatus.map(String.init) ?? "") | \(item.errorCode.map(cell) ?? "") | \(message) | "
                + "\(item.latencyMs.map { "\($0) ms" } ?? "") | \(who) | \(item.apiUser.map(cell) ?? "") | \(item.profile.map(cell) ?? "") | "
                + "\(cell(item.server)) | \(item.reason.map(cell) ?? "") |\n"
        }
        out += "\n## Integrity\n\n"
        for file in report.integrity {
            out += "- `\(code(file.path))`: chain **\(file.chain)**, \(file.records) records, \(file.bytes) bytes, SHA-256 `\(file.sha256)`; "
                + "tip: \(file.tip.map(inline) ?? "none").\n"
            if let first = file.firstBreak { out += "  - First break: \(inline(first)).\n" }
            for finding in file.findings { out += "  - \(inline(finding))\n" }
            if let against = file.against {
                out += "  - Compared with `\(code(against.path))` (SHA-256 `\(against.sha256)`): \(against.copyRecords) records in the copy, "
                    + "\(against.matching) matching; \(AgainstWords.verdict(against, bold: "**")).\n"
                for finding in against.findings { out += "    - \(inline(finding))\n" }
            }
        }
        out += "\nNo password, API key string or token is in this report: the history never records one.\n\n---\n\n"
        return out
    }

    static func title(_ kind: IncidentReport.OpenItem.Kind) -> String {
        switch kind {
        case .outcomeUnknown: "OUTCOME UNKNOWN"
        case .outcomeMissing: "OUTCOME MISSING (history cut)"
        case .inFlight: "IN FLIGHT"
        case .unfinishedContainment: "CONTAINMENT NOT FINISHED"
        case .sessionsSeenAgain: "SESSIONS SEEN AGAIN"
        }
    }

    static func range(_ from: String?, _ until: String?) -> String {
        guard let from, let until else { return "no record" }
        return from == until ? from : "\(from) to \(until)"
    }

    /// Text in a table cell: one line, no character that would end the cell or start markup.
    static func cell(_ text: String) -> String { inline(text) }

    /// Text in running Markdown: one line, markup characters escaped.
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\n", "\r": out.append(" ")
            case "\\", "*", "_", "`", "[", "]", "#", "|": out.append("\\"); out.append(character)
            case "<": out.append("&lt;")
            case ">": out.append("&gt;")
            default: out.append(character)
            }
        }
        return out
    }

    /// Text inside backticks: a backtick would end it.
    static func code(_ text: String) -> String { text.replacingOccurrences(of: "`", with: "'") }
}

/// The HTML form: one self-contained file (inline CSS, no script, nothing fetched) that prints
/// well on A4 and Letter.
enum HTMLReport {
    static let style = """
        @page { size: auto; margin: 14mm 12mm; }
        body { font: 10pt/1.35 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
        h1 { font-size: 16pt; margin: 0 0 6pt; } h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; }
        table { border-collapse: collapse; width: 100%; margin: 4pt 0; table-layout: auto; }
        th, td { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; text-align: left; overflow-wrap: break-word; }
        th { background: #eee; } tr { page-break-inside: avoid; }
        table.timeline { font-size: 8pt; } .open li { margin-bottom: 3pt; } .flag { font-weight: bold; }
        code { font: 8.5pt "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
        .seal { margin-top: 12pt; border-top: 1px solid #999; padding-top: 4pt; font-size: 8.5pt; }
        """

    static func render(_ report: IncidentReport) -> String {
        let header = report.header
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<title>Incident report \(escape(header.incident ?? "(all)"))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
        out += "<h1>Incident report: \(escape(header.incident ?? "every recorded action"))</h1>\n<table class=\"header\">\n"
        let rows: [(String, String)] = [
            ("Incident (reason or ticket)", escape(header.incident ?? "(all)")),
            ("Time range, UTC", escape(MarkdownReport.range(header.from, header.until))),
            ("Time range, \(escape(header.timeZone))", escape(MarkdownReport.range(header.fromLocal, header.untilLocal))),
            ("Made", "\(escape(header.madeAt)) by \(escape(header.tool)) (commit \(escape(header.commit)))"),
            ("From", header.files.map { "<code>\(escape($0))</code>" }.joined(separator: ", ")),
        ] + (header.against.map { [("Compared with", "<code>\(escape($0))</code>")] } ?? [])
            + (header.filters.isEmpty ? [] : [("Filters", escape(header.filters.joined(separator: ", ")))])
        for (name, value) in rows { out += "<tr><th>\(name)</th><td>\(value)</td></tr>\n" }
        out += "</table>\n<h2>Open items (\(report.openItems.count))</h2>\n"
        if report.openItems.isEmpty {
            out += "<p>None: every action has its outcome, every containment finished, no session was seen again.</p>\n"
        } else {
            out += "<ol class=\"open\">\n"
            for item in report.openItems {
                out += "<li><span class=\"flag\">\(MarkdownReport.title(item.kind))</span>, \(escape(item.time)), user "
                    + "\(item.userId.map(String.init) ?? "?")\(item.login.map { " (\(escape($0)))" } ?? ""): \(escape(item.what)).<br>"
                    + "To check: \(escape(item.check)).</li>\n"
            }
            out += "</ol>\n"
        }
        out += "<h2>What was done, per user (\(report.users.count))</h2>\n<table>\n<tr><th>User</th><th>Done</th><th>Not done</th>"
            + "<th>The server's last word</th></tr>\n"
        for user in report.users {
            out += "<tr><td>\(user.userId) \(escape(user.login ?? ""))</td><td>\(escape(user.done.joined(separator: ", ")))</td>"
                + "<td>\(escape(user.notDone.joined(separator: ", ")))</td><td>\(escape(user.lastWord))</td></tr>\n"
        }
        out += "</table>\n<h2>Timeline (\(report.timeline.count) records, oldest first)</h2>\n<table class=\"timeline\">\n<tr>"
        for name in ["Time (UTC)", "What", "User", "Outcome", "The server said", "Who, from where", "Reason"] { out += "<th>\(name)</th>" }
        out += "</tr>\n"
        for item in report.timeline {
            // Seven columns, so the table reads on a portrait page: related fields share a cell.
            let what: String = item.action + (item.step.map { " (step \($0))" } ?? "") + (item.key.map { ", \($0)" } ?? "")
                + (item.record == "observation" ? " (observation)" : "")
            let user: String = item.userId.map { id in "\(id)" + (item.login.map { " \($0)" } ?? "") } ?? ""
            var outcome: String = item.outcome
            if let status = item.httpStatus { outcome += ", HTTP \(status)" }
            if let code = item.errorCode { outcome += " \(code)" }
            if let latency = item.latencyMs { outcome += ", \(latency) ms" }
            let said: String = [item.message, item.note].compactMap { $0 }.joined(separator: "; ")
            var who: String = "\(item.localUser)@\(item.host)" + (item.sshClient.map { " from \($0)" } ?? "")
            if let api = item.apiUser { who += "; API user \(api)" }
            if let profile = item.profile { who += "; profile \(profile)" }
            who += "; \(item.server)"
            let cells: [String] = [item.time.replacingOccurrences(of: "T", with: " "), what, user, outcome, said, who, item.reason ?? ""]
            out += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        out += "</table>\n<h2>Integrity</h2>\n<ul>\n"
        for file in report.integrity {
            out += "<li><code>\(escape(file.path))</code>: chain <b>\(escape(file.chain))</b>, \(file.records) records, \(file.bytes) bytes, "
                + "SHA-256 <code>\(file.sha256)</code>; tip: \(escape(file.tip ?? "none"))."
            var details = file.firstBreak.map { ["First break: \(escape($0))."] } ?? []
            details += file.findings.map(escape)
            if let against = file.against {
                details.append("Compared with <code>\(escape(against.path))</code> (SHA-256 <code>\(against.sha256)</code>): "
                    + "\(against.copyRecords) records in the copy, \(against.matching) matching; "
                    + AgainstWords.verdict(against, bold: "") + "."
                    + against.findings.map { "<br>\(escape($0))" }.joined())
            }
            if !details.isEmpty { out += "<ul>" + details.map { "<li>\($0)</li>" }.joined() + "</ul>" }
            out += "</li>\n"
        }
        out += "</ul>\n<p>No password, API key string or token is in this report: the history never records one.</p>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// What a comparison with a collected copy says, in words.
enum AgainstWords {
    static func verdict(_ against: IncidentReport.AgainstCopy, bold: String) -> String {
        if against.agrees { return "the copy agrees" }
        if against.tampering { return "\(bold)the copy DISAGREES: the file was changed after its records were copied\(bold)" }
        return "\(bold)the copy differs\(bold): records are missing from it or out of order (the log pipeline may have lost them)"
    }
}
