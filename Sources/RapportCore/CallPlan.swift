#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Someone who may go on the call sheet, and why.
public struct PlanCandidate: Sendable, Equatable {
    public var person: Person
    /// Why they are on the list: `12 days overdue`, `in the Ops Lead persona`, `in campaign Q4 exports`.
    public var why: String
    /// Days past due, for the order among people of one zone (more overdue first).
    public var daysOverdue: Int?
    /// The last thing we talked about: the latest conversation's objective or the start of its notes.
    public var lastTopic: String?
    /// What happened on calls to them today already (`no-answer at 09:20`).
    public var attemptsToday: [String]

    public init(person: Person, why: String, daysOverdue: Int? = nil, lastTopic: String? = nil, attemptsToday: [String] = []) {
        self.person = person
        self.why = why
        self.daysOverdue = daysOverdue
        self.lastTopic = lastTopic
        self.attemptsToday = attemptsToday
    }
}

/// The choices behind a call sheet.
public struct PlanOptions: Sendable, Equatable {
    /// The day, in my zone.
    public var day: CalendarDay
    /// My window, in my zone.
    public var from: ClockTime
    public var to: ClockTime
    public var slotMinutes: Int
    /// At most this many calls; nil for as many as fit.
    public var max: Int?

    public init(day: CalendarDay, from: ClockTime = ClockTime(hour: 9), to: ClockTime = ClockTime(hour: 17),
                slotMinutes: Int = 20, max: Int? = nil) {
        self.day = day
        self.from = from
        self.to = to
        self.slotMinutes = slotMinutes
        self.max = max
    }

    /// Fails, naming the field, for a window that ends before it starts, a slot out of 5 to 240 minutes or a max below 1.
    public func validated() throws -> PlanOptions {
        let errors = FieldErrors()
        if from >= to {
            errors.append("to", "\(to) is not after \(from); your window must end after it starts (for example --from 09:00 --to 17:00)")
        }
        if !(5...240).contains(slotMinutes) {
            errors.append("slot", "\(slotMinutes) minutes is out of range; give a slot from 5 to 240 minutes (default 20)")
        } else if from < to, to.minutes - from.minutes < slotMinutes {
            errors.append("slot", "a \(slotMinutes)-minute slot does not fit in \(from)-\(to); widen the window or shorten the slot")
        }
        if let max, max < 1 { errors.append("max", "give at least 1 call (it was \(max))") }
        try errors.throwIfAny()
        return self
    }
}

/// One call on the sheet.
public struct PlannedCall: Sendable, Codable, Equatable {
    public var position: Int
    public var person: PersonSummary
    public var company: String?
    public var phone: String
    /// The slot, in absolute time.
    public var start: Date
    public var end: Date
    /// `09:20` in my zone.
    public var myTime: String
    /// `17:20` in theirs, with `Fri` when their day differs from mine.
    public var theirTime: String
    public var theirZone: String
    /// Their offset from UTC at the slot, `+09:00`.
    public var theirOffset: String
    /// The place to say: their city, else their zone's city.
    public var place: String
    /// True when their zone is unknown and mine was assumed.
    public var zoneAssumed: Bool
    public var why: String
    public var lastTopic: String?
    public var attemptsToday: [String]
}

/// Someone who could not go on today's sheet, and why.
public struct PlanSkip: Sendable, Codable, Equatable {
    public var person: PersonSummary
    public var company: String?
    public var why: String
    public var reason: String

    init(_ candidate: PlanCandidate, reason: String) {
        person = candidate.person.summary
        company = candidate.person.details.company
        why = candidate.why
        self.reason = reason
    }
}

/// People of one zone and hours left off today's sheet for the same reason: their hours hold no slot of my window,
/// or every slot inside them is taken. A plan for everyone overdue can hold a thousand people in zones asleep during
/// my day; they are said once a place, not once a person.
public struct PlanGroup: Sendable, Codable, Equatable {
    /// Their zone, an IANA identifier (`Asia/Tokyo`); mine when theirs is unknown.
    public var zone: String
    /// The zone's city (`Tokyo`).
    public var place: String
    /// Their business hours (`09:00-18:00`), on weekdays.
    public var hours: String
    /// Why, the same for everyone in the group: `it is 18:00-02:00 in Tokyo during your window (their hours are
    /// 09:00-18:00 on weekdays)`, `no free slot left in the part of your window inside their hours (09:00-10:00 your
    /// time)`.
    public var reason: String
    /// Everyone in the group, in the plan's order (easternmost, most overdue, warmest first).
    public var people: [PersonSummary]

    /// Adds `person` to the group of `head`'s zone and hours in `groups`, making the group if it is the first.
    public static func add(_ person: PersonSummary, _ head: PlanGroup, to groups: inout [PlanGroup]) {
        if let index = groups.firstIndex(where: { $0.zone == head.zone && $0.hours == head.hours }) {
            groups[index].people.append(person)
        } else {
            var group = head
            group.people = [person]
            groups.append(group)
        }
    }
}

