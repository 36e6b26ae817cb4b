extension StringProtocol {
    /// The first letter upper-cased, the rest as it is: "in person" → "In person".
    public var initialUpper: String { prefix(1).uppercased() + dropFirst() }

    /// The text without leading and trailing whitespace (spaces, tabs, newlines).
    public var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

/// The names closest to a misspelt one, for "did you mean …?" messages.
public enum ClosestNames {
    /// Up to `limit` of `candidates` within `maxDistance` edits of `name` (compared by their matching keys, so case
    /// and accents are free), closest first, ties in the order given.
    public static func to(_ name: String, among candidates: [String], maxDistance: Int, limit: Int) -> [String] {
        let key = name.matchingKey
        return candidates.enumerated()
            .map { (index: $0.offset, name: $0.element, distance: TimeZoneCatalog.editDistance(key, $0.element.matchingKey)) }
            .filter { $0.distance <= maxDistance }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
            .prefix(limit).map(\.name)
    }
}

extension Optional {
    /// `map` for an async transform.
    public func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension String {
    /// The number of an id reference: `12` or `#12` (spaces trimmed); nil otherwise.
    public var idNumber: Int64? {
        let t = trimmed
        return Int64(t.hasPrefix("#") ? String(t.dropFirst()) : t)
    }
}

extension Int {
    /// `value` rounded by `rule`, held within `Int`'s range: NaN is 0, anything beyond the ends is the end. Every
    /// figure computed in `Double` (a percentage, a projection, a rate) comes back to `Int` through here, because
    /// `Int(_: Double)` stops the process when the value does not fit (a goal with a target of 2e18, issue 16).
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        let rounded = value.rounded(rule)
        if rounded.isNaN { self = 0 }
        else if rounded >= 9.223372036854775e18 { self = .max }
        else if rounded <= -9.223372036854775e18 { self = .min }
        else { self = Int(rounded) }
    }
}

extension Double {
    /// One decimal place, as reports and charts show figures: `2.5`, `0.0`, `-0.5`.
    public var oneDecimal: String {
        let tenths = Int(saturating: self * 10)
        return (tenths < 0 ? "-" : "") + "\(tenths.magnitude / 10).\(tenths.magnitude % 10)"
    }
}

extension StringProtocol {
    /// "a" or "an" as the text begins with a consonant or a vowel letter: "an Operations Lead", "a Head of Ops".
    public var indefiniteArticle: String {
        guard let first = lowercased().first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }
}
