import Foundation
import RapportCore

/// The formats a report comes in.
public enum ReportFormat: String, Sendable, Codable, CaseIterable {
    case markdown, html, slack, slides, json

    /// The MIME type to serve it as.
    public var contentType: String {
        switch self {
        case .markdown: "text/markdown; charset=utf-8"
        case .html, .slides: "text/html; charset=utf-8"
        case .slack, .json: "application/json"
        }
    }

    /// The file name for a download: "rapport-report-2026-11-16.md".
    public func fileName(for report: Report) -> String {
        let ext: String
        switch self {
        case .markdown: ext = "md"
        case .html: ext = "html"
        case .slides: ext = "slides.html"
        case .slack: ext = "slack.json"
        case .json: ext = "json"
        }
        return "rapport-report-\(report.period.from)-to-\(report.period.to).\(ext)"
    }

    /// `report` in this format.
    public func render(_ report: Report) throws -> String {
        switch self {
        case .markdown: ReportMarkdown.render(report)
        case .html: ReportHTML.render(report)
        case .slides: ReportSlides.render(report)
        case .slack: try ReportSlack.json(report)
        case .json: try ReportJSON.render(report)
        }
    }

    /// Reads a format name, naming the choices when it is none of them.
    public static func parse(_ text: String, field: String = "format") throws -> ReportFormat {
        let key = text.trimmed.lowercased()
        if let found = ReportFormat(rawValue: key == "md" ? "markdown" : key) { return found }
        throw RapportError.invalid(field, "\"\(text)\" is not a report format; choose one of \(allCases.map(\.rawValue).joined(separator: ", "))")
    }
}

/// The report as JSON for other tools: the same content as every other format, already anonymised.
public enum ReportJSON {
    public static func render(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}

/// The report in Markdown that pastes cleanly into a wiki (GitHub, Notion, Confluence): headings, tables, quotes.
public enum ReportMarkdown {
    public static func render(_ r: Report) -> String {
        var out: [String] = ["# \(escape(r.title))", "", "> **\(r.named ? "Names included" : "Anonymised")**: \(escape(r.privacy))", ""]
        if !r.filters.isEmpty { out += ["Filtered to \(r.filters.map(escape).joined(separator: "; ")).", ""] }
        out += ["Prepared on \(r.preparedOn.label) with Rapport.", ""]
        out += r.highlights.map { "- \(escape($0))" } + [""]
        for section in r.sections {
            out += ["## \(section.title)", ""]
            out += body(section, r) + [""]
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    static func body(_ section: ReportSection, _ r: Report) -> [String] {
        switch section {
        case .conversations:
            guard let c = r.conversations else { return [] }
            var lines = ["**\(c.total)** conversation\(c.total == 1 ? "" : "s") with **\(c.people)** \(c.people == 1 ? "person" : "people") at **\(c.companies)** compan\(c.companies == 1 ? "y" : "ies").", ""]
            lines += table(["Kind", "Conversations"], c.byKind.map { [$0.label, "\($0.count)"] }, right: [1])
            if !c.heardFrom.isEmpty {
                lines += ["", "Heard from:", ""] + c.heardFrom.map { "- \(escape($0.label))\($0.count > 1 ? " (\($0.count) people)" : "")" }
            }
            return lines
        case .personas:
            return table(["Persona", "Conversations", "People", "Last heard", "Status"], r.personas.map {
                [$0.persona, "\($0.conversations)", "\($0.people)", $0.lastHeard?.label ?? "never", ($0.quiet ? "quiet: " : "") + $0.note]
            }, right: [1, 2])
        case .themes:
            var lines: [String] = []
            if !r.topThemes.isEmpty {
                lines += ["### Most heard", ""]
                lines += table(["Theme", "Mentions", "People", "Trend"], r.topThemes.map {
                    [$0.name + ($0.rising ? " (rising)" : ""), "\($0.count)", "\($0.people)", $0.trend]
                }, right: [1, 2])
            }
            if !r.risingThemes.isEmpty {
                if !lines.isEmpty { lines.append("") }
                lines += ["### Rising", ""] + r.risingThemes.map { "- **\(escape($0.name))**: \(escape($0.trend))" }
            }
            return lines
        case .requests:
            return table(["Request", "Status", "What changed", "Evidence", "Priority"], r.requests.map {
                [$0.title, $0.status, $0.changeText, $0.evidence, $0.priorityExplanation]
            })
        case .quotes:
            return r.quotes.flatMap { q -> [String] in
                q.text.split(separator: "\n", omittingEmptySubsequences: false).map { "> \(escape(String($0)))" }
                    + [">", "> — \(escape(q.attribution))", ""]
            }.dropLast()
        case .hypotheses:
            return r.hypotheses.map { h in
                "- **\(escape(h.text))** (\(h.status); \(escape(h.change))). \(escape(h.tally)). Next: \(escape(h.nextStep))"
            }
        case .funnel:
            guard let f = r.funnel else { return [] }
            return [escape(f.summary) + ".", "", escape(f.pickUp)]
        case .goals:
            var lines: [String] = []
            if !r.goals.isEmpty {
                lines += table(["Goal", "Progress", "State", "Detail"], r.goals.map {
                    [$0.title, "\($0.value) of \($0.target) (\($0.percent)%)", $0.state, $0.summary]
                })
            }
            if let s = r.streak {
                if !lines.isEmpty { lines.append("") }
                lines.append("Weekly habit: \(escape(s.text)).")
            }
            return lines
        }
    }

    /// A pipe table with escaped cells; `right` lists the columns aligned right (numbers).
    static func table(_ header: [String], _ rows: [[String]], right: Set<Int> = []) -> [String] {
        func row(_ cells: [String]) -> String { "| " + cells.map(escape).joined(separator: " | ") + " |" }
        let rule = "|" + header.indices.map { right.contains($0) ? " ---: |" : " --- |" }.joined()
        return [row(header), rule] + rows.map(row)
    }

    /// Text that reads as itself in any Markdown: the characters that start emphasis, code, links, HTML or table
    /// cells are escaped, and line breaks become spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "_", "|", "#": out += "\\" + String(ch)
            // "[name]" stays readable; a "]" that would close a link ("](", "][", "]:") is escaped.
            case "]" where i + 1 < chars.count && "([:".contains(chars[i + 1]): out += "\\]"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
