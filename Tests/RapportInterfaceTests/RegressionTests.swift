import Foundation
import HTTPTypes
import HummingbirdTesting
import RapportCore
import RapportStore
import Testing

/// The seven cases of "Real names in every script", kept as they were seen.
@Suite("Real names: the cases that were seen")
struct RegressionTests {
    @Test("1. a name with an upper-case non-ASCII letter is named in every command that takes a person")
    func upperCaseNonASCII() async throws {
        try await Circle.with { c in
            for (name, zone) in [("Álvaro Núñez", "Europe/Madrid"), ("Łukasz Wróbel", "Europe/Warsaw"), ("Émilie Fournier", "Europe/Paris")] {
                let added = await c.cli("people", "add", name, "--tz", zone, "--phone", "+33 1 23 45 67 89", "--allow-duplicate")
                #expect(added.code == 0, "\(added.err)")
            }
            for ref in ["Álvaro Núñez", "álvaro", "Álvaro", "ÁLVARO", "alvaro nunez"] {
                let shown = await c.cli("people", "show", ref)
                #expect(shown.code == 0 && shown.out.hasPrefix("Álvaro Núñez"), "\(ref): \(shown.err)")
            }
            for ref in ["Łukasz Wróbel", "łukasz", "LUKASZ"] { #expect(await c.cli("people", "show", ref).code == 0, "\(ref)") }
            for ref in ["Émilie Fournier", "ÉMILIE", "emilie"] { #expect(await c.cli("people", "show", ref).code == 0, "\(ref)") }
            let logged = await c.cli("log", "call", "Álvaro Núñez", "--note", "Exports")
            #expect(logged.code == 0, "\(logged.err)")
            let followUp = await c.cli("followups", "add", "Send the spec", "--person", "Łukasz Wróbel", "--due", "tomorrow")
            #expect(followUp.code == 0, "\(followUp.err)")
            let plan = await c.cli("plan", "--people", "Émilie Fournier", "--date", "2026-11-24")
            #expect(plan.code == 0 && plan.out.contains("Émilie Fournier"), "\(plan.err)")
        }
    }

    @Test("2. a name pasted decomposed is stored composed and found typed either way")
    func decomposed() async throws {
        try await Circle.with { c in
            let added = await c.cli("people", "add", "Zoe\u{308} Mu\u{308}ller", "--json")
            let stored = try added.object()["name"] as? String
            #expect(stored.map { Array($0.utf8) } == Array("Zo\u{EB} M\u{FC}ller".utf8))
            #expect(added.out.utf8.contains(0xC3) && !added.out.unicodeScalars.contains("\u{308}"))
            for ref in ["Zo\u{EB}", "M\u{FC}ller", "Zoe\u{308}", "zoe muller"] {
                #expect(await c.cli("people", "show", ref).code == 0, "\(ref)")
            }
            #expect(await c.cli("people", "add", "Chlo\u{E9} B\u{E9}nard").code == 0)
            let shown = await c.cli("people", "show", "Chloe\u{301}")
            #expect(shown.code == 0 && shown.out.hasPrefix("Chloé Bénard"), "\(shown.err)")
        }
    }

    @Test("3. a word inside a Chinese, Japanese or Korean name or company is found, as name look-up finds it")
    func cjk() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "王小明", "--company", "深圳快运有限公司").code == 0)
            #expect(await c.cli("people", "add", "김민준").code == 0)
            #expect(await c.cli("people", "add", "佐藤さくら", "--company", "株式会社トヨタ").code == 0)
            for (query, field, who) in [("小明", "name", "王小明"), ("快运", "company", "王小明"), ("민준", "name", "김민준"),
                                        ("さくら", "name", "佐藤さくら"), ("トヨタ", "company", "佐藤さくら")] {
                let found = await c.cli("people", "search", query)
                #expect(found.out.contains(who) && found.out.contains("matched in \(field)"), "\(query): \(found.out)")
                if field == "name" { #expect(await c.cli("people", "show", query).out.hasPrefix(who), "show \(query)") }
            }
        }
    }

    @Test("4. a hit on a letter outside any hand-made table still says where it matched")
    func matchedIn() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Ștefan Țurcanu", "--company", "Ţesătoria").code == 0)
            let found = await c.cli("people", "search", "stefan")
            #expect(found.out.contains("matched in name"), "\(found.out)")
            #expect(await c.cli("search", "tesatoria").out.contains("matched in company"))
        }
    }

    @Test("5. calendar files end lines in CRLF, and an empty plan is said, not written as an empty calendar")
    func calendar() async throws {
        try await Circle.with { c in
            let empty = await c.cli("plan", "--date", "2026-11-24", "--format", "ics")
            #expect(empty.code == 1 && empty.out.isEmpty && empty.err.contains("has no calls, so there is no calendar to write"), "\(empty.err)")
            #expect(await c.cli("people", "add", "Dana Kim", "--phone", "+49 30 1234567", "--tz", "Europe/Berlin").code == 0)
            let ics = await c.cli("plan", "--people", "dana", "--date", "2026-11-24", "--format", "ics")
            #expect(ics.code == 0, "\(ics.err)")
            let bytes = Array(ics.out.utf8)
            #expect(ics.out.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.out.hasSuffix("END:VCALENDAR\r\n"))
            #expect(ics.out.contains("BEGIN:VEVENT\r\n"))
            for (i, byte) in bytes.enumerated() where byte == 0x0A { #expect(i > 0 && bytes[i - 1] == 0x0D, "a bare LF at \(i)") }
            try await c.web { client in
                let file = try await client.execute(uri: "/api/v1/plan?people=dana&date=2026-11-24&format=ics", method: .get)
                #expect(file.status == .ok && file.text.hasPrefix("BEGIN:VCALENDAR\r\n") && file.text.contains("BEGIN:VEVENT\r\n"))
                let none = try await client.execute(uri: "/api/v1/plan?date=2026-11-28&format=ics", method: .get)
                #expect(none.status == .conflict && none.text.contains("no calendar to write"), "\(none.text)")
                let page = try await client.execute(uri: "/plan?date=2026-11-28", method: .get)
                #expect(page.status == .ok && !page.text.contains("format=ics"))
            }
        }
    }

    @Test("7. a duplicate is caught on the way in: CLI, form (with Open and Add anyway) and API (409, allowDuplicate)")
    func duplicates() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Dana Kim", "--company", "Nordwind Logistics", "--email", "dana@nordwind.example").code == 0)
            let again = await c.cli("people", "add", "Dana Kim")
            #expect(again.code == 1)
            #expect(again.err == "error: Dana Kim (#1, Nordwind Logistics, dana@nordwind.example) is already in your circle (same name); use `rapport people show 1`, merge afterwards, or add again with --allow-duplicate\n")
            try await c.web { client in
                let form = try await client.submit("/people", [("name", "DANA KIM"), ("title", "COO")], from: "/people/new")
                #expect(form.status == .conflict)
                #expect(form.text.contains("is already in your circle") && form.text.contains("href=\"/people/1\"") && form.text.contains("Add anyway"))
                #expect(form.text.contains("value=\"COO\""))
                let anyway = try await client.submit("/people", [("name", "DANA KIM"), ("title", "COO"), ("allowDuplicate", "1")], from: "/people/new")
                #expect(anyway.status == .seeOther)
                let api = try await client.send("/api/v1/people", .post, #"{"name": "Dána Kim"}"#)
                #expect(api.status == .conflict)
                let problem = try api.object()
                #expect((problem["existing"] as? [String: Any])?["id"] as? Int == 1)
                #expect((problem["detail"] as? String)?.contains("allowDuplicate") == true)
                let allowed = try await client.send("/api/v1/people", .post, #"{"name": "Dána Kim", "allowDuplicate": true}"#)
                #expect(allowed.status == .created)
                let sameEmail = try await client.send("/api/v1/people", .post, #"{"name": "Other", "emails": ["DANA@nordwind.example"], "allowDuplicate": true}"#)
                let refused = try sameEmail.object()["existing"] as? [String: Any]
                #expect(sameEmail.status == .conflict && refused?["canAddAnyway"] as? Bool == false)
                let pairs = try await client.execute(uri: "/people/duplicates", method: .get)
                #expect(pairs.text.contains("Merge #2 into #1") && pairs.text.contains("Same name"))
                let listed = try await client.execute(uri: "/api/v1/people/duplicates", method: .get)
                #expect(try listed.object()["count"] as? Int == 3)
            }
            let listed = await c.cli("people", "duplicates")
            #expect(listed.out.contains("rapport people merge 2 --into 1") && listed.out.contains("3 likely duplicates"))
            #expect(await c.cli("people", "merge", "2", "--into", "1").code == 0)
        }
    }
}
