#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The IANA time zone names Rapport accepts, with suggestions for typos and inference from a city or phone.
///
/// The identifiers are handed in (from `TimeZone.knownTimeZoneIdentifiers` outside the core), so these rules stay
/// pure and testable.
public struct TimeZoneCatalog: Sendable {
    public let identifiers: [String]
    private let lowercased: [String: String]
    private let byCity: [String: String]

    /// - Parameters:
    ///   - identifiers: the zone names to suggest from.
    ///   - accepts: whether the platform can use a name that is not in `identifiers` (Linux Foundation lists
    ///     `Asia/Calcutta` yet accepts `Asia/Kolkata`); such names of the built-in tables are added.
    public init(identifiers: [String], accepts: (String) -> Bool = { _ in false }) {
        var all = Set(identifiers)
        for zone in Set(Self.cityAliases.values).union(Self.singleZoneCountries.values) where !all.contains(zone) && accepts(zone) {
            all.insert(zone)
        }
        self.identifiers = all.sorted()
        var lower: [String: String] = [:]
        var city: [String: String] = [:]
        for id in self.identifiers {
            lower[id.lowercased()] = id
            // "America/Argentina/Buenos_Aires" -> "buenos aires"; skip the "Etc/GMT+3" family.
            if let last = id.split(separator: "/").last, id.contains("/"), !id.hasPrefix("Etc/") {
                city[String(last).replacing("_", with: " ").matchingKey] = id
            }
        }
        for (alias, zone) in Self.cityAliases where lower[zone.lowercased()] != nil {
            city[alias.matchingKey] = zone
        }
        self.lowercased = lower
        self.byCity = city
    }

    /// The canonical spelling of `name` when it is a known zone (case-insensitively), else nil.
    public func canonical(_ name: String) -> String? {
        lowercased[name.trimmed.lowercased()]
    }

    /// The longest text ``editDistance(_:_:)`` compares letter by letter, in UTF-8 bytes.
    public static let editDistanceLimit = 200

    /// Up to `limit` real zone names closest to a misspelt one, best first; none for a text no zone name is near.
    public func suggestions(for name: String, limit: Int = 3) -> [String] {
        let query = name.trimmed.lowercased()
        guard !query.isEmpty, query.utf8.count <= Self.editDistanceLimit else { return [] }
        if let zone = byCity[query.replacing("_", with: " ")] { return [zone] }
        let scored = identifiers.map { id -> (String, Int) in
            let lower = id.lowercased()
            var distance = Self.editDistance(query, lower)
            if let last = lower.split(separator: "/").last {
                distance = min(distance, Self.editDistance(query, String(last)) + 1)
            }
            return (id, distance)
        }
        let threshold = max(2, query.count / 3)
        let close = scored.filter { $0.1 <= threshold }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        // Only the closest spellings: "Europe/Berlim" suggests Europe/Berlin, not every Europe/B....
        guard let best = close.first?.1 else { return [] }
        return close.filter { $0.1 == best }.prefix(limit).map(\.0)
    }

    /// The error for an unknown zone: `"Europe/Berlim": did you mean Europe/Berlin?`.
    public func unknownZoneError(_ name: String, field: String = "timeZone") -> FieldError {
        let close = suggestions(for: name)
        let hint = close.isEmpty
            ? "use an IANA name such as Europe/Berlin or America/New_York"
            : "did you mean \(close.joined(separator: " or "))?"
        let shown = name.count > 80 ? String(name.prefix(80)) + "…" : name
        return FieldError(field, "no time zone \"\(shown)\"; \(hint)")
    }

    /// The zone of a city, when the city names one (`Berlin`, `São Paulo`, `San Francisco`).
    public func zone(forCity city: String) -> String? {
        byCity[city.trimmed.matchingKey]
    }

    /// The zone of a country that has only one (`DE` -> Europe/Berlin); nil for the US, Brazil, Australia...
    public func zone(forCountry code: String) -> String? {
        guard let zone = Self.singleZoneCountries[code.uppercased()], canonical(zone) != nil else { return nil }
        return zone
    }

