import Foundation
import RapportCore

/// A catalog with the machine's real IANA zones, as the store builds it.
let zones = TimeZoneCatalog(identifiers: TimeZone.knownTimeZoneIdentifiers, accepts: { TimeZone(identifier: $0) != nil })

/// 2026-11-23 (a Monday) at `hour`:`minute` UTC.
func monday(_ hour: Int, _ minute: Int = 0) -> Date {
    Date(timeIntervalSince1970: 1_795_392_000 + Double(hour * 3600 + minute * 60))
}

func person(_ id: Int64, _ name: String, _ configure: (inout PersonDetails) -> Void = { _ in }) -> Person {
    var d = PersonDetails(name: name)
    configure(&d)
    return Person(id: PersonID(id), details: d, createdAt: monday(0), updatedAt: monday(0))
}

func fieldErrors(_ body: () throws -> Void) -> [FieldError] {
    do {
        try body()
        return []
    } catch let error as RapportError {
        return error.fieldErrors
    } catch {
        return [FieldError("unexpected", "\(error)")]
    }
}
