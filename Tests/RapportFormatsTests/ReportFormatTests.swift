import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import RapportCore
@testable import RapportFormats
@testable import RapportStore

/// The demo circle on a fixed Monday (2026-11-23 09:00 UTC) in UTC, with a quote that names people, an email and a phone.
actor DemoReports {
    static let now = Date(timeIntervalSince1970: 1_795_424_400)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-report-test-\(UUID().uuidString)")
    var opening: Task<(Store, AccountID), any Error>?

    /// Opens and fills the demo once, however many tests ask at the same time.
    func store() async throws -> (Store, AccountID) {
        if let opening { return try await opening.value }
        let dir = self.dir
        let task = Task { try await Self.make(in: dir) }
        opening = task
        return try await task.value
    }

    static func make(in dir: URL) async throws -> (Store, AccountID) {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await Store.open(.sqlite(path: dir.appendingPathComponent("demo.sqlite").path), now: { DemoReports.now })
        let account = try await store.localAccount()
        _ = try await store.settings.set("timezone", to: "UTC", as: account)
        _ = try await DemoCircle.fill(store, as: account)
        // A verbatim quote last week that names two people, an email and a phone number.
        let people = try await store.people.list(PersonFilter(limit: 100), as: account)
        let dana = try #require(people.first { $0.details.company == "Nordwind Logistics" })
        let other = try #require(people.first { $0.details.company == "Sakura Retail" })
        var quote = FeedbackDetails(
            text: "\(other.name) told me to ask \(dana.name.split(separator: " ")[0]); write \(dana.details.emails[0].value) or call \(dana.details.phones[0].value). Nordwind Logistics needs it.",
            person: dana.id, kind: .pain)
        quote.quote = true
        quote.severity = 5
        quote.themes = ["Slow exports"]
        var call = ConversationDetails(kind: .call, at: Date(timeIntervalSince1970: 1_795_255_200)) // Sat 21 Nov 2026 10:00 UTC
        call.people = [dana.id]
        quote.conversation = try await store.conversations.log(call, as: account).conversation.id
        _ = try await store.feedback.add(quote, as: account)
        return (store, account)
    }

    func report(named: Bool = false) async throws -> Report {
        let (store, account) = try await store()
        return try await store.reports.build(.week(nil), named: named, as: account)
    }

    func people() async throws -> [Person] {
        let (store, account) = try await store()
        return try await store.people.list(PersonFilter(limit: 1000), as: account)
    }
}

let demoReports = DemoReports()

