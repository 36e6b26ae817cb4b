import Logging
import NIOCore
import RapportCore
import SQLKit

/// A database session through which every bound text value is written in NFC (``TextIdentity/nfc(_:)``).
///
/// This is the one place text enters storage, whichever interface sent it (the CLI, a form, the JSON API, an
/// import), so stored text is NFC by construction and a value compared in SQL is in the same form as what is
/// stored. The migration that normalises older rows works on ``base``, so it can still find them as they were.
struct NormalizedTextDatabase: SQLDatabase {
    let base: any SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: NFCBinds(query), onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: NFCBinds(query), onRow)
    }

    /// The database beneath, when `db` is a normalising session; `db` itself otherwise.
    static func unwrapped(_ db: any SQLDatabase) -> any SQLDatabase {
        (db as? NormalizedTextDatabase)?.base ?? db
    }
}

/// Stands for a text value holding U+0000. SQLite's C interface ends text at a NUL (stored "Nul\u{0}Person" came
/// back as "Nul") and PostgreSQL refuses it, so the value is never sent: encoding it fails the statement, before
/// anything is written, with an error that names the character. Interfaces check their own fields first and name
/// them (issue 16, case 7); this is the last line, for every path into storage.
private struct RefusedText: Encodable, Sendable {
    func encode(to encoder: any Encoder) throws {
        throw RapportError.invalid("text", TextIdentity.nulMessage)
    }
}

/// Serialises `query` and rewrites the text values it bound in NFC.
private struct NFCBinds: SQLExpression {
    let query: any SQLExpression

    init(_ query: any SQLExpression) { self.query = query }

    func serialize(to serializer: inout SQLSerializer) {
        let first = serializer.binds.count
        query.serialize(to: &serializer)
        for index in first..<serializer.binds.count {
            // Ids, most of the binds of a long `IN (...)`, are passed over with a comparison of types instead of a
            // dynamic cast each. `as? String` also unwraps an optional that holds text; nil binds stay as they are.
            let kind = ObjectIdentifier(type(of: serializer.binds[index]))
            if kind == ObjectIdentifier(Int64.self) || kind == ObjectIdentifier(Int.self) { continue }
            guard let text = serializer.binds[index] as? String else { continue }
            if text.utf8.contains(0) {
                serializer.binds[index] = RefusedText()
            } else if !text.utf8.allSatisfy({ $0 < 0x80 }) {
                serializer.binds[index] = text.nfc
            }
        }
    }
}
