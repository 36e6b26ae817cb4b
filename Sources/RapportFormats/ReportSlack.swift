import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RapportCore

/// The report as a Slack message in Block Kit: a header, the privacy line, the highlights, then one section block
/// per part of the report (Slack's limits respected: 150 characters in a header, 3000 in a section, 50 blocks).
public enum ReportSlack {
    public static let maxBlocks = 50
    public static let maxSectionText = 3000
    public static let maxHeader = 150

    /// The message as a JSON object: `text` (the notification fallback) and `blocks`.
    public static func message(_ r: Report) -> [String: Any] {
        var blocks: [[String: Any]] = []
        blocks.append(["type": "header", "text": ["type": "plain_text", "text": clip(r.title, maxHeader), "emoji": false]])
        var context = "\(r.named ? "*Names included*" : "*Anonymised*"): \(escape(r.privacy))"
        if !r.filters.isEmpty { context += "\nFiltered to \(escape(r.filters.joined(separator: "; ")))." }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": context]]])
        blocks.append(section(r.highlights.map { "• \(escape($0))" }.joined(separator: "\n")))
        for part in r.sections {
            blocks.append(["type": "divider"])
            blocks.append(section("*\(escape(part.title))*\n" + body(part, r).joined(separator: "\n")))
        }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": "Prepared on \(r.preparedOn.label) with Rapport."]]])
        if blocks.count > maxBlocks { blocks = Array(blocks.prefix(maxBlocks)) }
        return ["text": escape("\(r.title): " + r.highlights.joined(separator: "; ")), "blocks": blocks]
    }

    /// The message as JSON text, keys sorted.
    public static func json(_ r: Report) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: message(r), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + "\n"
    }

    static func section(_ text: String) -> [String: Any] {
        ["type": "section", "text": ["type": "mrkdwn", "text": clip(text, maxSectionText)]]
    }

    static func body(_ section: ReportSection, _ r: Report) -> [String] {
        switch section {
        case .conversations:
            guard let c = r.conversations else { return [] }
            var lines = ["*\(c.total)* conversation\(c.total == 1 ? "" : "s") with *\(c.people)* \(c.people == 1 ? "person" : "people") at *\(c.companies)* compan\(c.companies == 1 ? "y" : "ies")"]
            lines.append(c.byKind.map { "\($0.label) \($0.count)" }.joined(separator: " · "))
            lines += c.heardFrom.map { "• \(escape($0.label))\($0.count > 1 ? " (\($0.count) people)" : "")" }
            return lines
        case .personas:
            return r.personas.map { "• *\(escape($0.persona))*: \($0.conversations) conversation\($0.conversations == 1 ? "" : "s"), \(escape($0.note))\($0.quiet ? " (quiet)" : "")" }
        case .themes:
            var lines = r.topThemes.map { "• *\(escape($0.name))* \($0.count) mention\($0.count == 1 ? "" : "s") from \($0.people) \($0.people == 1 ? "person" : "people")\($0.rising ? " :chart_with_upwards_trend: rising" : "")" }
            let notTop = r.risingThemes.filter { rising in !r.topThemes.contains { $0.name == rising.name } }
            lines += notTop.map { "• *\(escape($0.name))* rising: \(escape($0.trend))" }
            return lines
        case .requests:
            return r.requests.map { "• *\(escape($0.title))* (\($0.status), \(escape($0.change))): \(escape($0.evidence)); priority \($0.priority.oneDecimal)" }
        case .quotes:
            return r.quotes.map { q in
                "> “\(escape(q.text).replacing("\n", with: " "))”\n> — \(escape(q.who)), \(q.kind), \(q.day.label)"
            }
        case .hypotheses:
            return r.hypotheses.map { "• *\(escape($0.text))* (\($0.status); \(escape($0.change))). \(escape($0.tally)). Next: \(escape($0.nextStep))" }
        case .funnel:
            guard let f = r.funnel else { return [] }
            return [escape(f.summary), escape(f.pickUp)]
        case .goals:
            var lines = r.goals.map { "• *\(escape($0.title))*: \($0.value) of \($0.target) (\($0.percent)%), \($0.state)" }
            if let s = r.streak { lines.append("Weekly habit: \(escape(s.text))") }
            return lines
        }
    }

    /// Slack's mrkdwn needs only &, < and > escaped.
    public static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// Sends a Slack message to an incoming webhook and reports Slack's answer. The URL is a secret: it never appears in
