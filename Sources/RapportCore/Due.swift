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
        let cadence = policy.cadence(for: person.details)
        let start = CalendarDay(history.lastContact ?? person.createdAt, in: zone)
        let next = cadence.map { start.adding(days: $0.days) }
        return CadenceStatus(
            lastContact: history.lastContact, conversations: history.conversations, cadenceDays: cadence?.days,
            cadenceSource: cadence?.source, nextDue: next, daysOverdue: next.map { $0.days(to: today) },
            neverContacted: history.lastContact == nil)
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
    /// Due today or earlier: most overdue first, then warmest.
    public var overdue: [DuePerson]
    /// Coming due within `within` days, soonest first, then warmest.
    public var upcoming: [DuePerson]
    /// Open follow-ups due today or earlier, latest first.
    public var followUps: [DueFollowUp]
    /// People out of the list until a later day.
    public var snoozed: Int

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
            let la = a.status.daysOverdue ?? 0, lb = b.status.daysOverdue ?? 0
            if la != lb { return la > lb }
            if a.person.details.warmth != b.person.details.warmth { return a.person.details.warmth > b.person.details.warmth }
            if a.person.name != b.person.name { return a.person.name < b.person.name }
            return a.person.id < b.person.id
        }
        let dueFollowUps = followUps
            .filter { $0.isOpen && reachable.contains($0.person.id) }
            .compactMap { f -> DueFollowUp? in
                guard let day = f.dueDay, day <= today else { return nil }
                return DueFollowUp(followUp: f, daysLate: day.days(to: today))
            }
            .sorted { ($0.daysLate, $1.followUp.id) > ($1.daysLate, $0.followUp.id) }
        return DueReport(today: today, within: within, overdue: overdue.sorted(by: order), upcoming: upcoming.sorted(by: order),
                         followUps: dueFollowUps, snoozed: snoozed)
    }
}
