import ECGridKit
import Foundation
import IncidentLog
@testable import IncidentReport
import Testing

/// The incident report from a fixed history: golden Markdown and JSON (byte for byte, but for
/// the fixture's temporary directory), the HTML's structure, and what each part must prove.
@Suite("The incident report from a fixed history")
struct IncidentReportTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// `bytes` as text with the fixture's directory and the seal's hash made constant.
    func normalised(_ bytes: [UInt8], _ fixture: ReportFixture) -> String {
        var text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: fixture.directory, with: "<fixture>")
        text = text.replacingOccurrences(of: #"Report body SHA-256: `[0-9a-f]{64}`"#, with: "Report body SHA-256: `<seal>`",
                                         options: .regularExpression)
        text = text.replacingOccurrences(of: #""bodySha256" : "[0-9a-f]{64}""#, with: #""bodySha256" : "<seal>""#,
                                         options: .regularExpression)
        return text
    }

    /// Compares with the golden file (`ECGRID_UPDATE_GOLDEN=1` writes it anew, to be read and committed).
    func expectGolden(_ text: String, _ name: String) throws {
        let url = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ECGRID_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its golden file (ECGRID_UPDATE_GOLDEN=1 writes it anew)")
    }

    @Test("Markdown and JSON are exactly the golden ones: open items first, users, timeline, integrity")
    func golden() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let report = fixture.report()
        try expectGolden(normalised(ReportFormat.md.render(report), fixture), "incident.md")
        try expectGolden(normalised(ReportFormat.json.render(report), fixture), "incident.json")
        // The same inputs give the same bytes.
        #expect(ReportFormat.md.render(report) == ReportFormat.md.render(fixture.report()))
        #expect(ReportFormat.json.render(report) == ReportFormat.json.render(fixture.report()))
    }

    @Test("open items: the lost rotation, the unfinished containment and the sessions seen again, each with what to check; the other incident left out")
    func openItems() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let report = fixture.report()
        #expect(report.openItems.map(\.kind) == [.outcomeUnknown, .outcomeUnknown, .unfinishedContainment, .sessionsSeenAgain])
        let rotation = try #require(report.openItems.first { $0.userId == 40014 })
        #expect(rotation.check.contains("old key") && !rotation.check.lowercased().contains("try again"))
        #expect(report.openItems.first { $0.kind == .unfinishedContainment }?.check.contains("contain --resume") == true)
        #expect(!report.timeline.contains { $0.reason == "INC-9999" })
        #expect(report.users.map(\.userId) == [40011, 40012, 40013, 40014])
        #expect(report.users.first { $0.userId == 40013 }?.done == ["sessions reset", "1 API key deleted"])
        // Hostile server text reaches the report inert.
        let markdown = String(decoding: ReportFormat.md.render(report), as: UTF8.self)
        #expect(!markdown.contains("\u{1B}") && !markdown.contains("\u{07}"))
        #expect(markdown.contains(#"Key &lt;b&gt;deleted&lt;/b&gt; \| ok"#))
    }

    @Test("the seal: the last line is the SHA-256 of every byte before it; JSON's bodySha256 is the compact body's")
    func seal() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let report = fixture.report()
        for format in [ReportFormat.md, .html] {
            let text = String(decoding: format.render(report), as: UTF8.self)
            let marker = format == .md ? "Report body SHA-256: `" : "<p class=\"seal\">Report body SHA-256: <code>"
            let range = try #require(text.range(of: marker, options: .backwards))
            let body = Array(text[..<range.lowerBound].utf8)
            #expect(text[range.upperBound...].hasPrefix(IncidentReport.sha256(body)), "\(format)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report))) as? [String: Any]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(json?["bodySha256"] as? String == IncidentReport.sha256(Array(try encoder.encode(report))))
        #expect(json?["schema"] as? String == "ecgrid-console/incident-report/1")
    }

    @Test("HTML: one self-contained file, its sections in order, nothing fetched, no script")
    func html() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let html = String(decoding: ReportFormat.html.render(fixture.report()), as: UTF8.self)
        let sections = ["<h1>Incident report: INC-4711", "<h2>Open items (4)", "<h2>What was done, per user", "<h2>Timeline", "<h2>Integrity",
                        "class=\"seal\""]
        let positions = sections.compactMap { html.range(of: $0)?.lowerBound }
        #expect(positions.count == sections.count && positions == positions.sorted())
        for forbidden in ["<script", "src=", "href=", "<link", "@import", "url("] { #expect(!html.contains(forbidden), "\(forbidden)") }
        #expect(html.contains("@page") && html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(!html.contains("\u{1B}"))
    }

    @Test("integrity: each file's chain, tip and SHA-256; a broken chain named where it breaks; a collected copy that disagrees")
    func integrity() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let clean = fixture.report()
        #expect(clean.integrity.map(\.chain) == ["intact", "intact"])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixture.jump1)))
        #expect(clean.integrity[0].sha256 == IncidentReport.sha256(bytes))
        #expect(clean.integrity[0].tip?.hasPrefix("sequence 15,") == true)
        // A collected copy (rsyslog's traditional format) that lacks one record.
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        let copy = fixture.directory + "/collected.log"
        let kept = lines.enumerated().filter { $0.offset != 3 }.map { "Nov 30 09:00:00 jump1 ecgrid-console[77]: \($0.element)" }
        try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: copy))
        let compared = fixture.report(against: copy, paths: [fixture.jump1])
        #expect(compared.integrity[0].against?.agrees == false)
        #expect(compared.integrity[0].against?.copyRecords == lines.count - 1)
        // One byte changed in a record: the chain breaks there.
        var edited = String(decoding: bytes, as: UTF8.self)
        edited = edited.replacingOccurrences(of: "\"latencyMs\":120", with: "\"latencyMs\":121")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: fixture.jump1))
        let broken = fixture.report(paths: [fixture.jump1])
        #expect(broken.integrity[0].chain == "broken")
        #expect(broken.integrity[0].firstBreak != nil)
    }
}