    /// The zone implied by an international phone number's country code, where that country has one zone.
    public func zone(forPhone phone: String) -> (zone: String, country: String)? {
        guard let country = PhoneNumber.countryCode(of: phone), let zone = zone(forCountry: country) else {
            return nil
        }
        return (zone, country)
    }

    /// Levenshtein distance over UTF-8 bytes.
    ///
    /// Only names are compared (zones, personas, fields): when either side is over ``editDistanceLimit`` bytes the
    /// answer is the longer length, "as far as can be", at once. The table costs the product of the lengths, so a
    /// 50,000-character "time zone" once held the server for a minute (issue 16).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.count > editDistanceLimit || b.count > editDistanceLimit { return max(a.count, b.count) }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Cities people type that are not the name of their zone.
    static let cityAliases: [String: String] = [
        "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles", "portland": "America/Los_Angeles",
        "san diego": "America/Los_Angeles", "san jose": "America/Los_Angeles", "palo alto": "America/Los_Angeles",
        "boston": "America/New_York", "washington": "America/New_York", "atlanta": "America/New_York",
        "miami": "America/New_York", "philadelphia": "America/New_York", "pittsburgh": "America/New_York",
        "austin": "America/Chicago", "dallas": "America/Chicago", "houston": "America/Chicago",
        "minneapolis": "America/Chicago", "salt lake city": "America/Denver", "montreal": "America/Toronto",
        "ottawa": "America/Toronto", "calgary": "America/Edmonton", "munich": "Europe/Berlin",
        "münchen": "Europe/Berlin", "hamburg": "Europe/Berlin", "frankfurt": "Europe/Berlin",
        "cologne": "Europe/Berlin", "köln": "Europe/Berlin", "barcelona": "Europe/Madrid",
        "milan": "Europe/Rome", "milano": "Europe/Rome", "lyon": "Europe/Paris", "manchester": "Europe/London",
        "edinburgh": "Europe/London", "geneva": "Europe/Zurich", "rotterdam": "Europe/Amsterdam",
        "gothenburg": "Europe/Stockholm", "krakow": "Europe/Warsaw", "kraków": "Europe/Warsaw",
        "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
        "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "chennai": "Asia/Kolkata", "pune": "Asia/Kolkata",
        "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo",
        "hanoi": "Asia/Bangkok", "abu dhabi": "Asia/Dubai", "tel aviv": "Asia/Jerusalem",
        "cape town": "Africa/Johannesburg", "canberra": "Australia/Sydney", "wellington": "Pacific/Auckland",
        "rio de janeiro": "America/Sao_Paulo", "rio": "America/Sao_Paulo",
    ]

    /// Countries with a single IANA zone (ISO 3166-1 alpha-2 -> zone).
    static let singleZoneCountries: [String: String] = [
        "GB": "Europe/London", "IE": "Europe/Dublin", "DE": "Europe/Berlin", "FR": "Europe/Paris",
        "IT": "Europe/Rome", "CH": "Europe/Zurich", "AT": "Europe/Vienna", "BE": "Europe/Brussels",
        "NL": "Europe/Amsterdam", "LU": "Europe/Luxembourg", "DK": "Europe/Copenhagen", "SE": "Europe/Stockholm",
        "NO": "Europe/Oslo", "FI": "Europe/Helsinki", "PL": "Europe/Warsaw", "CZ": "Europe/Prague",
        "SK": "Europe/Bratislava", "HU": "Europe/Budapest", "RO": "Europe/Bucharest", "BG": "Europe/Sofia",
        "GR": "Europe/Athens", "HR": "Europe/Zagreb", "SI": "Europe/Ljubljana", "RS": "Europe/Belgrade",
        "EE": "Europe/Tallinn", "LV": "Europe/Riga", "LT": "Europe/Vilnius", "IS": "Atlantic/Reykjavik",
        "TR": "Europe/Istanbul", "IL": "Asia/Jerusalem", "AE": "Asia/Dubai", "SA": "Asia/Riyadh",
        "QA": "Asia/Qatar", "EG": "Africa/Cairo", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos",
        "KE": "Africa/Nairobi", "MA": "Africa/Casablanca", "IN": "Asia/Kolkata", "PK": "Asia/Karachi",
        "BD": "Asia/Dhaka", "LK": "Asia/Colombo", "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur",
        "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "PH": "Asia/Manila", "JP": "Asia/Tokyo",
        "KR": "Asia/Seoul", "TW": "Asia/Taipei", "HK": "Asia/Hong_Kong", "CN": "Asia/Shanghai",
        "CO": "America/Bogota", "PE": "America/Lima", "VE": "America/Caracas", "UY": "America/Montevideo",
    ]
}

