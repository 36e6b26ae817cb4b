import Foundation
import RapportCore
import RapportStore
import Testing

func daysAgo(_ days: Double, hour: Double = 0) -> Date {
    fixedNow.addingTimeInterval(-days * 86_400 + hour * 3600)
}

func conversation(_ kind: ConversationKind = .call, _ people: [PersonID], at: Date = daysAgo(1), _ configure: (inout ConversationDetails) -> Void = { _ in }) -> ConversationDetails {
    var d = ConversationDetails(kind: kind, at: at)
    d.people = people
    configure(&d)
    return d
}

@Suite("Store contract: conversations, follow-ups, settings and due")
struct ConversationContractTests {
    @Test("a conversation round-trips with its people, company and follow-ups", arguments: Backend.available)
    func roundTrip(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Acme" }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park") { $0.company = "Globex" }, as: t.account).person
            let due = TypedMoment(date: daysAgo(-4), day: CalendarDay(year: 2026, month: 11, day: 27), hasTime: false)
            let logged = try await t.store.conversations.log(conversation(.video, [dana.id, lee.id, dana.id]) {
                $0.durationMinutes = 30
                $0.objective = "  Learn how exports are used "
                $0.met = .partly
                $0.notes = "Exports take **an hour**."
                $0.direction = .inbound
            }, followUps: [NewFollowUp(text: "Send the export spec", due: due), NewFollowUp(text: "Ask about SSO")], as: t.account)
            let c = logged.conversation
            #expect(c.people.map(\.name) == ["Dana Kim", "Lee Park"])
            #expect(c.details.company == "Acme")
            #expect(c.details.objective == "Learn how exports are used")
            #expect(c.details.at == daysAgo(1))
            #expect(c.title == "Video with Dana Kim, Lee Park")
            #expect(logged.followUps.map(\.text) == ["Send the export spec", "Ask about SSO"])
            #expect(logged.followUps.map(\.person.id) == [dana.id, dana.id])
            #expect(logged.followUps[0].dueDay == CalendarDay(year: 2026, month: 11, day: 27))
            #expect(logged.followUps[0].dueAt == nil)
            #expect(logged.followUps.allSatisfy { $0.conversation == c.id })
            #expect(try await t.store.conversations.get(c.id, as: t.account) == c)
        }
    }

    @Test("bad input is refused with every field named, and nothing is written", arguments: Backend.available)
    func refused(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let unnamedFollowUp = await failure {
                _ = try await t.store.conversations.log(conversation(.inPerson, []) { $0.unnamed = "a shopper" },
                                                        followUps: [NewFollowUp(text: "x")], as: t.account)
            }
            #expect(unnamedFollowUp?.fieldErrors.map(\.field) == ["followUp"])
            let rules = await failure {
                _ = try await t.store.conversations.log(conversation(.secondhand, [], at: daysAgo(-30)) { $0.durationMinutes = 0 }, as: t.account)
            }
            #expect(Set(rules?.fieldErrors.map(\.field) ?? []) == ["people", "duration", "via", "when"])
            let missing = await failure {
                _ = try await t.store.conversations.log(conversation(.call, [dana.id, PersonID(987_654)]), followUps: [NewFollowUp(text: "later")], as: t.account)
            }
            #expect(missing?.fieldErrors.first?.field == "people")
            let emptyFollowUp = await failure {
                _ = try await t.store.conversations.log(conversation(.call, [dana.id]), followUps: [NewFollowUp(text: "  ")], as: t.account)
            }
            #expect(emptyFollowUp?.fieldErrors.first?.field == "text")
            #expect(try await t.store.conversations.list(ConversationFilter(), as: t.account).isEmpty)
            #expect(try await t.store.followUps.list(.all, as: t.account).isEmpty)
        }
    }

    @Test("an unnamed person is allowed instead of people, and edits change only what they say", arguments: Backend.available)
    func unnamedAndEdit(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Acme" }, as: t.account).person
            let test = try await t.store.conversations.log(conversation(.inPerson, []) { $0.unnamed = "a shopper at the Berlin store" }, as: t.account).conversation
            #expect(test.title == "In person with a shopper at the Berlin store")
            #expect(test.details.company == nil)
            var patch = ConversationPatch()
            patch.people = .replace([dana.id])
            patch.objective = .set("Watch the checkout")
            let changed = try await t.store.conversations.update(test.id, with: patch, as: t.account)
            #expect(changed.people.map(\.name) == ["Dana Kim"])
            #expect(changed.details.company == "Acme")
            #expect(changed.details.unnamed == "a shopper at the Berlin store")
            #expect(changed.details.objective == "Watch the checkout")
            var nobody = ConversationPatch()
            (nobody.people, nobody.unnamed) = (.replace([]), .clear)
            let refused = await failure { _ = try await t.store.conversations.update(test.id, with: nobody, as: t.account) }
            #expect(refused?.fieldErrors.first?.field == "people")
            #expect(try await t.store.conversations.get(test.id, as: t.account) == changed)
        }
    }

    @Test("contact history follows edits of a conversation's time, direction and kind", arguments: Backend.available)
    func historyFollowsEdits(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let c = try await t.store.conversations.log(conversation(.call, [dana.id], at: daysAgo(40)), as: t.account).conversation
            var history = try await t.store.conversations.histories(for: [dana.id], as: t.account)[dana.id]
            #expect(history == ContactHistory(lastContact: daysAgo(40), lastAsked: daysAgo(40), conversations: 1, answered: 1, inbound: 0))
            var moved = ConversationPatch()
            (moved.at, moved.direction) = (daysAgo(2), .inbound)
            _ = try await t.store.conversations.update(c.id, with: moved, as: t.account)
            history = try await t.store.conversations.histories(for: [dana.id], as: t.account)[dana.id]
            #expect(history == ContactHistory(lastContact: daysAgo(2), lastAsked: nil, conversations: 1, answered: 0, inbound: 1))
            var reported = ConversationPatch()
            (reported.kind, reported.via) = (.secondhand, .set("Sam (sales)"))
            _ = try await t.store.conversations.update(c.id, with: reported, as: t.account)
            #expect(try await t.store.conversations.histories(for: [dana.id], as: t.account)[dana.id] == nil)
            #expect(try await t.store.conversations.histories(as: t.account).isEmpty)
        }
    }

    @Test("lists filter by person, company, kind and dates, newest first", arguments: Backend.available)
    func filters(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Acme" }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park") { $0.company = "Globex" }, as: t.account).person
            let a = try await t.store.conversations.log(conversation(.call, [dana.id], at: daysAgo(10)), as: t.account).conversation
            let b = try await t.store.conversations.log(conversation(.email, [lee.id], at: daysAgo(5)), as: t.account).conversation
            let c = try await t.store.conversations.log(conversation(.call, [dana.id, lee.id], at: daysAgo(1)), as: t.account).conversation
            let conversations = t.store.conversations
            #expect(try await conversations.list(ConversationFilter(), as: t.account).map(\.id) == [c.id, b.id, a.id])
            #expect(try await conversations.list(ConversationFilter(person: lee.id), as: t.account).map(\.id) == [c.id, b.id])
            #expect(try await conversations.list(ConversationFilter(company: "acme"), as: t.account).map(\.id) == [c.id, a.id])
            #expect(try await conversations.list(ConversationFilter(kind: .call), as: t.account).map(\.id) == [c.id, a.id])
            #expect(try await conversations.list(ConversationFilter(since: daysAgo(6), until: daysAgo(2)), as: t.account).map(\.id) == [b.id])
            // Another account sees none of them.
            let other = try await t.store.createAccount(named: "other-\(UUID().uuidString)")
            #expect(try await conversations.list(ConversationFilter(), as: other).isEmpty)
            #expect(await failure { _ = try await conversations.get(a.id, as: other) } == .notFound(.conversation, "#\(a.id)"))
        }
    }

    @Test("search finds words in notes and objectives and says where", arguments: Backend.available)
    func search(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let c = try await t.store.conversations.log(conversation(.call, [dana.id]) {
                $0.objective = "Understand the Monday report"
                $0.notes = "They paste the Südwind exports into a spreadsheet every week."
            }, as: t.account).conversation
            let second = try await t.store.conversations.log(conversation(.secondhand, [dana.id]) { $0.via = "Sam (sales)"; $0.notes = "Wants SSO" }, as: t.account).conversation
            let byNotes = try await t.store.conversations.search("sudwind export", as: t.account)
            #expect(byNotes.map(\.conversation.id) == [c.id])
            #expect(byNotes.first?.matchedIn == ["notes"])
            #expect(byNotes.first?.excerpt?.contains("Südwind exports") == true)
            #expect(try await t.store.conversations.search("monday", as: t.account).first?.matchedIn == ["objective"])
            #expect(try await t.store.conversations.search("sam", as: t.account).map(\.conversation.id) == [second.id])
            // Newest first: by id, whatever the rank (the objective's match weighs more than the notes').
            let third = try await t.store.conversations.log(conversation(.call, [dana.id]) { $0.notes = "Monday again" }, as: t.account).conversation
            #expect(try await t.store.conversations.search("monday", as: t.account).map(\.conversation.id) == [c.id, third.id])
            #expect(try await t.store.conversations.search("monday", as: t.account, order: .newest).map(\.conversation.id) == [third.id, c.id])
            #expect(try await t.store.conversations.search("monday", as: t.account, limit: 1, offset: 1, order: .newest).map(\.conversation.id) == [c.id])
            try await t.store.conversations.delete(third.id, as: t.account)
            // Edits and deletes keep the index in step.
            var renoted = ConversationPatch()
            renoted.notes = "Nothing about files."
            _ = try await t.store.conversations.update(c.id, with: renoted, as: t.account)
            #expect(try await t.store.conversations.search("sudwind", as: t.account).isEmpty)
            try await t.store.conversations.delete(second.id, as: t.account)
            #expect(try await t.store.conversations.search("sam", as: t.account).isEmpty)
            let other = try await t.store.createAccount(named: "other-\(UUID().uuidString)")
            #expect(try await t.store.conversations.search("monday", as: other).isEmpty)
        }
    }

    @Test("deleting a conversation keeps its people and their follow-ups; archiving keeps history", arguments: Backend.available)
    func deleteAndArchive(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let logged = try await t.store.conversations.log(conversation(.call, [dana.id]), followUps: [NewFollowUp(text: "Send spec")], as: t.account)
            let kept = try await t.store.conversations.log(conversation(.email, [dana.id], at: daysAgo(3)), as: t.account).conversation
            try await t.store.conversations.delete(logged.conversation.id, as: t.account)
            #expect(try await t.people.get(dana.id, as: t.account).name == "Dana Kim")
            let followUps = try await t.store.followUps.list(.all, person: dana.id, as: t.account)
            #expect(followUps.map(\.text) == ["Send spec"])
            #expect(followUps.first?.conversation == nil)
            _ = try await t.people.setArchived(dana.id, true, as: t.account)
            #expect(try await t.store.conversations.list(ConversationFilter(person: dana.id), as: t.account).map(\.id) == [kept.id])
            let history = try await t.store.conversations.histories(for: [dana.id], as: t.account)
            #expect(history[dana.id]?.conversations == 1)
            #expect(await failure { try await t.store.conversations.delete(logged.conversation.id, as: t.account) } == .notFound(.conversation, "#\(logged.conversation.id)"))
        }
    }

    @Test("deleting a person deletes conversations only they were in, and keeps shared ones without them", arguments: Backend.available)
    func deletePerson(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let lee = try await t.people.add(details("Lee Park"), as: t.account).person
            _ = try await t.store.conversations.log(conversation(.call, [dana.id]) { $0.notes = "alone with dana" }, followUps: [NewFollowUp(text: "hers")], as: t.account)
            let shared = try await t.store.conversations.log(conversation(.video, [dana.id, lee.id]), as: t.account).conversation
            try await t.people.delete(dana.id, as: t.account)
            let left = try await t.store.conversations.list(ConversationFilter(), as: t.account)
            #expect(left.map(\.id) == [shared.id])
            #expect(left.first?.people.map(\.name) == ["Lee Park"])
            #expect(try await t.store.conversations.search("alone", as: t.account).isEmpty)
            #expect(try await t.store.followUps.list(.all, as: t.account).isEmpty)
        }
    }

    @Test("merging two people moves their conversations and follow-ups; a shared conversation keeps one of them", arguments: Backend.available)
    func mergeWithHistory(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")] }, as: t.account).person
            let twin = try await t.people.add(details("D. Kim") { $0.emails = [ContactPoint(value: "dk@home.example")] }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park"), as: t.account).person
            let own = try await t.store.conversations.log(conversation(.call, [twin.id, lee.id], at: daysAgo(40)), followUps: [NewFollowUp(text: "twin's follow-up")], as: t.account)
            let shared = try await t.store.conversations.log(conversation(.video, [dana.id, twin.id], at: daysAgo(2)), as: t.account).conversation
            _ = try await t.store.followUps.add("loose one", person: twin.id, due: nil, as: t.account)
            let merged = try await t.people.merge(twin.id, into: dana.id, as: t.account)
            #expect(merged.details.emails.map(\.value) == ["dana@acme.com", "dk@home.example"])
            let list = try await t.store.conversations.list(ConversationFilter(person: dana.id), as: t.account)
            #expect(list.map(\.id) == [shared.id, own.conversation.id])
            #expect(list.first?.people.map(\.name) == ["Dana Kim"])
            #expect(list.last?.people.map(\.name) == ["Dana Kim", "Lee Park"])
            #expect(try await t.store.followUps.list(.all, person: dana.id, as: t.account).map(\.text).sorted() == ["loose one", "twin's follow-up"])
            let history = try await t.store.conversations.histories(for: [dana.id], as: t.account)[dana.id]
            #expect(history?.conversations == 2)
            #expect(history?.lastContact == daysAgo(2))
        }
    }

    @Test("follow-ups: add, list open and done, done, reopen, snooze, edit", arguments: Backend.available)
    func followUps(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let lee = try await t.people.add(details("Lee Park"), as: t.account).person
            let today = CalendarDay(year: 2026, month: 11, day: 23)
            let call = try await t.store.conversations.log(conversation(.call, [lee.id]), as: t.account).conversation
            let wrong = await failure { _ = try await t.store.followUps.add("x", person: dana.id, conversation: call.id, due: nil, as: t.account) }
            #expect(wrong?.fieldErrors.first?.field == "conversation")
            let friday = TypedMoment(date: fixedNow, day: today.adding(days: 4), hasTime: false)
            let timed = TypedMoment(date: fixedNow.addingTimeInterval(86_400 + 6 * 3600), day: today.adding(days: 1), hasTime: true)
            let a = try await t.store.followUps.add("Send spec", person: dana.id, due: friday, as: t.account)
            let b = try await t.store.followUps.add("Call back", person: dana.id, due: timed, as: t.account)
            let c = try await t.store.followUps.add("Some day", person: dana.id, due: nil, as: t.account)
            #expect(b.dueAt == timed.date)
            #expect(try await t.store.followUps.list(.open, as: t.account).map(\.id) == [b.id, a.id, c.id])
            let done = try await t.store.followUps.setDone(b.id, as: t.account)
            #expect(done.doneAt == fixedNow && !done.isOpen)
            #expect(try await t.store.followUps.list(.done, as: t.account).map(\.id) == [b.id])
            #expect(await failure { _ = try await t.store.followUps.snooze(b.id, until: friday, today: today, as: t.account) }?.fieldErrors.first?.field == "followUp")
            #expect(try await t.store.followUps.setDone(b.id, false, as: t.account).isOpen)
            let past = TypedMoment(date: fixedNow, day: today, hasTime: false)
            #expect(await failure { _ = try await t.store.followUps.snooze(a.id, until: past, today: today, as: t.account) }?.fieldErrors.first?.field == "until")
            let snoozed = try await t.store.followUps.snooze(a.id, until: TypedMoment(date: fixedNow, day: today.adding(days: 10), hasTime: false), today: today, as: t.account)
            #expect(snoozed.dueDay == today.adding(days: 10) && snoozed.snoozes == 1)
            let edited = try await t.store.followUps.edit(c.id, text: "Send the deck", due: .some(friday), as: t.account)
            #expect(edited.text == "Send the deck" && edited.dueDay == friday.day)
            let cleared = try await t.store.followUps.edit(c.id, text: nil, due: .some(nil), as: t.account)
            #expect(cleared.dueDay == nil && cleared.text == "Send the deck")
            #expect(await failure { _ = try await t.store.followUps.edit(c.id, text: " ", due: nil, as: t.account) }?.fieldErrors.first?.field == "text")
            #expect(try await t.store.followUps.get(c.id, as: t.account) == cleared)
        }
    }

    @Test("settings: stored per account, checked, reset to defaults", arguments: Backend.available)
    func settings(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            #expect(try await t.store.settings.get(as: t.account).cadence == .standard)
            _ = try await t.store.settings.set("cadence.customer", to: "45", as: t.account)
            let set = try await t.store.settings.set("timezone", to: "Berlin", as: t.account)
            #expect(set.value("cadence.customer") == "45")
            #expect(set.value("timezone") == "Europe/Berlin")
            #expect(await failure { _ = try await t.store.settings.set("cadence.customer", to: "-3", as: t.account) }?.fieldErrors.first?.field == "cadence.customer")
            #expect(await failure { _ = try await t.store.settings.set("colour", to: "blue", as: t.account) }?.fieldErrors.first?.field == "key")
            #expect(try await t.store.settings.get(as: t.account).value("cadence.customer") == "45")
            let other = try await t.store.createAccount(named: "other-\(UUID().uuidString)")
            #expect(try await t.store.settings.get(as: other).stored.isEmpty)
            let clock = try await t.store.clock(as: t.account)
            #expect(clock.zone.identifier == "Europe/Berlin")
            #expect(try await t.store.settings.reset("cadence.customer", as: t.account).value("cadence.customer") == "30")
        }
    }

    /// `due` is found in SQL from `people.last_contact_at` (kept by triggers) and one boundary per cadence; this
    /// compares it with the report built in Swift over every person and their full contact histories, after logs,
    /// edits that move a conversation or change its people, deletions, a merge and a settings change, in a zone
    /// with daylight saving and contacts near midnight, and checks that pages put together are the whole list.
    @Test("due from the people table is the report built over every person, page by page", arguments: Backend.available)
    func dueMatchesReference(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "America/New_York", as: t.account)
            var rng = SeededGenerator(seed: 17)
            var ids: [PersonID] = []
            let stages: [Stage] = [.customer, .prospect, .former, .partner, .other]
            for index in 0..<36 {
                let person = try await t.people.add(details("Person \(index)") {
                    $0.stage = stages[index % stages.count]
                    $0.warmth = 1 + index % 5
                    if index % 4 == 0 { $0.cadenceDays = [7, 14, 21, 45][index / 4 % 4] }
                }, allowDuplicate: true, as: t.account).person
                ids.append(person.id)
            }
            var logged: [ConversationID] = []
            for index in 0..<70 {
                // Whole days back plus an hour near midnight in New York (04:00-05:00 UTC), in summer and winter.
                let at = daysAgo(Double(Int.random(in: 0...200, using: &rng)), hour: [4.5, 3.5, 16, 23.9][index % 4])
                let who = Array(ids.shuffled(using: &rng).prefix(1 + index % 3))
                let kind: ConversationKind = index % 9 == 0 ? .secondhand : .call
                let dueDay = CalendarDay(fixedNow, in: .gmt).adding(days: Int.random(in: -20...5, using: &rng))
                let followUps = index % 5 == 0 && kind != .secondhand
                    ? [NewFollowUp(text: "Send the notes \(index)", due: TypedMoment(date: dueDay.moment(hour: 12, in: .gmt), day: dueDay, hasTime: false))] : []
                let c = try await t.store.conversations.log(conversation(kind, who, at: at) {
                    if kind == .secondhand { $0.via = "Sam (sales)" }
                }, followUps: followUps, as: t.account)
                logged.append(c.conversation.id)
            }
            for (index, id) in logged.enumerated() where index % 7 == 3 {
                var patch = ConversationPatch()
                patch.at = daysAgo(Double(index), hour: 4.2)
                patch.people = ListChange(added: [ids[index % ids.count]])
                _ = try await t.store.conversations.update(id, with: patch, as: t.account)
            }
            for id in logged.suffix(10) { try await t.store.conversations.delete(id, as: t.account) }
            _ = try await t.people.merge(ids[1], into: ids[2], as: t.account)
            _ = try await t.people.snooze(ids[5], until: CalendarDay(year: 2027, month: 1, day: 9), today: CalendarDay(fixedNow, in: .gmt), as: t.account)
            _ = try await t.people.setArchived(ids[6], true, as: t.account)
            for cadence in ["30", "10"] {
                _ = try await t.store.settings.set("cadence.customer", to: cadence, as: t.account)
                let clock = try await t.store.clock(as: t.account)
                for within in [0, 7, 60] {
                    let everyone = try await t.people.list(PersonFilter(archived: false, limit: 1_000), as: t.account)
                    let expected = DueReport.build(
                        people: everyone, histories: try await t.store.conversations.histories(as: t.account),
                        followUps: try await t.store.followUps.list(.open, as: t.account), policy: clock.settings.cadence,
                        today: clock.today, zone: clock.zone, within: within)
                    let found = try await t.store.activity.due(within: within, clock: clock, as: t.account)
                    #expect(found == expected, "within \(within), customer cadence \(cadence)")
                    #expect(found.overdueCount == expected.overdue.count && found.upcomingCount == expected.upcoming.count)
                    var overdue: [DuePerson] = [], upcoming: [DuePerson] = []
                    var offset = 0
                    while true {
                        let page = try await t.store.activity.due(within: within, limit: 4, offset: offset, clock: clock, as: t.account)
                        #expect(page.overdue.count <= 4 && page.upcoming.count <= 4)
                        #expect(page.overdueCount == expected.overdue.count)
                        overdue += page.overdue
                        upcoming += page.upcoming
                        offset += 4
                        if !page.hasMore { break }
                    }
                    #expect(overdue == expected.overdue && upcoming == expected.upcoming)
                }
            }
            let clock = try await t.store.clock(as: t.account)
            #expect(await failure { _ = try await t.store.activity.due(within: 0, limit: 0, clock: clock, as: t.account) }?.fieldErrors.first?.field == "limit")
            #expect(await failure { _ = try await t.store.activity.due(within: 0, offset: -1, clock: clock, as: t.account) }?.fieldErrors.first?.field == "offset")
        }
    }

    @Test("due: last contact resets the clock, second-hand does not, snooze and stage defaults apply", arguments: Backend.available)
    func due(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "UTC", as: t.account)
            let ada = try await t.people.add(details("Ada") { $0.warmth = 2 }, as: t.account).person
            let ben = try await t.people.add(details("Ben") { $0.warmth = 5 }, as: t.account).person
            let cy = try await t.people.add(details("Cy") { $0.stage = .prospect }, as: t.account).person
            let di = try await t.people.add(details("Di"), as: t.account).person
            let gone = try await t.people.add(details("Gone"), as: t.account).person
            _ = try await t.store.conversations.log(conversation(.call, [ada.id, ben.id], at: daysAgo(40)), as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [cy.id], at: daysAgo(25)), as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [di.id], at: daysAgo(50)), as: t.account)
            _ = try await t.store.conversations.log(conversation(.secondhand, [di.id], at: daysAgo(2)) { $0.via = "Sam (sales)" }, as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [gone.id], at: daysAgo(90)), followUps: [NewFollowUp(text: "never", due: TypedMoment(date: daysAgo(3), day: CalendarDay(year: 2026, month: 11, day: 20), hasTime: false))], as: t.account)
            _ = try await t.people.setArchived(gone.id, true, as: t.account)
            var clock = try await t.store.clock(as: t.account)
            var report = try await t.store.activity.due(within: 7, clock: clock, as: t.account)
            #expect(report.overdue.map(\.person.name) == ["Di", "Ben", "Ada", "Cy"])
            #expect(report.overdue.map { $0.status.daysOverdue } == [20, 10, 10, 4])
            #expect(report.followUps.isEmpty)
            // A new call resets Ben's clock; snoozing takes Ada out; a 45-day customer cadence moves Di.
            _ = try await t.store.conversations.log(conversation(.call, [ben.id], at: daysAgo(1)), as: t.account)
            _ = try await t.people.snooze(ada.id, until: CalendarDay(year: 2026, month: 12, day: 1), today: clock.today, as: t.account)
            _ = try await t.store.settings.set("cadence.customer", to: "45", as: t.account)
            clock = try await t.store.clock(as: t.account)
            report = try await t.store.activity.due(within: 7, clock: clock, as: t.account)
            #expect(report.overdue.map(\.person.name) == ["Di", "Cy"])
            #expect(report.overdue.first?.status.daysOverdue == 5)
            #expect(report.snoozed == 1)
            let status = try await t.store.activity.status(of: try await t.people.get(ben.id, as: t.account), clock: clock, as: t.account)
            #expect(status.cadenceDays == 45 && status.cadenceSource == .stage && status.daysOverdue == -44)
            #expect(await failure { _ = try await t.people.snooze(ada.id, until: clock.today, today: clock.today, as: t.account) }?.fieldErrors.first?.field == "until")
            #expect(await failure { _ = try await t.store.activity.due(within: -1, clock: clock, as: t.account) }?.fieldErrors.first?.field == "within")
        }
    }

    @Test("timelines: a person's and a company's conversations and follow-ups, newest first", arguments: Backend.available)
    func timelines(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "UTC", as: t.account)
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Acme" }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park") { $0.company = "Acme" }, as: t.account).person
            let old = try await t.store.conversations.log(conversation(.call, [dana.id], at: daysAgo(20)), as: t.account).conversation
            let recent = try await t.store.conversations.log(conversation(.email, [lee.id], at: daysAgo(2)), as: t.account).conversation
            let f = try await t.store.followUps.add("Send spec", person: dana.id, due: TypedMoment(date: daysAgo(-3), day: CalendarDay(year: 2026, month: 11, day: 26), hasTime: false), as: t.account)
            let clock = try await t.store.clock(as: t.account)
            let mine = try await t.store.activity.timeline(of: dana, clock: clock, as: t.account)
            #expect(mine.entries.map(\.type) == [.followUp, .conversation])
            #expect(mine.entries.first?.followUp?.id == f.id)
            #expect(mine.entries.last?.conversation?.id == old.id)
            #expect(mine.status?.conversations == 1)
            let company = try await t.store.activity.timeline(ofCompany: "ACME", clock: clock, as: t.account)
            #expect(company.company == "Acme")
            #expect(company.entries.compactMap(\.conversation?.id) == [recent.id, old.id])
            #expect(company.entries.compactMap(\.followUp?.id) == [f.id])
            #expect(await failure { _ = try await t.store.activity.timeline(ofCompany: "Nope", clock: clock, as: t.account) } == .notFound(.company, "Nope"))
        }
    }

    @Test("pick leaves the recently asked at the bottom and says so", arguments: Backend.available)
    func pickWithHistory(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let ops = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let warm = try await t.people.add(details("Warm Recent") { $0.personas = ["Ops Lead"]; $0.warmth = 5 }, as: t.account).person
            _ = try await t.people.add(details("Cool Quiet") { $0.personas = ["Ops Lead"]; $0.warmth = 3 }, as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [warm.id], at: daysAgo(3)), as: t.account)
            let pick = try await t.people.pick(from: ops, count: 2, now: fixedNow, as: t.account).result
            #expect(pick.suggestions.map(\.person.name) == ["Cool Quiet", "Warm Recent"])
            #expect(pick.suggestions.last?.reasons.contains { $0.text == "asked 3 days ago, within 14 days: give them a rest" } == true)
        }
    }
}

/// SplitMix64: a small deterministic generator, so a failing case can be run again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
