import Foundation
import RapportCore
import RapportFormats
import RapportStore
import Testing

@Suite("Markdown notes render without raw HTML")
struct NotesRendererTests {
    @Test("Markdown becomes HTML")
    func markdown() {
        let html = NotesRenderer.html("Exports take **an hour**.\n\n- one\n- two")
        #expect(html.contains("<strong>an hour</strong>"))
        #expect(html.contains("<li>one</li>"))
    }

    @Test("tags typed into notes show as text, never as markup")
    func rawHTML() {
        let html = NotesRenderer.html("<script>alert(1)</script> and <img src=x onerror=alert(2)> & more")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&amp; more"))
    }

    @Test("only http, https and mailto links stay links")
    func links() {
        #expect(NotesRenderer.html("[site](https://example.com)").contains("href=\"https://example.com\""))
        let bad = NotesRenderer.html("[click](javascript:alert(1))")
        #expect(!bad.contains("href"))
        #expect(bad.contains("click"))
    }

    /// Issue 16, case 4: a `"` in a link target once closed `href` and let a note lay an invisible full-page link
    /// over the page. Every attribute Ink writes (a link's href, a code block's class) gets the same payloads.
    @Test("a quote in a link target or a code block's language adds no attribute", arguments: [
        #"[x](https://evil.example/" style="position:fixed;inset:0" x=")"#,
        #"[x](https://evil.example/"onmouseover="alert(1))"#,
        "```\" onmouseover=\"alert(1)\nx\n```",
        "`\" onclick=\"alert(1)`",
        #"[x](mailto:a@b.example" onclick="alert(1))"#,
    ])
    func attributeInjection(_ markdown: String) throws {
        let html = NotesRenderer.html(markdown)
        #expect(try Self.attributeNames(html).isSubset(of: ["href", "rel", "class"]), "\(html)")
    }

    /// The names of every attribute in `html`'s tags, read strictly: a tag that is not `<name attr="value"...>`
    /// fails the test, so an attribute cannot hide in a malformed tag.
    static func attributeNames(_ html: String) throws -> Set<String> {
        var names: Set<String> = []
        for tag in html.matches(of: /<[a-z][^>]*>/) {
            let text = String(tag.output)
            let strict = try #require(text.wholeMatch(of: /<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/), "\(text)")
            for attribute in String(strict.output.1).matches(of: /([a-z-]+)="[^"]*"/) { names.insert(String(attribute.output.1)) }
        }
        return names
    }

    @Test("code shows exactly what was typed, escaped once")
    func code() {
        let html = NotesRenderer.html("```\na < b && c > \"d\"\n```\n\nand `x<y & \"z\"`")
        #expect(html.contains("a &lt; b &amp;&amp; c &gt; &quot;d&quot;"), "\(html)")
        #expect(html.contains("<code>x&lt;y &amp; &quot;z&quot;</code>"), "\(html)")
    }

    @Test("quotes keep working")
    func quotes() {
        #expect(NotesRenderer.html("> They said exports are slow").contains("<blockquote>"))
    }
}

@Suite("The demo circle")
struct DemoCircleTests {
    @Test("fills about 60 people over 8 companies and 5 personas, across continents, with advocates and do-not-contacts")
    func fill() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await Store.open(.sqlite(path: dir.appendingPathComponent("demo.sqlite").path))
        let account = try await store.localAccount()
        #expect(try await DemoCircle.fill(store, as: account) == 60)
        let all = try await store.people.list(PersonFilter(limit: 1000), as: account)
        #expect(all.count == 60)
        #expect(Set(all.compactMap(\.details.company)).count == 8)
        let personas = try await store.personas.list(as: account)
        #expect(personas.count == 5 && personas.allSatisfy { $0.peopleCount > 0 })
        let continents = Set(all.compactMap { $0.details.timeZone?.split(separator: "/").first })
        #expect(continents.isSuperset(of: ["Europe", "Asia", "America", "Australia"]))
        #expect(all.contains { $0.details.advocate } && all.contains { $0.doNotContact != nil } && all.contains { $0.details.offTheRecord })
        await store.close()
    }
}
