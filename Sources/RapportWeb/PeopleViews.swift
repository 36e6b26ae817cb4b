import Foundation
import RapportCore
import RapportFormats

struct PeopleListView {
    var chrome = Chrome(people: true)
    var q: String
    var tag: String
    var archived: Bool
    var personaOptions: [Choice]
    var stageOptions: [Choice]
    var filtered: Bool
    var rows: [PersonRow] = []
    var count = 0
    var countNoun = "people"
    var hasPeople = false
    var pager: Pager?
    /// An offset past the end of the list: an empty page, not an empty circle.
    var pastEnd = false
    var error: String?
    /// Conversations whose notes or objective match the search, below the people.
    var conversationHits: [ConversationHitRow] = []
    var hasConversationHits = false
    var conversationHitLimit = PeoplePages.conversationHits
}

struct DuplicatesView {
    var chrome = Chrome(people: true)
    var pairs: [DuplicatePairRow]
    var hasPairs: Bool
    var csrf: String
}

struct DuplicatePairRow {
    var basis: String
    var firstID: String
    var firstName: String
    var firstFacts: String
    var secondID: String
    var secondName: String
    var secondFacts: String

    init(_ pair: DuplicatePair) {
        func facts(_ p: Person) -> String {
            ([p.details.company, p.details.emails.first?.value, p.details.phones.first?.value].compactMap { $0 }
                + (p.archived ? ["archived"] : [])).joined(separator: " · ")
        }
        basis = DuplicateBasis.describe(pair.basis).initialUpper
        firstID = pair.first.id.description
        firstName = pair.first.name
        firstFacts = facts(pair.first)
        secondID = pair.second.id.description
        secondName = pair.second.name
        secondFacts = facts(pair.second)
    }
}

struct ConversationHitRow {
    var conversation: ConversationRow
    var matchedIn: String
    var excerpt: String?
}

struct PersonRow {
    var id: String
    var name: String
    var company: String
    var title: String
    var personas: [String]
    var warmth: Int
    var warmthDots: String
    var advocate: Bool
    var offTheRecord: Bool
    var doNotContact: Bool
    var matchedIn: String?
    var excerpt: String?

    init(_ p: Person, hit: PersonSearchHit? = nil) {
        id = p.id.description
        name = p.name
        company = p.details.company ?? ""
        title = p.details.title ?? ""
        personas = p.details.personas
        warmth = p.details.warmth
        warmthDots = p.details.warmthDots
        advocate = p.details.advocate
        offTheRecord = p.details.offTheRecord
        doNotContact = p.doNotContact != nil
        matchedIn = hit.map { $0.matchedIn.joined(separator: ", ") }
        excerpt = hit?.excerpt
    }
}

struct PersonView {
    struct Fact {
        var label: String
        var value: String
        var href: String?
    }
    struct PersonaLink {
        var id: String
        var name: String
    }
    struct DNC {
        var reason: String
        var since: String
    }

    var chrome = Chrome(people: true)
    var id: String
    var name: String
    var headline: String
    var advocate: Bool
    var offTheRecord: Bool
    var archived: Bool
    var doNotContact: DNC?
    var personas: [PersonaLink]
    var tags: [String]
    var facts: [Fact]
    var notesHTML: String?
    var csrf: String
    var notices: [String] = []
    var dncError: String?
    var dncReason = ""
    var mergeError: String?
    var mergeInto = ""
    var status: StatusView?
    var timeline: [TimelineRow] = []
    var openFollowUps: [FollowUpRow] = [] { didSet { hasOpenFollowUps = !openFollowUps.isEmpty } }
    var hasOpenFollowUps = false
    var logForm: ConversationFormView?
    var followUpError: String?
    var followUpText = ""
    var followUpDue = ""

    init(_ p: Person, personas all: [Persona], csrf: String) {
        let d = p.details
        id = p.id.description
        name = p.name
        headline = [d.title, d.company.map { "at \($0)" }].compactMap { $0 }.joined(separator: " ")
        advocate = d.advocate
        offTheRecord = d.offTheRecord
        archived = p.archived
        doNotContact = p.doNotContact.map { DNC(reason: $0.reason, since: PartialDate.string(for: $0.since)) }
        personas = d.personas.map { name in
            PersonaLink(id: all.first { $0.name == name }?.id.description ?? "", name: name)
        }
        tags = d.tags
        var facts: [Fact] = []
        func add(_ label: String, _ value: String?, href: String? = nil) {
            if let value, !value.isEmpty { facts.append(Fact(label: label, value: value, href: href)) }
        }
        for email in d.emails { add("Email (\(email.label))", email.value, href: "mailto:" + email.value) }
        for phone in d.phones { add("Phone (\(phone.label))", phone.value, href: "tel:" + PhoneNumber.digits(phone.value)) }
        add("Company", d.company)
        add("Title", d.title)
        add("At the company since", d.since)
        add("Previously", d.previousCompanies.joined(separator: ", "))
        add("Place", [d.city, d.country].compactMap { $0 }.joined(separator: ", "))
        add("Time zone", d.timeZone)
        add("Business hours", d.hours.map { "\($0) on weekdays, their time" })
        add("Birthday", d.birthday?.label)
        add("Stage", d.stage.rawValue)
        add("How we met", d.source?.rawValue.replacing("-", with: " "))
        add("Warmth", "\(d.warmth) of 5")
        add("Preferred channel", d.preferredChannel?.rawValue)
        add("Cadence", d.cadenceDays.map { "every \($0) days" })
        for link in d.links where PersonRules.isWebLink(link) { add("Link", link, href: link) }
        for key in d.fields.keys.sorted() { add(key, d.fields[key]) }
        add("Added", PartialDate.string(for: p.createdAt))
        self.facts = facts
        notesHTML = d.notes.isEmpty ? nil : NotesRenderer.html(d.notes)
        self.csrf = csrf
    }
}
