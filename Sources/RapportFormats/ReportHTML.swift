import Foundation
import RapportCore

/// The report as one self-contained HTML page: inline CSS and SVG charts, nothing fetched, and each section on its
/// own page when printed to PDF. The markup is well-formed XML (XHTML syntax) so tools can read it too.
public enum ReportHTML {
    public static func render(_ r: Report) -> String {
        var body = ["<header>", "<h1>\(ReportMarkup.escape(r.title))</h1>", ReportMarkup.notice(r)]
        body.append("<p class=\"meta\">Prepared on \(ReportMarkup.escape(r.preparedOn.label)) with Rapport.</p>")
        body.append(ReportMarkup.list(r.highlights, className: "highlights"))
        body.append("</header>")
        for section in r.sections {
            body.append("<section id=\"\(section.rawValue)\">")
            body.append("<h2>\(ReportMarkup.escape(section.title))</h2>")
            body.append(ReportMarkup.body(section, r))
            body.append("</section>")
        }
        return ReportMarkup.page(title: r.title, css: css, body: body.joined(separator: "\n"), script: nil)
    }

    static let css = """
    :root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --accent: #2f5bd3; --warn: #b3541e; }
    * { box-sizing: border-box; }
    body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 2rem 1.25rem; }
    h1 { font-size: 1.7rem; margin: 0 0 .5rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; margin-top: 2.25rem; }
    h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
    .notice { border-left: 4px solid var(--accent); background: #eef2fc; padding: .5rem .75rem; margin: .75rem 0; }
    .notice.named { border-color: var(--warn); background: #fcf1ea; }
    .meta, .muted { color: var(--muted); font-size: .9rem; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
    th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
    blockquote { margin: .75rem 0; padding: .5rem .9rem; border-left: 4px solid var(--line); background: #f7f8fa; }
    blockquote p { margin: 0 0 .3rem; font-size: 1.05rem; } blockquote footer { color: var(--muted); font-size: .85rem; }
    .tag { display: inline-block; font-size: .75rem; padding: 0 .4rem; border-radius: .6rem; background: #e7ebf3; margin-left: .3rem; }
    .tag.rising { background: #fde7d9; color: var(--warn); } .tag.quiet { background: #fde7d9; color: var(--warn); }
    svg { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
    @media print {
      body { max-width: none; padding: 0; font-size: 12px; }
      section { break-before: page; page-break-before: always; }
      blockquote, tr, svg { break-inside: avoid; page-break-inside: avoid; }
      a { color: inherit; text-decoration: none; }
    }
    @page { margin: 16mm; }
    """
}

/// The report as slides in one self-contained HTML file: a title slide, then one slide per section. Arrow keys,
/// Page Up/Down, space, Home and End move; the slide number is kept in the address (#3); printing gives one slide a page.
public enum ReportSlides {
    public static func render(_ r: Report) -> String {
        var slides: [String] = []
        var first = ["<h1>\(ReportMarkup.escape(r.title))</h1>", ReportMarkup.notice(r)]
        first.append(ReportMarkup.list(r.highlights, className: "highlights"))
        first.append("<p class=\"meta\">Prepared on \(ReportMarkup.escape(r.preparedOn.label)) with Rapport. Use ← and → to move.</p>")
        slides.append(first.joined(separator: "\n"))
        for section in r.sections {
            slides.append("<h2>\(ReportMarkup.escape(section.title))</h2>\n" + ReportMarkup.body(section, r))
        }
        let total = slides.count
        let body = slides.enumerated().map { index, content in
            "<section class=\"slide\" id=\"slide-\(index + 1)\" aria-label=\"Slide \(index + 1) of \(total)\">\n\(content)\n<p class=\"count\">\(index + 1) / \(total)</p>\n</section>"
        }.joined(separator: "\n")
        return ReportMarkup.page(title: r.title, css: ReportHTML.css + "\n" + css, body: "<main class=\"deck\">\n\(body)\n</main>", script: script)
    }

    static let css = """
    body { max-width: none; padding: 0; background: #10131a; }
    .slide { background: #fff; width: 100vw; min-height: 100vh; padding: 5vh 7vw; display: flex; flex-direction: column; position: relative; overflow: auto; }
    .slide h1 { font-size: 2.6rem; margin-top: 12vh; } .slide h2 { font-size: 2rem; margin-top: 0; }
    .slide .count { position: absolute; right: 2rem; bottom: 1rem; color: var(--muted); margin: 0; }
    .slide table, .slide blockquote p { font-size: 1.1rem; } .slide .highlights li { font-size: 1.35rem; }
    html.js .slide { display: none; height: 100vh; } html.js .slide.current { display: flex; }
    @media print {
      body { background: #fff; }
      .slide, html.js .slide { display: flex; width: auto; min-height: 0; height: auto; padding: 0; break-after: page; page-break-after: always; overflow: visible; }
      .slide .count { position: static; text-align: right; }
    }
    @page { size: landscape; }
    """

