import ArgumentParser
import RapportCore
import RapportStore

/// `rapport people ...`
struct PeopleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Your circle: add, show, edit, list, search, merge, archive and mark do-not-contact.",
        subcommands: [
            AddPerson.self, ShowPerson.self, EditPerson.self, ListPeople.self, SearchPeople.self, DuplicatePeople.self, MergePeople.self,
            ArchivePerson.self, UnarchivePerson.self, DoNotContactPerson.self, SnoozePerson.self, DeletePerson.self,
        ]
    )
}

struct AddPerson: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person to your circle.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Their full name.") var name: String
    @OptionGroup var options: PersonOptions
    @Flag(help: "Add them although someone with the same name or phone is already in your circle.")
    var allowDuplicate = false

    func run(in env: CLIEnvironment) async throws {
        let details = try options.patch().applied(to: PersonDetails(name: name))
        let saved = try await env.withStore(global) { store, account in
            try await store.people.add(details, allowDuplicate: allowDuplicate, as: account)
        }
        try PersonPrinter(env: env, json: global.json).saved(saved, verb: "added")
    }
}

struct ShowPerson: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show everything about a person.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String

    func run(in env: CLIEnvironment) async throws {
        let (found, status, clock) = try await env.withStore(global) { store, account in
            let found = try await store.people.resolve(person, as: account)
            let clock = try await store.clock(as: account)
            return (found, try await store.activity.status(of: found, clock: clock, as: account), clock)
        }
        if global.json { try env.json(PersonWithCadence(person: found, cadence: status)); return }
        PersonPrinter(env: env, json: false).details(found, status: status, clock: clock)
    }
}

struct EditPerson: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a person's fields.",
        discussion: "Options set a field; list options (--email, --tag, ...) add, --remove-... take away. An empty value (--company \"\") clears a field.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String
    @Option(help: "A new name.") var name: String?
    @OptionGroup var options: PersonOptions
    @Option(name: .customLong("remove-email"), help: "An email to remove. Repeatable.") var removeEmails: [String] = []
    @Option(name: .customLong("remove-phone"), help: "A phone number to remove. Repeatable.") var removePhones: [String] = []
    @Option(name: .customLong("remove-persona"), help: "A persona to take away. Repeatable.") var removePersonas: [String] = []
    @Option(name: .customLong("remove-tag"), help: "A tag to take away. Repeatable.") var removeTags: [String] = []
    @Option(name: .customLong("remove-previous"), help: "A previous company to remove. Repeatable.") var removePrevious: [String] = []
    @Option(name: .customLong("remove-link"), help: "A link to remove. Repeatable.") var removeLinks: [String] = []
    @Option(name: .customLong("remove-field"), help: "A custom field to remove, by key. Repeatable.") var removeFields: [String] = []
    @Option(name: .customLong("append-note"), help: "Markdown to add at the end of the notes.") var appendNote: String?

    /// The change this command's options describe.
    func patch() throws -> PersonPatch {
        var p = try options.patch()
        p.name = name
        p.emails.removed = removeEmails.map { ContactPoint(value: $0) }
        p.phones.removed = removePhones.map { ContactPoint(value: $0) }
        p.personas.removed = removePersonas
        p.tags.removed = removeTags
        p.previousCompanies.removed = removePrevious
        p.links.removed = removeLinks
        for key in removeFields { p.fieldChanges[key] = .some(nil) }
        p.appendedNotes = appendNote
        return p
    }

    func run(in env: CLIEnvironment) async throws {
        let patch = try patch()
        let saved = try await env.withStore(global) { store, account in
            let target = try await store.people.resolve(person, as: account)
            return try await store.people.update(target.id, with: patch, as: account)
        }
        try PersonPrinter(env: env, json: global.json).saved(saved, verb: "updated")
    }
}

struct ListPeople: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List people, with filters.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only people of this persona.") var persona: String?
    @Option(help: "Only people with this tag.") var tag: String?
    @Option(help: "Only people at this stage.") var stage: Stage?
    @Option(help: "Only people at this company.") var company: String?
    @Flag(help: "Only advocates.") var advocate = false
    @Flag(name: .customLong("off-record"), help: "Only people you can call off the record.") var offRecord = false
    @Flag(help: "Only archived people (they are hidden otherwise).") var archived = false
    @Option(help: "At most N people.") var limit = 500
    @Option(help: "Pass over this many first: the next page is --offset LIMIT.") var offset = 0

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        try MoreHint.validate(offset: offset)
    }

    func run(in env: CLIEnvironment) async throws {
        var filter = PersonFilter(
            persona: persona, tag: tag, stage: stage, company: company, advocate: advocate ? true : nil,
            offTheRecord: offRecord ? true : nil, archived: archived, limit: limit + 1)
        filter.offset = offset
        let fetched = try await env.withStore(global) { store, account in try await store.people.list(filter, as: account) }
        let page = ListPage.of(fetched, limit: limit, offset: offset)
        let filtered = persona != nil || tag != nil || stage != nil || company != nil || advocate || offRecord || archived
        if global.json { try env.json(page.items); return }
        if page.items.isEmpty && offset > 0 {
            env.output.line("No one on this page: the list has \(offset) \(offset == 1 ? "person" : "people") or fewer. The first page: rapport people list without --offset")
            return
        }
        PersonPrinter(env: env, json: false).table(page.items, filtered: filtered)
        if let more = MoreHint.line(page, command: "rapport people list", options: [
            ("--persona", persona), ("--tag", tag), ("--stage", stage?.rawValue), ("--company", company),
            ("--advocate", advocate ? "" : nil), ("--off-record", offRecord ? "" : nil), ("--archived", archived ? "" : nil),
        ], defaultLimit: 500, global: global) { env.output.line(more) }
    }
}

