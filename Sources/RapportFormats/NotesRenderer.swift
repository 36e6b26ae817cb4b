import Ink

/// Renders Markdown notes to HTML without letting any raw HTML through.
public enum NotesRenderer {
    /// HTML for `markdown`. Every `<`, `&` and `"` the user typed is escaped before Markdown is parsed, so tags in
    /// notes show as text and nothing typed can close an attribute Ink writes (a link's `href`, a code block's
    /// `class`); `>` stays, for quotes. Links keep only http(s) and mailto targets; images show as their Markdown.
    public static func html(_ markdown: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(markdown.count)
        for character in markdown {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        let parser = MarkdownParser(modifiers: [
            Modifier(target: .links) { html, _ in safeLink(html) },
            Modifier(target: .images) { _, markdown in String(markdown) },
            Modifier(target: .codeBlocks) { html, _ in unescapeTwice(html) },
            Modifier(target: .inlineCode) { html, _ in unescapeTwice(html) },
        ])
        return parser.html(from: escaped)
    }

    /// Ink escapes `&` inside code again: undo that one level, leaving exactly the text escaped above.
    static func unescapeTwice(_ html: String) -> String {
        html.replacing("&amp;", with: "&")
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
