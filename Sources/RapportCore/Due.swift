#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What Rapport knows of a person's contact so far, from their conversations (and, later, call attempts).
public struct ContactHistory: Sendable, Codable, Equatable {
    /// Their latest conversation: any real touch resets the clock.
    public var lastContact: Date?
    /// The latest time I reached out to them (an outbound conversation).
    public var lastAsked: Date?
    public var conversations: Int
    /// Conversations I started that happened: they answered when asked.
    public var answered: Int
    /// Conversations they started.
    public var inbound: Int

    public init(lastContact: Date? = nil, lastAsked: Date? = nil, conversations: Int = 0, answered: Int = 0, inbound: Int = 0) {
        self.lastContact = lastContact
        self.lastAsked = lastAsked
        self.conversations = conversations
        self.answered = answered
        self.inbound = inbound
    }

    public static let none = ContactHistory()
}

/// Where a person stands on their cadence: derived, never stored.
public struct CadenceStatus: Sendable, Codable, Equatable {
    public var lastContact: Date?
    public var conversations: Int
    /// Days between conversations; nil when they are never due (stage `other` without a cadence).
    public var cadenceDays: Int?
    public var cadenceSource: CadenceSource?
    /// The day they are next due, in the user's zone; nil when never due.
    public var nextDue: CalendarDay?
    /// Days past due (positive: late; 0: due today; negative: due in that many days).
    public var daysOverdue: Int?
    /// Nobody has talked to them yet; their clock runs from the day they were added.
    public var neverContacted: Bool

    /// Computes the status of `person` as of `today` in `zone`.
    public static func of(_ person: Person, history: ContactHistory, policy: CadencePolicy, today: CalendarDay, zone: TimeZone) -> CadenceStatus {
        of(cadence: policy.cadence(for: person.details), lastContact: history.lastContact, createdAt: person.createdAt,
           conversations: history.conversations, today: today, zone: zone)
    }

    /// The same from the few facts it needs: the cadence (nil: never due), the latest direct conversation and when
    /// the person was added (the clock runs from then until the first one), as of `today` in `zone`.
    public static func of(
        cadence: (days: Int, source: CadenceSource)?, lastContact: Date?, createdAt: Date, conversations: Int,
        today: CalendarDay, zone: TimeZone
    ) -> CadenceStatus {
        let start = CalendarDay(lastContact ?? createdAt, in: zone)
        let next = cadence.map { start.adding(days: $0.days) }
        return CadenceStatus(
            lastContact: lastContact, conversations: conversations, cadenceDays: cadence?.days,
            cadenceSource: cadence?.source, nextDue: next, daysOverdue: next.map { $0.days(to: today) },
            neverContacted: lastContact == nil)
    }

    /// `12 days overdue`, `due today`, `due in 4 days`, or `no cadence`.
    public var phrase: String {
        guard let late = daysOverdue else { return "no cadence" }
        switch late {
        case 0: return "due today"
        case 1: return "1 day overdue"
        case 2...: return "\(late) days overdue"
        case -1: return "due tomorrow"
        default: return "due in \(-late) days"
        }
    }
}

/// A person in `due`, with where they stand.
public struct DuePerson: Sendable, Codable, Equatable {
    public var person: Person
    public var status: CadenceStatus

    public init(person: Person, status: CadenceStatus) {
        self.person = person
        self.status = status
    }
}

/// A follow-up in `due`, with how late it is.
public struct DueFollowUp: Sendable, Codable, Equatable {
    public var followUp: FollowUp
    /// Days past its due day (0: due today).
    public var daysLate: Int
}

/// The answer to "whom do I owe a call?".
public struct DueReport: Sendable, Codable, Equatable {
    public var today: CalendarDay
    public var within: Int
    /// Due today or earlier: most overdue first, then warmest. At most the report's `limit`, from `offset`.
    public var overdue: [DuePerson]
    /// Coming due within `within` days, soonest first, then warmest. At most the report's `limit`, from `offset`.
    public var upcoming: [DuePerson]
    /// Open follow-ups due today or earlier, latest first.
    public var followUps: [DueFollowUp]
    /// People out of the list until a later day.
    public var snoozed: Int
    /// Everyone overdue, whether listed in `overdue` or not.
    public var overdueCount: Int
    /// Everyone coming due within `within` days, whether listed in `upcoming` or not.
    public var upcomingCount: Int
    /// The most people listed in each of `overdue` and `upcoming`; nil: all of them.
    public var limit: Int?
    /// How many of each list were passed over before the first one listed.
    public var offset: Int