/// what this prints or throws, only its host.
///
/// Posted with AsyncHTTPClient (on the SwiftNIO the server already runs on) rather than `URLSession`: on Linux,
/// `FoundationNetworking` links libcurl and some thirty libraries behind it into every process, 7 ms of each
/// command's start for a post most users never make.
public enum SlackWebhook {
    public struct Answer: Sendable, Codable, Equatable {
        public var status: Int
        public var body: String
        public var ok: Bool { (200..<300).contains(status) }
    }

    /// Posts `payload` (JSON) to `url`; throws with Slack's answer when it refuses.
    public static func post(_ payload: String, to url: String, timeout: TimeInterval = 20) async throws -> Answer {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["https", "http"].contains(scheme) else {
            throw RapportError.invalid("slack.webhook", "the webhook in settings is not a URL; set it again with `rapport settings set slack.webhook URL`")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: payload))
        let host = target.host ?? "the webhook"
        // One client for one post: a failed connection fails the post at once (the shared client retries until the
        // deadline), and the connection is closed when it is done.
        let limit = TimeAmount.milliseconds(Int64(timeout * 1000))
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = limit
        // The deadline ends when the answer's head arrives; a server that then stalls is cut off by the read timeout.
        configuration.timeout.read = limit
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let sent: Result<(status: Int, body: ByteBuffer), any Error>
        do {
            let response = try await client.execute(request, timeout: limit)
            // Slack answers "ok" or a short error; the first 64 KiB of anything longer are enough to say what it was.
            var collected = ByteBuffer()
            for try await chunk in response.body {
                var chunk = chunk
                if collected.readableBytes < 64 * 1024 { collected.writeBuffer(&chunk) }
            }
            sent = .success((Int(response.status.code), collected))
        } catch {
            sent = .failure(error)
        }
        try? await client.shutdown()
        let status: Int, body: ByteBuffer
        switch sent {
        case .success(let answer): (status, body) = answer
        case .failure(let error):
            throw RapportError.invalid("slack.webhook", "could not reach \(host): \(Self.reason(error, timeout: timeout)); check the network and the webhook in settings")
        }
        let answer = Answer(status: status, body: String(decoding: body.readableBytesView.prefix(500), as: UTF8.self).trimmed)
        guard answer.ok else {
            let hint = status == 404 || status == 403 || answer.body.contains("invalid_token") || answer.body.contains("no_service")
                ? "; the webhook may have been removed: make a new one in Slack and `rapport settings set slack.webhook URL`" : ""
            throw RapportError.invalid("slack.webhook", "Slack answered \(status) \(answer.body.isEmpty ? "" : "\"\(answer.body)\"")\(hint)")
        }
        return answer
    }

    /// Why a post did not reach the webhook, in a user's words; never the URL (the client's own text may hold it).
    static func reason(_ error: any Error, timeout: TimeInterval) -> String {
        let text = String(describing: error)
        if text.contains("refused") { return "the connection was refused" }
        if let client = error as? HTTPClientError,
           [HTTPClientError.connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout].contains(client) {
            return "no answer within \(Int(timeout)) seconds"
        }
        if text.localizedCaseInsensitiveContains("dns") || text.contains("lookup") { return "its name could not be looked up" }
        if text.localizedCaseInsensitiveContains("ssl") || text.localizedCaseInsensitiveContains("tls") || text.contains("certificate") {
            return "its secure connection could not be set up"
        }
        return "the connection failed"
    }
}