/// Today's call sheet.
public struct CallPlan: Sendable, Codable, Equatable {
    public var day: CalendarDay
    public var zone: String
    public var from: ClockTime
    public var to: ClockTime
    public var slotMinutes: Int
    public var calls: [PlannedCall]
    /// People who cannot be called today, with the reason (their hours, the limit, snoozed, ...).
    public var notToday: [PlanSkip]
    /// People with no phone (or only numbers marked wrong).
    public var noPhone: [PlanSkip]
    /// People whose hours hold no slot of my window, one group per zone and hours, in the plan's order.
    public var outsideHours: [PlanGroup] = []
    /// People whose hours hold slots of my window, all taken by people before them, one group per zone and hours.
    public var noSlotLeft: [PlanGroup] = []
    /// Overdue people not looked at because the plan was full (every slot taken, or the day's limit reached) before
    /// their turn in the plan's order; `due` lists them.
    public var notReached: Int = 0

    /// Everyone in ``outsideHours``.
    public var outsideHoursCount: Int { outsideHours.reduce(0) { $0 + $1.people.count } }
    /// Everyone in ``noSlotLeft``.
    public var noSlotLeftCount: Int { noSlotLeft.reduce(0) { $0 + $1.people.count } }
}

/// The slots of my window and which of them fall in a zone's business hours, each zone and hours worked out once
/// (most people share both): what ``CallPlanner`` gives out, and what a store can ask of people's zone and hours
/// before loading them.
public struct SlotFit: Sendable {
    /// My window's slots, as moments.
    public let slots: [Date]
    public let length: TimeInterval
    public let myZone: TimeZone
    /// The start of my window, at which each zone's offset is taken for the plan's order.
    public let windowOpens: Date
    private var zones: [String: TimeZone?] = [:]
    private struct Key: Hashable {
        let zone: String
        let hours: BusinessHours
    }
    private var fitting: [Key: [Int]] = [:]
    private var outside: [Key: PlanGroup] = [:]
    private var full: [Key: PlanGroup] = [:]

    public init(_ options: PlanOptions, zone myZone: TimeZone) {
        var slots: [Date] = []
        var minute = options.from.minutes
        while minute + options.slotMinutes <= options.to.minutes {
            slots.append(options.day.moment(hour: minute / 60, minute: minute % 60, in: myZone))
            minute += options.slotMinutes
        }
        self.slots = slots
        length = TimeInterval(options.slotMinutes * 60)
        self.myZone = myZone
        windowOpens = CallPlanner.windowStart(options, zone: myZone)
    }

    /// The zone a person is called in, from its IANA identifier: theirs when known, else mine (`assumed`).
    public mutating func zone(_ name: String?) -> (zone: TimeZone, assumed: Bool) {
        guard let name else { return (myZone, true) }
        if let known = zones[name] { return (known ?? myZone, known == nil) }
        let zone = TimeZone(identifier: name)
        zones[name] = zone
        return (zone ?? myZone, zone == nil)
    }

    /// Indexes into ``slots`` of the slots wholly inside `hours` (on a weekday) in `zone`.
    public mutating func fits(_ zone: TimeZone, hours: BusinessHours) -> [Int] {
        let key = Key(zone: zone.identifier, hours: hours)
        if let known = fitting[key] { return known }
        let found = slots.indices.filter { CallPlanner.fitsHours(slots[$0], length: length, hours: hours, zone: zone) }
        fitting[key] = found
        return found
    }

    /// The group of people in `zone` with `hours` when no slot fits them (people left empty), else nil.
    public mutating func outsideHours(_ zone: TimeZone, hours: BusinessHours) -> PlanGroup? {
        guard fits(zone, hours: hours).isEmpty else { return nil }
        let key = Key(zone: zone.identifier, hours: hours)
        if let known = outside[key] { return known }
        let place = CallPlanner.cityName(zone)
        let group = PlanGroup(
            zone: zone.identifier, place: place, hours: hours.description,
            reason: CallPlanner.outsideReason(slots: slots, length: length, hours: hours, zone: zone, place: place), people: [])
        outside[key] = group
        return group
    }

    /// The group of people in `zone` with `hours` when slots fit them but every one is `taken` (people left empty),
    /// else nil.
    public mutating func noSlotLeft(_ zone: TimeZone, hours: BusinessHours, taken: Set<Int>) -> PlanGroup? {
        let fits = fits(zone, hours: hours)
        guard let firstFit = fits.first, let lastFit = fits.last, fits.allSatisfy(taken.contains) else { return nil }
        let key = Key(zone: zone.identifier, hours: hours)
        if let known = full[key] { return known }
        let first = LocalTime.clock(slots[firstFit], in: myZone), last = LocalTime.clock(slots[lastFit].addingTimeInterval(length), in: myZone)
        let group = PlanGroup(
            zone: zone.identifier, place: CallPlanner.cityName(zone), hours: hours.description,
            reason: "no free slot left in the part of your window inside their hours (\(first)-\(last) your time)", people: [])
        full[key] = group
        return group
    }