    /// Moves between slides. No "<" or "&" in it, so the page stays well-formed XML.
    static let script = """
    (function () {
      var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
      document.documentElement.classList.add('js');
      var current = 0;
      function show(n) {
        current = Math.max(0, Math.min(slides.length - 1, n));
        slides.forEach(function (s, i) { s.classList.toggle('current', i === current); });
        if (history.replaceState) { history.replaceState(null, '', '#' + (current + 1)); }
      }
      var start = parseInt((location.hash || '#1').slice(1), 10);
      show(isNaN(start) ? 0 : start - 1);
      document.addEventListener('keydown', function (e) {
        var next = ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'];
        var back = ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'];
        if (next.indexOf(e.key) !== -1) { show(current + 1); e.preventDefault(); }
        else if (back.indexOf(e.key) !== -1) { show(current - 1); e.preventDefault(); }
        else if (e.key === 'Home') { show(0); e.preventDefault(); }
        else if (e.key === 'End') { show(slides.length - 1); e.preventDefault(); }
      });
      document.addEventListener('click', function (e) {
        if (e.target.closest('a')) { return; }
        show(e.clientX * 3 > window.innerWidth ? current + 1 : current - 1);
      });
    })();
    """
}

/// Markup shared by the HTML page and the slides.
enum ReportMarkup {
    static func page(title: String, css: String, body: String, script: String?) -> String {
        var out = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="Rapport"/>
        <title>\(escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        \(body)

        """
        if let script { out += "<script>\n//<![CDATA[\n\(script)\n//]]>\n</script>\n" }
        return out + "</body>\n</html>\n"
    }

    static func notice(_ r: Report) -> String {
        var out = "<p class=\"notice\(r.named ? " named" : "")\"><strong>\(r.named ? "Names included" : "Anonymised")</strong>: \(escape(r.privacy))</p>"
        if !r.filters.isEmpty { out += "\n<p class=\"meta\">Filtered to \(escape(r.filters.joined(separator: "; "))).</p>" }
        return out
    }

    static func list(_ items: [String], className: String? = nil) -> String {
        guard !items.isEmpty else { return "" }
        return "<ul\(className.map { " class=\"\($0)\"" } ?? "")>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
    }

    /// A table; `numeric` columns are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        func cell(_ tag: String, _ text: String, _ i: Int) -> String {
            "<\(tag)\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(text))</\(tag)>"
        }
        let head = "<tr>" + header.enumerated().map { cell("th", $1, $0) }.joined() + "</tr>"
        let body = rows.map { "<tr>" + $0.enumerated().map { cell("td", $1, $0) }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table>\n<thead>\(head)</thead>\n<tbody>\n\(body)\n</tbody>\n</table>"
    }

    static func body(_ section: ReportSection, _ r: Report) -> String {
        switch section {
        case .conversations:
            guard let c = r.conversations else { return "" }
            var out = ["<p><strong>\(c.total)</strong> conversation\(c.total == 1 ? "" : "s") with <strong>\(c.people)</strong> \(c.people == 1 ? "person" : "people") at <strong>\(c.companies)</strong> compan\(c.companies == 1 ? "y" : "ies").</p>"]
            out.append(ReportChart.bars(title: "Conversations by kind", rows: c.byKind.map { ($0.label, $0.count) }))
            if !c.heardFrom.isEmpty {
                out.append("<h3>Heard from</h3>")
                out.append(list(c.heardFrom.map { $0.label + ($0.count > 1 ? " (\($0.count) people)" : "") }))
            }
            return out.joined(separator: "\n")
        case .personas:
            return table(["Persona", "Conversations", "People", "Last heard", "Status"], r.personas.map {
                [$0.persona, "\($0.conversations)", "\($0.people)", $0.lastHeard?.label ?? "never", ($0.quiet ? "quiet: " : "") + $0.note]
            }, numeric: [1, 2])
        case .themes:
            var out: [String] = []
            if !r.topThemes.isEmpty {
                out.append("<h3>Most heard</h3>")
                out.append(ReportChart.bars(title: "Mentions by theme", rows: r.topThemes.map { ($0.name, $0.count) }))
                out.append(table(["Theme", "Mentions", "People", "Trend"], r.topThemes.map {
                    [$0.name + ($0.rising ? " (rising)" : ""), "\($0.count)", "\($0.people)", $0.trend]
                }, numeric: [1, 2]))
            }
            if !r.risingThemes.isEmpty {
                out.append("<h3>Rising</h3>")
                out.append("<ul>" + r.risingThemes.map { "<li><strong>\(escape($0.name))</strong><span class=\"tag rising\">rising</span> \(escape($0.trend))</li>" }.joined() + "</ul>")
            }
            return out.joined(separator: "\n")
        case .requests:
            return table(["Request", "Status", "What changed", "Evidence", "Priority"], r.requests.map {
                [$0.title, $0.status, $0.changeText, $0.evidence, $0.priorityExplanation]
            })
        case .quotes:
            return r.quotes.map { q in
                "<blockquote><p>“\(escape(q.text))”</p><footer>\(escape(q.attribution))</footer></blockquote>"
            }.joined(separator: "\n")
        case .hypotheses:
            return "<ul>" + r.hypotheses.map { h in
                "<li><strong>\(escape(h.text))</strong> <span class=\"tag\">\(escape(h.status))</span><br/>\(escape(h.change)). \(escape(h.tally)).<br/><span class=\"muted\">Next: \(escape(h.nextStep))</span></li>"
            }.joined() + "</ul>"
        case .funnel:
            guard let f = r.funnel else { return "" }
            return "<p>\(escape(f.summary)).</p>\n" + ReportChart.bars(title: "Outreach funnel", rows: [("reached out", f.attempts), ("answered", f.pickedUp), ("conversations", f.talked)])
                + "\n<p class=\"muted\">\(escape(f.pickUp))</p>"
        case .goals:
            var out: [String] = []
            if !r.goals.isEmpty {
                out.append(ReportChart.progress(title: "Goal progress", rows: r.goals.map { ($0.title, $0.percent) }))
                out.append(table(["Goal", "Progress", "State", "Detail"], r.goals.map {
                    [$0.title, "\($0.value) of \($0.target) (\($0.percent)%)", $0.state, $0.summary]
                }))
            }
            if let s = r.streak { out.append("<p>Weekly habit: \(escape(s.text)).</p>") }
            return out.joined(separator: "\n")
        }
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}

/// Inline SVG charts with a title and description for screen readers; the numbers are in the table beside them.
enum ReportChart {
    static let width = 640, rowHeight = 26, labelWidth = 220

    /// Horizontal bars, one per row, scaled to the largest value.
    static func bars(title: String, rows: [(String, Int)]) -> String {
        let top = max(1, rows.map(\.1).max() ?? 1)
        let barSpace = width - labelWidth - 50
        let height = rows.count * rowHeight + 8
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" aria-labelledby=\"t-\(slug(title)) d-\(slug(title))\">"
        out += "<title id=\"t-\(slug(title))\">\(ReportMarkup.escape(title))</title>"
        out += "<desc id=\"d-\(slug(title))\">\(ReportMarkup.escape(rows.map { "\($0.0): \($0.1)" }.joined(separator: "; ")))</desc>"
        for (i, row) in rows.enumerated() {
            let y = i * rowHeight + 4
            let w = max(2, row.1 * barSpace / top)
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\" fill=\"#1d2433\">\(ReportMarkup.escape(short(row.0)))</text>"
            out += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowHeight - 8)\" rx=\"3\" fill=\"#2f5bd3\"/>"
            out += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 17)\" font-size=\"13\" fill=\"#5b6475\">\(row.1)</text>"
        }
        return out + "</svg>"
    }

    /// Progress bars out of 100%, with a light track.
    static func progress(title: String, rows: [(String, Int)]) -> String {
        let barSpace = width - labelWidth - 60
        let height = rows.count * rowHeight + 8
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" aria-labelledby=\"t-\(slug(title)) d-\(slug(title))\">"
        out += "<title id=\"t-\(slug(title))\">\(ReportMarkup.escape(title))</title>"
        out += "<desc id=\"d-\(slug(title))\">\(ReportMarkup.escape(rows.map { "\($0.0): \($0.1)%" }.joined(separator: "; ")))</desc>"
        for (i, row) in rows.enumerated() {
            let y = i * rowHeight + 4
            let w = min(barSpace, max(0, row.1) * barSpace / 100)
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\" fill=\"#1d2433\">\(ReportMarkup.escape(short(row.0)))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(barSpace)\" height=\"\(rowHeight - 8)\" rx=\"3\" fill=\"#e7ebf3\"/>"
            out += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowHeight - 8)\" rx=\"3\" fill=\"\(row.1 >= 100 ? "#2e8b57" : "#2f5bd3")\"/>"
            out += "<text x=\"\(labelWidth + barSpace + 6)\" y=\"\(y + 17)\" font-size=\"13\" fill=\"#5b6475\">\(row.1)%</text>"
        }
        return out + "</svg>"
    }

    static func short(_ label: String) -> String { label.count > 30 ? String(label.prefix(29)) + "…" : label }

    static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}

/// Text placed in HTML or XML: &, <, >, " and ' escaped, so it reads as itself in content and attributes.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