@Suite("Reports: formats")
struct ReportFormatTests {
    /// Compares `text` with the stored snapshot; RAPPORT_UPDATE_SNAPSHOTS=1 writes it instead.
    func snapshot(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)")
        if ProcessInfo.processInfo.environment["RAPPORT_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let stored = try String(contentsOf: url, encoding: .utf8)
        if stored != text {
            let a = stored.split(separator: "\n", omittingEmptySubsequences: false), b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }.map { $0.offset + 1 } ?? min(a.count, b.count) + 1
            Issue.record("\(name) differs from the snapshot at line \(line): \(line <= b.count ? String(b[line - 1]) : "(ends)"); run with RAPPORT_UPDATE_SNAPSHOTS=1 to accept",
                         sourceLocation: sourceLocation)
        }
    }

    @Test("Markdown and HTML of the demo's last week match their snapshots")
    func snapshots() async throws {
        let report = try await demoReports.report()
        try snapshot(ReportMarkdown.render(report), "demo-week.md")
        try snapshot(ReportHTML.render(report), "demo-week.html")
    }

    @Test("anonymised, no name, email or phone of the demo (nor a private company's name) appears in any format")
    func noLeaks() async throws {
        let report = try await demoReports.report()
        let people = try await demoReports.people()
        #expect(report.quotes.contains { $0.text.contains("[name]") && $0.text.contains("[email]") && $0.text.contains("[phone]") },
                "the planted quote is in the report, scrubbed")
        var forbidden = Set<String>()
        for p in people {
            forbidden.insert(p.name)
            for part in p.name.split(separator: " ") where part.count >= 3 { forbidden.insert(String(part)) }
            for e in p.details.emails { forbidden.insert(e.value) }
            for phone in p.details.phones {
                forbidden.insert(phone.value)
                forbidden.insert(String(phone.value.filter(\.isNumber).suffix(7)))
            }
        }
        for company in DemoCircle.companies where company.name != "Acme Freight" { forbidden.insert(company.name) }
        for format in ReportFormat.allCases {
            let text = try format.render(report)
            let words = Set(Scrubber.tokens(text).filter(\.isWord).map(\.text))
            let digits = text.filter(\.isNumber)
            for item in forbidden {
                let leaked = item.contains(" ") || item.contains("@") || item.contains("+") ? text.contains(item)
                    : item.allSatisfy(\.isNumber) ? digits.contains(item) : words.contains(item)
                #expect(!leaked, "\(format.rawValue) shows \"\(item)\"")
            }
        }
        let named = try await demoReports.report(named: true)
        let markdown = ReportMarkdown.render(named)
        #expect(markdown.contains("Names included") && people.contains { markdown.contains($0.name) }, "--names does name people, and says so")
    }

    @Test("Slack: Block Kit with a header, context, sections and dividers, within Slack's limits")
    func slackShape() async throws {
        let report = try await demoReports.report()
        let json = try ReportSlack.json(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["text"] as? String)?.hasPrefix(report.title) == true)
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(blocks.count <= ReportSlack.maxBlocks)
        #expect(blocks.first?["type"] as? String == "header")
        let types = Set(blocks.compactMap { $0["type"] as? String })
        #expect(types == ["header", "context", "section", "divider"])
        for block in blocks {
            if let text = block["text"] as? [String: Any] {
                #expect(["plain_text", "mrkdwn"].contains(text["type"] as? String))
                let body = try #require(text["text"] as? String)
                #expect(!body.isEmpty && body.count <= (block["type"] as? String == "header" ? 150 : 3000))
            }
        }
        let sections = blocks.filter { $0["type"] as? String == "section" }.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(sections.count == report.sections.count + 1, "the highlights, then one per part")
        #expect(sections.contains { $0.hasPrefix("*In their words*") })
        #expect(ReportSlack.escape("a < b & c > d") == "a &lt; b &amp; c &gt; d")
    }

    @Test("HTML and slides are well-formed, self-contained, one slide per section, printable")
    func wellFormed() async throws {
        let report = try await demoReports.report()
        for (format, text) in [(ReportFormat.html, ReportHTML.render(report)), (.slides, ReportSlides.render(report))] {
            let doc = try XMLDocument(data: Data(text.utf8), options: [])
            #expect(doc.rootElement()?.name == "html", "\(format)")
            #expect(!text.contains("src=\"http") && !text.contains("href=\"http") && !text.contains("<link"), "\(format) fetches nothing")
            #expect(text.contains("@media print"))
            let svgs = try doc.nodes(forXPath: "//*[local-name()='svg']")
            #expect(!svgs.isEmpty, "\(format) has inline charts")
        }
        let slides = try XMLDocument(data: Data(ReportSlides.render(report).utf8), options: [])
        let sections = try slides.nodes(forXPath: "//*[local-name()='section'][@class='slide']")
        #expect(sections.count == report.sections.count + 1, "a title slide and one per section")
        #expect(ReportSlides.render(report).contains("ArrowRight"))
        let html = ReportHTML.render(report)
        #expect(html.contains("break-before: page"))
    }

    @Test("text people typed cannot break out of the markup in any format")
    func escaping() throws {
        var report = try Report.build(ReportInput(
            options: ReportOptions(period: ReportPeriod.week("2026-W47", today: CalendarDay(year: 2026, month: 11, day: 23))),
            now: DemoReports.now, zone: TimeZone(identifier: "UTC")!, people: [], companies: [], personas: ["<b>Ops</b>"], conversations: [],
            feedback: [], requests: [], hypotheses: [], funnel: nil, goals: [], streak: nil))
        report.highlights.append("<script>alert(1)</script> | *bold* [x](http://evil)")
        #expect(!ReportHTML.render(report).contains("<script>alert"))
        #expect(!ReportSlides.render(report).contains("<b>Ops"))
        let md = ReportMarkdown.render(report)
        #expect(!md.contains("<script>") && md.contains("\\| \\*bold\\* [x\\](http"))
        #expect(!(try ReportSlack.json(report)).contains("<script>"))
    }

    @Test("the webhook post sends the Block Kit JSON and reports Slack's answer; a refusal says why without the secret URL")
    func webhook() async throws {
        let server = try OneShotHTTPServer(status: 200, body: "ok")
        let payload = try ReportSlack.json(try await demoReports.report())
        let answer = try await SlackWebhook.post(payload, to: "http://127.0.0.1:\(server.port)/services/T000/B000/SECRET")
        #expect(answer.status == 200 && answer.body == "ok")
        let received = try #require(server.wait())
        #expect(received.head.hasPrefix("POST /services/T000/B000/SECRET HTTP/1.1"))
        #expect(received.head.lowercased().contains("content-type: application/json"))
        #expect(received.body == payload)

        let refusing = try OneShotHTTPServer(status: 403, body: "invalid_token")
        do {
            _ = try await SlackWebhook.post(payload, to: "http://127.0.0.1:\(refusing.port)/services/T000/B000/SECRET")
            Issue.record("a 403 should throw")
        } catch let error as RapportError {
            let text = "\(error)"
            #expect(error.fieldErrors.first?.field == "slack.webhook")
            #expect(text.contains("403") && text.contains("invalid_token") && !text.contains("SECRET"))
        }
        _ = refusing.wait()

        // Nobody listening (port 1 of the loopback): the error names the host, never the secret path.
        do {
            _ = try await SlackWebhook.post(payload, to: "http://127.0.0.1:1/services/T000/B000/SECRET", timeout: 5)
            Issue.record("an unreachable webhook should throw")
        } catch let error as RapportError {
            let text = "\(error)"
            #expect(error.fieldErrors.first?.field == "slack.webhook")
            #expect(text.contains("could not reach 127.0.0.1: the connection was refused") && !text.contains("SECRET"), "\(text)")
        }
    }
}

