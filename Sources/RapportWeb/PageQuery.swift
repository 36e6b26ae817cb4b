import Hummingbird
import RapportCore

/// `limit` and `offset` read from a query string, for every paged list of the API and the pages.
///
/// A list asks its store for ``fetch`` rows (one more than it shows) and keeps ``page(_:)`` of them, so it knows
/// whether a next page exists without counting. Bad values are gathered in `errors`, naming the parameter.
struct PageQuery {
    var limit: Int
    var offset: Int

    /// A web page's paging: `limit` a page, from the query's `offset` clamped to 0 ... ``Paging/maxOffset`` (a page
    /// never refuses; a link from elsewhere may carry anything).
    static func clamped(_ q: FormData, limit: Int) -> PageQuery {
        PageQuery(limit: limit, offset: min(max(Int(q["offset"]) ?? 0, 0), Paging.maxOffset))
    }

    /// One more than the page shows: the extra row says there is a next page.
    var fetch: Int { limit + 1 }

    static func read(_ q: FormData, defaultLimit: Int, maxLimit: Int, noun: String, errors: FieldErrors) -> PageQuery {
        var page = PageQuery(limit: defaultLimit, offset: 0)
        if q.has("limit") {
            if let n = Int(q["limit"]), (1...maxLimit).contains(n) { page.limit = n } else {
                errors.append("limit", "\"\(q["limit"])\" is not a limit; give a number of \(noun) from 1 to \(maxLimit)")
            }
        }
        if q.has("offset") {
            if let n = Int(q["offset"]), (0...Paging.maxOffset).contains(n) { page.offset = n } else {
                errors.append("offset", "\"\(q["offset"])\" is not an offset; give a number of \(noun) to pass over, from 0 to \(Paging.maxOffset)")
            }
        }
        return page
    }

    /// The page of `fetched` (what the store returned for ``fetch`` rows from ``offset``).
    func page<Item>(_ fetched: [Item]) -> ListPage<Item> {
        ListPage.of(fetched, limit: limit, offset: offset)
    }
}

/// Previous and next links for a paged page: the same address with `offset` moved by a page.
struct Pager {
    var previous: String?
    var next: String?
    var size: Int
    /// "51 to 100".
    var shown: String

    /// Nil when there is neither a previous nor a next page (nothing to draw).
    var ifAny: Pager? { previous == nil && next == nil ? nil : self }

    init<Item>(_ page: ListPage<Item>, path: String, query: FormData, keys: [String]) {
        func link(_ offset: Int) -> String {
            var parts = keys.filter { query.has($0) && !query[$0].isEmpty }.map { "\($0)=\(Pages.urlComponent(query[$0]))" }
            if offset > 0 { parts.append("offset=\(offset)") }
            return path + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
        }
        previous = page.previousOffset.map(link)
        next = page.nextOffset.map(link)
        size = page.limit
        shown = page.shown
    }
}

/// A page of a list as the API answers it: `{"<key>": [...], "count", "limit", "offset", "hasMore"}`; `count` is how
/// many items this page holds, `hasMore` whether the next page (from `offset + limit`) has more.
struct PageBody<Item: Encodable>: Encodable {
    let key: String
    let page: ListPage<Item>

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(page.items, forKey: Key(key))
        try c.encode(page.items.count, forKey: Key("count"))
        try c.encode(page.limit, forKey: Key("limit"))
        try c.encode(page.offset, forKey: Key("offset"))
        try c.encode(page.hasMore, forKey: Key("hasMore"))
    }
}