struct SearchPeople: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Full-text search over names, companies, titles, emails, tags and notes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to find; each matches the start of a word.") var query: String
    @Option(help: "At most N results.") var limit = 50
    @Option(help: "Pass over this many first: the next page is --offset LIMIT.") var offset = 0

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        try MoreHint.validate(offset: offset)
    }

    func run(in env: CLIEnvironment) async throws {
        let page = ListPage.of(try await env.withStore(global) { store, account in
            try await store.people.search(query, as: account, limit: limit + 1, offset: offset)
        }, limit: limit, offset: offset)
        let hits = page.items
        if global.json { try env.json(hits); return }
        defer { MoreHint.line(page, command: "rapport people search", arguments: [query], options: [], defaultLimit: 50, global: global).map(env.output.line) }
        if hits.isEmpty { env.output.line("Nobody matches \"\(query)\"."); return }
        for hit in hits {
            let p = hit.person
            var line = "#\(p.id)  \(p.name)"
            if let company = p.details.company { line += " (\(company))" }
            line += "  matched in \(hit.matchedIn.joined(separator: ", "))"
            if p.archived { line += "  [archived]" }
            env.output.line(line)
            if let excerpt = hit.excerpt { env.output.line("      \(excerpt)") }
        }
    }
}

struct DuplicatePeople: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List people who are likely one person: the same name (any case, accents or Unicode form) or phone.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let pairs = try await env.withStore(global) { store, account in try await store.people.duplicates(as: account) }
        if global.json { try env.json(pairs); return }
        if pairs.isEmpty { env.output.line("No likely duplicates."); return }
        env.output.line("\(pairs.count) likely duplicate\(pairs.count == 1 ? "" : "s"):")
        for pair in pairs {
            env.output.line("")
            env.output.line("  \(pair.first.disambiguationLabel)")
            env.output.line("  \(pair.second.disambiguationLabel)")
            env.output.line("  \(DuplicateBasis.describe(pair.basis)); merge with: rapport people merge \(pair.second.id) --into \(pair.first.id)")
        }
    }
}

struct MergePeople: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge a duplicate into another person, keeping everything of both.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The duplicate, which goes away.") var person: String
    @Option(help: "The person who stays.") var into: String

    func run(in env: CLIEnvironment) async throws {
        let (merged, sourceName) = try await env.withStore(global) { store, account in
            let source = try await store.people.resolve(person, as: account)
            let target = try await store.people.resolve(into, as: account)
            return (try await store.people.merge(source.id, into: target.id, as: account), source.disambiguationLabel)
        }
        if global.json { try env.json(merged); return }
        env.output.line("Merged \(sourceName) into #\(merged.id) \(merged.name).")
        PersonPrinter(env: env, json: false).details(merged)
    }
}

struct ArchivePerson: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive a person: kept, but out of lists and picks.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String

    func run(in env: CLIEnvironment) async throws {
        try await setArchived(true, person: person, global: global, env: env)
    }
}

struct UnarchivePerson: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "unarchive", abstract: "Bring an archived person back.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String

    func run(in env: CLIEnvironment) async throws {
        try await setArchived(false, person: person, global: global, env: env)
    }
}

/// Archives or restores the person `ref` names, and says so.
private func setArchived(_ archived: Bool, person ref: String, global: GlobalOptions, env: CLIEnvironment) async throws {
    let changed = try await env.withStore(global) { store, account in
        try await store.people.setArchived(try await store.people.resolve(ref, as: account).id, archived, as: account)
    }
    if global.json { try env.json(changed) } else { env.output.line("\(archived ? "Archived" : "Unarchived") #\(changed.id) \(changed.name).") }
}

struct DoNotContactPerson: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "dnc", abstract: "Mark a person do-not-contact with a reason, or clear it with --clear.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String
    @Option(help: "Why they must not be contacted.") var reason: String?
    @Flag(help: "They may be contacted again.") var clear = false

    func validate() throws {
        if clear == (reason != nil) {
            throw ValidationError("give either --reason TEXT (to mark them do-not-contact) or --clear (to lift it)")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let changed = try await env.withStore(global) { store, account in
            try await store.people.setDoNotContact(try await store.people.resolve(person, as: account).id, reason: reason, as: account)
        }
        if global.json { try env.json(changed); return }
        if let dnc = changed.doNotContact {
            env.output.line("#\(changed.id) \(changed.name) is now do-not-contact: \(dnc.reason)")
        } else {
            env.output.line("#\(changed.id) \(changed.name) may be contacted again.")
        }
    }
}

struct DeletePerson: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a person for good (asks for --yes).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String
    @Flag(help: "Yes, delete them and everything only theirs.") var yes = false

    func run(in env: CLIEnvironment) async throws {
        let deleted = try await env.withStore(global) { store, account in
            let target = try await store.people.resolve(person, as: account)
            guard yes else {
                throw RapportError.invalid("yes", "deleting \(target.disambiguationLabel) cannot be undone; add --yes to confirm, or archive them instead")
            }
            try await store.people.delete(target.id, as: account)
            return target
        }
        if global.json { try env.json(["deleted": deleted.id]) } else { env.output.line("Deleted #\(deleted.id) \(deleted.name).") }
    }
}
