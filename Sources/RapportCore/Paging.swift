#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One page of a longer list: at most `limit` items starting after `offset` of them, and whether more follow.
///
/// A store asked for `limit + 1` rows answers both at once (``of(_:limit:offset:)``), so no list counts or loads more
/// than it shows. `offset` is in items, from 0 to ``Paging/maxOffset``; `nextOffset` is where the next page starts.
public struct ListPage<Item> {
    public var items: [Item]
    public var limit: Int
    public var offset: Int
    public var hasMore: Bool

    /// The page from `fetched`, the rows a store returned for `limit + 1` from `offset`.
    public static func of(_ fetched: [Item], limit: Int, offset: Int) -> ListPage {
        ListPage(items: Array(fetched.prefix(limit)), limit: limit, offset: offset, hasMore: fetched.count > limit)
    }

    public init(items: [Item], limit: Int, offset: Int, hasMore: Bool) {
        self.items = items
        self.limit = limit
        self.offset = offset
        self.hasMore = hasMore
    }

    /// Where the next page starts, or nil on the last page.
    public var nextOffset: Int? { hasMore ? offset + limit : nil }
    /// Where the previous page starts, or nil on the first.
    public var previousOffset: Int? { offset > 0 ? max(offset - limit, 0) : nil }
    /// "51 to 100", or "none" on an empty page.
    public var shown: String { items.isEmpty ? "none" : "\(offset + 1) to \(offset + items.count)" }
}

extension ListPage: Sendable where Item: Sendable {}
extension ListPage: Equatable where Item: Equatable {}

/// The bounds every paged list shares.
public enum Paging {
    /// The largest offset any list accepts: far past any circle, well short of overflowing `offset + limit`.
    public static let maxOffset = 10_000_000

    /// Refuses, naming the field, an offset below 0 or above ``maxOffset``; `noun` says what is passed over.
    public static func check(offset: Int, of noun: String = "items") throws {
        guard (0...maxOffset).contains(offset) else {
            throw RapportError.invalid("offset", "give a number of \(noun) to skip from 0 to \(maxOffset) (it was \(offset))")
        }
    }
}