/// A tiny HTTP server on 127.0.0.1 that answers one request with a fixed status and body, and keeps what it got.
final class OneShotHTTPServer: @unchecked Sendable {
    let port: Int
    private let socketFD: Int32
    private let done = DispatchSemaphore(value: 0)
    private var received: (head: String, body: String)?

    init(status: Int, body: String) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 1) == 0 else { throw RapportError.storage("test server could not listen") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        socketFD = fd
        Thread.detachNewThread { [self] in
            let client = accept(fd, nil, nil)
            defer { close(client); close(fd); done.signal() }
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                data.append(contentsOf: buffer[0..<n])
                let text = String(decoding: data, as: UTF8.self)
                guard let split = text.range(of: "\r\n\r\n") else { continue }
                let head = String(text[..<split.lowerBound])
                let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                let expected = Int(lengthLine?.split(separator: ":")[1].trimmingCharacters(in: .whitespaces) ?? "0") ?? 0
                let bodyBytes = data.count - (text[..<split.upperBound].utf8.count)
                if bodyBytes >= expected {
                    received = (head, String(text[split.upperBound...]))
                    break
                }
            }
            let response = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Forbidden")\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = response.withCString { write(client, $0, strlen($0)) }
        }
    }

    /// What the server received, once it has answered (nil after 10 seconds).
    func wait() -> (head: String, body: String)? {
        guard done.wait(timeout: .now() + 10) == .success else { return nil }
        return received
    }
}
