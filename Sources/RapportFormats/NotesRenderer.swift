import Ink

/// Renders Markdown notes to HTML without letting any raw HTML through.
public enum NotesRenderer {
    /// HTML for `markdown`. Every `<` and `&` the user typed is escaped before Markdown is parsed, so tags in
    /// notes show as text (`>` stays, for quotes); links keep only http(s) and mailto targets.
    public static func html(_ markdown: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(markdown.count)
        for character in markdown {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            default: escaped.append(character)
            }
        }
        let parser = MarkdownParser(modifiers: [
            Modifier(target: .links) { html, _ in safeLink(html) },
            Modifier(target: .images) { _, markdown in String(markdown) },
        ])
        return parser.html(from: escaped)
    }

    /// Keeps a rendered `<a href="...">` only when its target is http, https or mailto; otherwise shows the text.
    static func safeLink(_ html: String) -> String {
        guard let start = html.firstRange(of: "href=\"") else { return html }
        let rest = html[start.upperBound...]
        let target = rest.prefix { $0 != "\"" }.lowercased()
        if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") {
            return html.replacing("<a href=", with: "<a rel=\"noopener noreferrer\" href=")
        }
        guard let open = html.firstIndex(of: ">"), let close = html.lastRange(of: "</a>") else { return html }
        return String(html[html.index(after: open)..<close.lowerBound])
    }
}

extension StringProtocol {
    func lastRange(of needle: String) -> Range<Index>? {
        ranges(of: needle).last
    }
}