    /// The indexes into ``slots`` of `plan`'s calls.
    public func taken(by plan: CallPlan) -> Set<Int> {
        var index: [Date: Int] = [:]
        for (i, slot) in slots.enumerated() { index[slot] = i }
        return Set(plan.calls.compactMap { index[$0.start] })
    }
}

public enum CallPlanner {
    public static func build(_ candidates: [PlanCandidate], options: PlanOptions, zone myZone: TimeZone) -> CallPlan {
        var fit = SlotFit(options, zone: myZone)
        return build(candidates, options: options, fit: &fit)
    }

    /// ``build(_:options:zone:)`` with the slots and fits worked out already (a store shares them with the walk that
    /// decided whom to load). Each person is checked in one order, in ``precedes(_:_:)``'s: unavailable today
    /// (``unavailable(_:today:)``), outside their hours (grouped), every slot in their hours taken (grouped), without a
    /// phone, over the day's limit; the rest are given the first free slot in their hours.
    public static func build(_ candidates: [PlanCandidate], options: PlanOptions, fit: inout SlotFit) -> CallPlan {
        let myZone = fit.myZone
        var plan = CallPlan(day: options.day, zone: myZone.identifier, from: options.from, to: options.to,
                            slotMinutes: options.slotMinutes, calls: [], notToday: [], noPhone: [])
        let slots = fit.slots, slotLength = fit.length
        var taken = Array(repeating: false, count: slots.count)

        struct Ready {
            var candidate: PlanCandidate
            var zone: TimeZone
            var assumed: Bool
            var offset: Int
        }
        var ready: [Ready] = []
        var seen = Set<PersonID>()
        for candidate in candidates where seen.insert(candidate.person.id).inserted {
            let person = candidate.person
            if let reason = unavailable(person, today: options.day) {
                plan.notToday.append(PlanSkip(candidate, reason: reason))
                continue
            }
            let (zone, assumed) = fit.zone(person.details.timeZone)
            ready.append(Ready(candidate: candidate, zone: zone, assumed: assumed, offset: zone.secondsFromGMT(for: fit.windowOpens)))
        }
        ready.sort { a, b in
            precedes(OrderKey(offset: a.offset, daysOverdue: a.candidate.daysOverdue, warmth: a.candidate.person.details.warmth,
                              name: a.candidate.person.name, id: a.candidate.person.id),
                     OrderKey(offset: b.offset, daysOverdue: b.candidate.daysOverdue, warmth: b.candidate.person.details.warmth,
                              name: b.candidate.person.name, id: b.candidate.person.id))
        }
        for item in ready {
            let person = item.candidate.person
            let hours = person.details.hours ?? .standard
            if let group = fit.outsideHours(item.zone, hours: hours) {
                PlanGroup.add(person.summary, group, to: &plan.outsideHours)
                continue
            }
            let fits = fit.fits(item.zone, hours: hours)
            guard let index = fits.first(where: { !taken[$0] }) else {
                if let group = fit.noSlotLeft(item.zone, hours: hours, taken: Set(fits)) {
                    PlanGroup.add(person.summary, group, to: &plan.noSlotLeft)
                }
                continue
            }
            guard let phone = person.callablePhone else {
                plan.noPhone.append(PlanSkip(item.candidate, reason: person.details.phones.isEmpty ? "no phone" : "no phone: every number is marked wrong"))
                continue
            }
            if let max = options.max, plan.calls.count >= max {
                plan.notToday.append(PlanSkip(item.candidate, reason: "over today's limit of \(max) call\(max == 1 ? "" : "s")"))
                continue
            }
            taken[index] = true
            let start = slots[index]
            let mine = LocalMoment(start, in: myZone), theirs = LocalMoment(start, in: item.zone)
            let theirTime = theirs.day == mine.day ? theirs.time.description : theirs.shortLabel
            plan.calls.append(PlannedCall(
                position: 0, person: person.summary, company: person.details.company, phone: phone.value,
                start: start, end: start.addingTimeInterval(slotLength), myTime: mine.time.description, theirTime: theirTime,
                theirZone: item.zone.identifier, theirOffset: offsetLabel(item.zone.secondsFromGMT(for: start)),
                place: placeName(person, zone: item.zone), zoneAssumed: item.assumed,
                why: item.assumed ? item.candidate.why + " (time zone unknown: yours assumed)" : item.candidate.why,
                lastTopic: item.candidate.lastTopic, attemptsToday: item.candidate.attemptsToday))
        }
        plan.calls.sort { $0.start < $1.start }
        for index in plan.calls.indices { plan.calls[index].position = index + 1 }
        return plan
    }