    public init(
        today: CalendarDay, within: Int, overdue: [DuePerson], upcoming: [DuePerson], followUps: [DueFollowUp],
        snoozed: Int, overdueCount: Int? = nil, upcomingCount: Int? = nil, limit: Int? = nil, offset: Int = 0
    ) {
        self.today = today
        self.within = within
        self.overdue = overdue
        self.upcoming = upcoming
        self.followUps = followUps
        self.snoozed = snoozed
        self.overdueCount = overdueCount ?? overdue.count
        self.upcomingCount = upcomingCount ?? upcoming.count
        self.limit = limit
        self.offset = offset
    }

    /// The most people one page lists.
    public static let maxLimit = 1_000

    /// Whether people are left out of either list after this page.
    public var hasMore: Bool {
        offset + overdue.count < overdueCount || offset + upcoming.count < upcomingCount
    }

    /// Which of `total` people a page listing `count` of them from `offset` shows: "51 to 100 shown", "none from
    /// 101"; nil when the list fits in one page. The CLI and the page say it alike.
    public func shown(_ count: Int, of total: Int) -> String? {
        guard offset > 0 || count < total else { return nil }
        return count == 0 ? "none from \(offset + 1)" : "\(offset + 1) to \(offset + count) shown"
    }

    /// The order of both lists: most overdue first (soonest due, for those coming due), then warmest, then by
    /// name and id. One definition for the report built here and the store's query.
    public static func precedes(
        _ a: (late: Int, warmth: Int, name: String, id: PersonID), _ b: (late: Int, warmth: Int, name: String, id: PersonID)
    ) -> Bool {
        if a.late != b.late { return a.late > b.late }
        if a.warmth != b.warmth { return a.warmth > b.warmth }
        if a.name != b.name { return a.name < b.name }
        return a.id < b.id
    }

    /// Builds the report from active people and open follow-ups. Archived, do-not-contact and snoozed people are
    /// left out, as are follow-ups of people left out for archive or do-not-contact.
    public static func build(
        people: [Person], histories: [PersonID: ContactHistory], followUps: [FollowUp], policy: CadencePolicy,
        today: CalendarDay, zone: TimeZone, within: Int
    ) -> DueReport {
        var overdue: [DuePerson] = []
        var upcoming: [DuePerson] = []
        var snoozed = 0
        var reachable = Set<PersonID>()
        for person in people where !person.archived && person.doNotContact == nil {
            reachable.insert(person.id)
            if let until = person.snoozedUntil, until > today {
                snoozed += 1
                continue
            }
            let status = CadenceStatus.of(person, history: histories[person.id] ?? .none, policy: policy, today: today, zone: zone)
            guard let late = status.daysOverdue else { continue }
            if late >= 0 {
                overdue.append(DuePerson(person: person, status: status))
            } else if -late <= within {
                upcoming.append(DuePerson(person: person, status: status))
            }
        }
        func order(_ a: DuePerson, _ b: DuePerson) -> Bool {
            precedes((a.status.daysOverdue ?? 0, a.person.details.warmth, a.person.name, a.person.id),
                     (b.status.daysOverdue ?? 0, b.person.details.warmth, b.person.name, b.person.id))
        }
        let waiting = Self.dueFollowUps(followUps.filter { reachable.contains($0.person.id) }, today: today)
        return DueReport(today: today, within: within, overdue: overdue.sorted(by: order), upcoming: upcoming.sorted(by: order),
                         followUps: waiting, snoozed: snoozed)
    }

    /// The open follow-ups of `followUps` due on `today` or before, latest first.
    public static func dueFollowUps(_ followUps: [FollowUp], today: CalendarDay) -> [DueFollowUp] {
        followUps
            .filter(\.isOpen)
            .compactMap { f -> DueFollowUp? in
                guard let day = f.dueDay, day <= today else { return nil }
                return DueFollowUp(followUp: f, daysLate: day.days(to: today))
            }
            .sorted { ($0.daysLate, $1.followUp.id) > ($1.daysLate, $0.followUp.id) }
    }
}
