import Foundation
import RapportCore
import SQLKit

/// Bringing contacts in: each one matched to the circle by email or phone, created or filling what the person
/// lacks, all in one transaction.
public struct ImportRepository: Sendable {
    let store: Store

    /// Imports every contact of `source`. One import is one transaction: it lands whole or not at all, so a file that
    /// cannot be read to the end, or a killed import, leaves nothing. A dry run does all the same work and checks,
    /// then rolls back, so what it reports is exactly what an import would do.
    ///
    /// A contact whose email or phone (by key) matches a stored person, or a person an earlier row of the same file
    /// made, goes into that person (``ContactMerge``). Others are created; one whose name a stored person has too is
    /// reported as a likely duplicate. A contact whose fields fail the person rules is skipped with its line and the
    /// reason. `progress` is called with the number of contacts read so far.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` naming `personas` when an option's persona does not exist; any error the
    ///   source throws (nothing is written then).
    public func run(
        _ source: any ContactSource, options: ImportOptions, as owner: AccountID,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ImportSummary {
        let timeZones = store.timeZones, today = store.now(), now = store.stamp()
        let dialect = store.dialect
        return try await store.transaction(rollingBack: options.dryRun) { db in
            try await dialect.lockCircle(of: owner, on: db)
            _ = try await PersonRows.personaIDs(options.personas, owner: owner, on: db)
            // Personas named in the file that the circle does not have yet (a CSV exported from another circle)
            // never cost the row: the person comes in, the names wait in the custom field Persona.
            let knownPersonas = Set(try await db.select().column("name").from("personas").where("owner_id", .equal, owner.rawValue)
                .all(decodingColumn: "name", as: String.self).map(\.matchingKey))
            var run = ImportRun(summary: ImportSummary(dryRun: options.dryRun))
            var read = 0
            while let contact = try source.next() {
                read += 1
                progress?(read)
                for warning in contact.warnings { run.summary.warnings.append(.init(line: contact.line, message: warning)) }
                if let skip = contact.skip {
                    run.summary.skipped.append(.init(line: contact.line, reason: skip))
                    continue
                }
                var incoming = contact.details
                let unknown = incoming.personas.filter { !knownPersonas.contains($0.matchingKey) }
                if !unknown.isEmpty {
                    incoming.personas.removeAll { !knownPersonas.contains($0.matchingKey) }
                    if incoming.fields["Persona"] == nil { incoming.fields["Persona"] = unknown.joined(separator: ", ") }
                    run.summary.warnings.append(.init(line: contact.line, message:
                        "no persona \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) in your circle yet; kept in the custom field Persona (add the persona, then give it to them)"))
                }
                incoming.personas += options.personas
                incoming.tags += options.tags
                do {
                    let checked = try PersonRules.validate(incoming, timeZones: timeZones, today: today).details
                    try await run.take(checked, line: contact.line, options: options, owner: owner, now: now,
                                       timeZones: timeZones, today: today, on: db)
                } catch let error as RapportError where error.isAboutInput {
                    run.summary.skipped.append(.init(line: contact.line, reason: error.message.replacingOccurrences(of: "\n", with: "; ")))
                }
            }
            return run.summary
        }
    }
}

/// The state of one import while it runs: the summary so far, and which people this file made or touched, by the
/// keys of their emails and phones, so rows that match each other merge.
private struct ImportRun {
    var summary: ImportSummary
    var byKey: [String: Int64] = [:]
    var touched = Set<Int64>()
    var made = Set<Int64>()
    /// Ids of the personas, tags and companies rows named, by matching key.
    var personas: [String: Int64] = [:]
    var tags: [String: Int64] = [:]
    var companies: [String: Int64] = [:]