/// Checks and reads phone numbers.
public enum PhoneNumber {
    /// International calling codes of the single-zone countries above (longest prefixes are tried first).
    static let callingCodes: [String: String] = [
        "44": "GB", "353": "IE", "49": "DE", "33": "FR", "39": "IT", "41": "CH", "43": "AT", "32": "BE",
        "31": "NL", "352": "LU", "45": "DK", "46": "SE", "47": "NO", "358": "FI", "48": "PL", "420": "CZ",
        "421": "SK", "36": "HU", "40": "RO", "359": "BG", "30": "GR", "385": "HR", "386": "SI", "381": "RS",
        "372": "EE", "371": "LV", "370": "LT", "354": "IS", "90": "TR", "972": "IL", "971": "AE", "966": "SA",
        "974": "QA", "20": "EG", "27": "ZA", "234": "NG", "254": "KE", "212": "MA", "91": "IN", "92": "PK",
        "880": "BD", "94": "LK", "65": "SG", "60": "MY", "66": "TH", "84": "VN", "63": "PH", "81": "JP",
        "82": "KR", "886": "TW", "852": "HK", "86": "CN", "57": "CO", "51": "PE", "58": "VE", "598": "UY",
    ]

    /// The digits of a number, with a leading `+` kept: `+49 (30) 123-456` -> `+4930123456`.
    public static func digits(_ phone: String) -> String {
        var out = phone.trimmed.hasPrefix("+") ? "+" : ""
        out += phone.filter(\.isASCII).filter(\.isNumber)
        return out
    }

    /// The key two spellings of one number share, as close to E.164 as the number allows: its digits with a leading
    /// `+`, where the international prefix `00` counts as `+` (`0049 30 1234567` and `+49 (30) 123-4567` are
    /// `+49301234567`). A national number without its country code stays as its digits.
    public static func key(_ phone: String) -> String {
        // "+49 (0)30 …": the trunk prefix written for callers at home is not dialled from abroad.
        let d = digits(phone.trimmed.hasPrefix("+") || phone.trimmed.hasPrefix("00") ? phone.replacing("(0)", with: "") : phone)
        return d.hasPrefix("00") ? "+" + d.dropFirst(2) : d
    }

    /// Whether `phone` looks like a phone number: 7 to 15 digits, separators `space - . ( ) /`, optional `+`.
    public static func isValid(_ phone: String) -> Bool {
        let trimmed = phone.trimmed
        let allowed = Set("0123456789 -.()/")
        var body = Substring(trimmed)
        if body.hasPrefix("+") { body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ allowed.contains($0) }) else { return false }
        let count = body.filter(\.isNumber).count
        return (7...15).contains(count)
    }

    /// The ISO country of an international number (`+44 20 ...` -> `GB`), where the code is one we know.
    public static func countryCode(of phone: String) -> String? {
        let d = digits(phone)
        guard d.hasPrefix("+") else { return nil }
        let number = d.dropFirst()
        for length in [3, 2] where number.count > length {
            if let country = callingCodes[String(number.prefix(length))] { return country }
        }
        return nil
    }
}
