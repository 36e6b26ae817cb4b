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

    mutating func take(
        _ d: PersonDetails, line: Int, options: ImportOptions, owner: AccountID, now: Date, timeZones: TimeZoneCatalog,
        today: Date, on db: any SQLDatabase
    ) async throws {
        let keys = d.emails.map { "e:" + TextIdentity.emailKey($0.value) } + d.phones.map { "p:" + PhoneNumber.key($0.value) }
        let known = byKey
        let earlier = keys.lazy.compactMap { known[$0] }.first
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
        let sameName = try await PersonRows.duplicate(of: PersonDetails(name: fresh.name), owner: owner, on: db)
        try await PersonRows.checkEmailsFree(fresh.emails, except: nil, owner: owner, on: db)
        let personaIDs = try await PersonRows.personaIDs(fresh.personas, owner: owner, on: db)
        let id = try await PersonRows.insert(fresh, personaIDs: personaIDs, owner: owner, now: now, on: db)
        let person = PersonSummary(id: PersonID(id), name: fresh.name)
        summary.created.append(.init(line: line, person: person))
        if let sameName { summary.duplicates.append(.init(line: line, person: person, sameAs: sameName.person.summary)) }
        made.insert(id)
        remember(keys, as: id)
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