    mutating func take(
        _ d: PersonDetails, line: Int, options: ImportOptions, owner: AccountID, now: Date, timeZones: TimeZoneCatalog,
        today: Date, on db: any SQLDatabase
    ) async throws {
        let keys = d.emails.map { "e:" + TextIdentity.emailKey($0.value) } + d.phones.map { "p:" + PhoneNumber.key($0.value) }
        // Looked up in place: a copy of the dictionary held across `remember` would be copied whole on every row.
        var earlier: Int64?
        for key in keys where earlier == nil { earlier = byKey[key] }
        let matched = earlier == nil ? try await PersonRows.match(emails: d.emails, phones: d.phones, owner: owner, on: db) : nil
        if let target = earlier ?? matched {
            let stored = try await PeopleRepository.one(target, owner, db)
            var (patch, fields) = ContactMerge.patch(stored.details, with: d, overwrite: options.overwrite)
            if options.overwrite, let stage = options.stage, stage != stored.details.stage {
                patch.stage = stage
                fields.append("stage")
            }
            if fields.isEmpty {
                if earlier != nil { summary.mergedRows += 1 } else { summary.unchanged += 1 }
            } else {
                let merged = try PersonRules.validate(patch.applied(to: stored.details), timeZones: timeZones, today: today).details
                try await PeopleRepository.write(target, merged, owner: owner, now: now, on: db)
                if earlier != nil && made.contains(target) {
                    summary.mergedRows += 1
                } else if earlier != nil, let index = summary.updated.firstIndex(where: { $0.person.id.rawValue == target }) {
                    summary.mergedRows += 1
                    summary.updated[index].fields = Array(Set(summary.updated[index].fields + fields)).sorted()
                } else {
                    summary.updated.append(.init(line: line, person: stored.summary, fields: fields))
                }
            }
            remember(keys, as: target)
            return
        }
        var fresh = d
        if let stage = options.stage { fresh.stage = stage }
        // No stored person has these emails (`match` found none) and no earlier row did (`byKey`), so only the name
        // can repeat someone.
        let sameName = try await db.select().columns("id", "name").from("people")
            .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, fresh.name.matchingKey).orderBy("id").limit(1).first()
        let personaIDs = try await cached(fresh.personas, in: &personas) { try await PersonRows.personaIDs($0, owner: owner, on: db) }
        let tagIDs = try await cached(fresh.tags, in: &tags) { try await $0.asyncMap { try await PersonRows.tagID($0, owner: owner, on: db) } }
        let companyID = try await fresh.company.asyncMap { name in
            try await cached([name], in: &companies) { names in
                try await names.asyncMap { name in
                    guard let id = try await PersonRows.companyID(name, owner: owner, now: now, on: db) else {
                        throw RapportError.storage("the database did not return the new company's id")
                    }
                    return id
                }
            }[0]
        }
        let id = try await PersonRows.insert(fresh, personaIDs: personaIDs, tagIDs: tagIDs, companyID: .some(companyID), owner: owner, now: now, on: db)
        let person = PersonSummary(id: PersonID(id), name: fresh.name)
        summary.created.append(.init(line: line, person: person))
        if let sameName {
            let stored = PersonSummary(id: PersonID(try sameName.decode(column: "id", as: Int64.self)), name: try sameName.decode(column: "name", as: String.self))
            summary.duplicates.append(.init(line: line, person: person, sameAs: stored))
        }
        made.insert(id)
        remember(keys, as: id)
    }

    /// The ids of `names` (personas, tags, companies) by their matching key, asking `load` only for those not yet seen
    /// in this import: a 100,000-row file names the same few companies again and again.
    func cached(_ names: [String], in cache: inout [String: Int64], _ load: ([String]) async throws -> [Int64]) async throws -> [Int64] {
        let missing = names.filter { cache[$0.matchingKey] == nil }
        if !missing.isEmpty {
            for (name, id) in zip(missing, try await load(missing)) { cache[name.matchingKey] = id }
        }
        return names.compactMap { cache[$0.matchingKey] }
    }

    mutating func remember(_ keys: [String], as id: Int64) {
        for key in keys where byKey[key] == nil { byKey[key] = id }
        touched.insert(id)
    }
}

extension RapportError {
    /// Whether this is about what was given (a field, a conflict), as opposed to the database failing.
    var isAboutInput: Bool {
        switch self {
        case .storage: return false
        default: return true
        }
    }
}

extension Sequence {
    /// `transform` applied to each element in turn, awaiting each.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}

extension Optional {
    /// `transform` applied to the value, if there is one.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
