import Foundation
@testable import RapportStore
import Testing

@Suite("Stored moments")
struct TimestampTests {
    /// Stored moments are read digit by digit in the form Rapport writes; this compares that with the ISO 8601 parser
    /// over random moments from 1600 to 2400 (leap days and century years included) and with text it must leave to
    /// the parser (another form, a day the month does not have, an hour out of range).
    @Test("the canonical form is read as the ISO 8601 parser reads it; other text goes to the parser")
    func canonicalMatchesParser() {
        var random = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let seconds = round < 40
                ? [-11_676_096_000.0, 951_782_400, 951_868_800, 4_107_542_400, 0, 1_795_392_000 + 9 * 3600][round % 6] + Double(round / 6)
                : Double(Int64.random(in: -11_676_096_000...13_569_465_599, using: &random))
            let date = Date(timeIntervalSince1970: seconds)
            let text = Timestamp.string(date)
            #expect(Timestamp.canonical(text) == date, "\(text)")
            #expect(Timestamp.canonical(text) == (try? Date.ISO8601FormatStyle().parse(text)), "\(text)")
        }
        for text in ["2026-02-29T10:00:00Z", "2100-02-29T00:00:00Z", "2026-11-23T24:00:00Z", "2026-13-01T00:00:00Z",
                     "2026-11-23T09:00:00.500Z", "2026-11-23T09:00:00+01:00", "2026-11-23 09:00:00Z", "２026-11-23T09:00:00Z", ""] {
            #expect(Timestamp.canonical(text) == nil, "\(text)")
        }
        #expect(Timestamp.canonical("2000-02-29T23:59:59Z") == Date(timeIntervalSince1970: 951_868_799))
        #expect(Timestamp.date("2026-11-23T10:00:00+01:00") == Date(timeIntervalSince1970: 1_795_392_000 + 9 * 3600))
    }
}
