import Foundation
import Hummingbird
import RapportCore

/// A typed JSON request body: what one route accepts, decoded in one step, so no handler reads loose values.
///
/// Unknown keys are refused with the closest known one (a typo never passes silently), and every decoding problem
/// names its field (mapped to a problem body by ``ErrorMiddleware``).
protocol RequestBody: Decodable {
    /// Every key the body may have.
    static var keys: [String] { get }
}

extension JSONBody {
    /// The request's body as `T`; 400 when it is not a JSON object, 422 naming each unknown key.
    static func decode<T: RequestBody>(_ type: T.Type, from request: Request, context: WebContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let keys = try? decoder().decode(ObjectKeys.self, from: data) else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object, e.g. {\"name\": \"Dana Kim\"}")
        }
        var errors: [FieldError] = []
        for key in keys.names.sorted() where !T.keys.contains(key) {
            let hint = ClosestNames.to(key, among: T.keys, maxDistance: 3, limit: 1).first.map { "; did you mean \"\($0)\"?" } ?? ""
            errors.append(FieldError(key, "unknown field\(hint) Known fields: \(T.keys.joined(separator: ", "))"))
        }
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        // JSON can only carry NUL escaped; look for the field only when the escape is there.
        if data.range(of: Data(#"\u0000"#.utf8)) != nil, let object = try? JSONSerialization.jsonObject(with: data),
           let field = TextIdentity.pathOfNUL(in: object) {
            throw RapportError.invalid(field, TextIdentity.nulMessage)
        }
        return try decoder().decode(T.self, from: data)
    }
}

/// The keys of a JSON object, whatever their values.
private struct ObjectKeys: Decodable {
    var names: [String]

    init(from decoder: any Decoder) throws {
        names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
    }
}

/// A coding key for any name.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Reading a JSON merge patch (RFC 7396): a key left out changes nothing, `null` removes, a value sets.
extension KeyedDecodingContainer {
    /// Absent: nil. `null`: ``FieldChange/clear``. A value: ``FieldChange/set(_:)``.
    func change<T: Decodable & Sendable & Equatable>(_ type: T.Type, _ key: Key) throws -> FieldChange<T>? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try decode(T.self, forKey: key))
    }

    /// Absent: nil. A value: the value. `null` is refused: the field cannot be removed.
    func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw RapportError.invalid(key.stringValue, "cannot be removed; leave it out to keep it, or give a value")
        }
        return try decode(T.self, forKey: key)
    }

    /// A list: absent is nil, `null` is the empty list (the member removed), a list replaces the old one.
    func list<T: Decodable>(_ type: T.Type, _ key: Key) throws -> [T]? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return [] }
        return try value([T].self, key)
    }
}