    /// What orders the people who can be called: their zone's offset from UTC at the start of my window
    /// (easternmost first), then days overdue (more first; none last), warmth (warmer first), name and id.
    public struct OrderKey: Sendable {
        public var offset: Int
        public var daysOverdue: Int?
        public var warmth: Int
        public var name: String
        public var id: PersonID

        public init(offset: Int, daysOverdue: Int?, warmth: Int, name: String, id: PersonID) {
            self.offset = offset
            self.daysOverdue = daysOverdue
            self.warmth = warmth
            self.name = name
            self.id = id
        }
    }

    /// The order in which ``build(_:options:zone:)`` gives out slots.
    public static func precedes(_ a: OrderKey, _ b: OrderKey) -> Bool {
        if a.offset != b.offset { return a.offset > b.offset }
        let da = a.daysOverdue ?? Int.min, db = b.daysOverdue ?? Int.min
        if da != db { return da > db }
        if a.warmth != b.warmth { return a.warmth > b.warmth }
        if a.name != b.name { return a.name < b.name }
        return a.id < b.id
    }

    /// The start of my window, as a moment.
    public static func windowStart(_ options: PlanOptions, zone myZone: TimeZone) -> Date {
        options.day.moment(hour: options.from.hour, minute: options.from.minute, in: myZone)
    }

    /// How many slots my window holds.
    public static func slotCount(_ options: PlanOptions) -> Int {
        max(0, (options.to.minutes - options.from.minutes) / options.slotMinutes)
    }

    /// True when nobody later in the order can get a call: every slot is taken or the day's limit is reached.
    public static func isFull(_ plan: CallPlan, options: PlanOptions) -> Bool {
        if let max = options.max, plan.calls.count >= max { return true }
        return plan.calls.count >= slotCount(options)
    }

    /// Why a person is off every list today, or nil.
    public static func unavailable(_ person: Person, today: CalendarDay) -> String? {
        if person.archived { return "archived" }
        if let dnc = person.doNotContact { return "do not contact: \(dnc.reason)" }
        if let until = person.snoozedUntil, until > today { return "snoozed until \(until.label)" }
        if let until = person.pausedUntil, until > today { return "paused until \(until.label) after missed calls in a row" }
        return nil
    }

    static func fitsHours(_ start: Date, length: TimeInterval, hours: BusinessHours, zone: TimeZone) -> Bool {
        let begin = LocalMoment(start, in: zone)
        let finish = LocalMoment(start.addingTimeInterval(length), in: zone)
        // A call that ends at their midnight ends at minute 1440 of the day it began.
        let endMinutes = finish.day == begin.day ? finish.minutes : (finish.minutes == 0 && finish.day == begin.day.adding(days: 1) ? 1440 : -1)
        guard endMinutes >= 0 else { return false }
        return hours.contains(weekday: begin.isoWeekday, from: begin.minutes, to: endMinutes)
    }

    static func outsideReason(slots: [Date], length: TimeInterval, hours: BusinessHours, zone: TimeZone, place: String) -> String {
        guard let first = slots.first, let last = slots.last else { return "your window has no slot" }
        let begin = LocalMoment(first, in: zone), end = LocalMoment(last.addingTimeInterval(length), in: zone)
        let theirHours = "their hours are \(hours) on weekdays"
        let weekendAll = slots.allSatisfy { LocalMoment($0, in: zone).isoWeekday >= 6 }
        if weekendAll {
            return "it is \(begin.day.weekdayName) in \(place) during your window (\(theirHours))"
        }
        let span = begin.day == end.day
            ? "\(begin.time)-\(end.time)"
            : "\(begin.shortLabel)-\(end.shortLabel)"
        return "it is \(span) in \(place) during your window (\(theirHours))"
    }

    /// Their city when known, else their zone's (``cityName(_:)``).
    public static func placeName(_ person: Person, zone: TimeZone) -> String {
        if let city = person.details.city, !city.isEmpty { return city }
        return cityName(zone)
    }

    /// The city a zone is named after: the last part of its identifier (`Asia/Kolkata` is Kolkata, `America/New_York`
    /// New York).
    public static func cityName(_ zone: TimeZone) -> String {
        zone.identifier.split(separator: "/").last.map { String($0.map { $0 == "_" ? " " : $0 }) } ?? zone.identifier
    }

    /// `+05:30`, `-08:00`.
    public static func offsetLabel(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return "\(sign)\(PartialDate.pad(minutes / 60)):\(PartialDate.pad(minutes % 60))"
    }
}
