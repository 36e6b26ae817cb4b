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
    /// The request's body as `T`; 400 when it is not a JSON object, 422 naming each unknown key. `clock` (the
    /// user's zone and today) is handed to bodies whose dates are read in words or local times (``FieldReader/clock(_:)``).
    static func decode<T: RequestBody>(_ type: T.Type, from request: Request, context: WebContext, clock: UserClock? = nil) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        if data.isEmpty { throw MalformedJSON(message: "the body is empty; send a JSON object, e.g. {\"name\": \"Dana Kim\"}") }
        try JSONSyntax.check(data)
        guard let keys = try? decoder().decode(ObjectKeys.self, from: data) else {
            throw MalformedJSON(message: "the body must be a JSON object, e.g. {\"name\": \"Dana Kim\"}")
        }
        var unknown: [FieldError] = []
        for key in keys.names.sorted() where !T.keys.contains(key) {
            let hint = ClosestNames.to(key, among: T.keys, maxDistance: 3, limit: 1).first.map { "; did you mean \"\($0)\"?" } ?? "."
            unknown.append(FieldError(key, "unknown field\(hint) Known fields: \(T.keys.joined(separator: ", "))"))
        }
        let decoder = decoder()
        if let clock { decoder.userInfo[.userClock] = clock }
        // Unknown keys are said together with whatever else is wrong, so one answer names every mistake.
        let body: T
        do {
            body = try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            // The body is JSON (read above): what is wrong is a field's type or shape, which is invalid input.
            throw RapportError.invalid(unknown + [FieldError(JSONBody.field(of: error) ?? "body", JSONBody.problem(of: error))])
        } catch let error as RapportError where !error.fieldErrors.isEmpty && !unknown.isEmpty {
            throw RapportError.invalid(unknown + error.fieldErrors)
        }
        if !unknown.isEmpty { throw RapportError.invalid(unknown) }
        return body
    }
}

extension CodingUserInfoKey {
    /// The ``UserClock`` a request body reads its dates with.
    static let userClock = CodingUserInfoKey(rawValue: "rapport.userClock")!
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
        return .set(try field(T.self, key))
    }

    /// `key` as `T`; a value of another type (`"3"` or `1.5` for a whole number, `1` for a boolean) is refused as
    /// ``RapportError/invalid(_:_:)`` naming the field and the type it takes.
    func field<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        do {
            return try decode(T.self, forKey: key)
        } catch let error as RapportError {
            throw error
        } catch {
            if let expected = Self.expected(T.self) { throw RapportError.invalid(key.stringValue, expected) }
            if let error = error as? DecodingError { throw RapportError.invalid(JSONBody.field(of: error) ?? key.stringValue, JSONBody.problem(of: error)) }
            throw RapportError.invalid(key.stringValue, "has the wrong type")
        }
    }

    /// What a field of `type` must be, in the user's words (``JSONBody/expected(_:)`` names the scalars).
    private static func expected(_ type: Any.Type) -> String? {
        switch type {
        case is Int.Type, is Int64.Type, is String.Type, is Bool.Type: "must be " + JSONBody.expected(type)
        case is [String].Type: "must be a list of strings"
        default: nil
        }
    }

    /// Absent: nil. A value: the value. `null` is refused: the field cannot be removed.
    func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw RapportError.invalid(key.stringValue, "cannot be removed; leave it out to keep it, or give a value")
        }
        return try field(T.self, key)
    }

    /// A list: absent is nil, `null` is the empty list (the member removed), a list replaces the old one.
    func list<T: Decodable>(_ type: T.Type, _ key: Key) throws -> [T]? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return [] }
        return try value([T].self, key)
    }
}

/// Reads the fields of one JSON object by type, gathering an error per field instead of stopping at the first, so a
/// body with three mistakes gets one answer naming all three. Every request body without a merge-patch shape of its
/// own is read through here: text, lists, whole numbers in a range, ids, booleans, closed choices, references by id
/// or name, and lists of objects (each read by a reader of its own, its fields named `list[index].field`).
///
/// JSON's types are kept apart: `true` is not a number, `1` is not a boolean, `1.5` and `2e19` are not whole numbers.
struct FieldReader {
    private let container: KeyedDecodingContainer<AnyKey>
    /// The errors gathered so far, shared with the readers of nested objects.
    let errors: FieldErrors
    /// Where this object sits in the body: "" at the top, `followUps[2]` for an item.
    let path: String

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: AnyKey.self)
        errors = FieldErrors()
        path = ""
    }

    private init(_ container: KeyedDecodingContainer<AnyKey>, errors: FieldErrors, path: String) {
        (self.container, self.errors, self.path) = (container, errors, path)
    }

    /// The user's clock handed to ``JSONBody/decode(_:from:context:clock:)``.
    static func clock(_ decoder: any Decoder) throws -> UserClock {
        guard let clock = decoder.userInfo[.userClock] as? UserClock else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "this body needs the user's clock to read its dates"])
        }
        return clock
    }

    /// The name an error gives `key`: the key itself, or `list[index].key` inside an item.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ key: String, _ message: String) { errors.append(field(key), message) }

    /// Whether the object has `key`, whatever its value (`null` included).
    func has(_ key: String) -> Bool { container.contains(AnyKey(key)) }

    /// Whether `key` is there and `null`.
    func isNull(_ key: String) -> Bool { has(key) && ((try? container.decodeNil(forKey: AnyKey(key))) ?? false) }

    /// `key` as `T`, or nil when it is absent or of another type (no error gathered: the caller words it).
    func decoded<T: Decodable>(_ type: T.Type, _ key: String) -> T? {
        try? container.decode(T.self, forKey: AnyKey(key))
    }

    /// A text field. `null` is refused unless the field is `nullable` (where null clears it), as the document says.
    func string(_ key: String, required: Bool = false, nullable: Bool = false) -> String? {
        guard has(key) else {
            if required { fail(key, "is required") }
            return nil
        }
        if isNull(key) {
            if required || !nullable { fail(key, required ? "is required" : "must be a string, not null; leave the key out to keep it") }
            return nil
        }
        guard let text = decoded(String.self, key) else { fail(key, "must be a string"); return nil }
        return text
    }

    /// A merge-patch text (RFC 7396): absent is nil, `null` is ``FieldChange/clear``, a string sets it.
    func text(_ key: String) -> FieldChange<String>? {
        guard has(key) else { return nil }
        if isNull(key) { return .clear }
        guard let text = decoded(String.self, key) else { fail(key, "must be a string or null"); return nil }
        return .set(text)
    }

    /// A list of strings; `null` is refused (send `[]` for none).
    func strings(_ key: String) -> [String]? {
        guard has(key) else { return nil }
        if isNull(key) { fail(key, "must be a list of strings, not null; send [] for none"); return nil }
        guard let list = decoded([String].self, key) else { fail(key, "must be a list of strings, e.g. [\"onboarding\"]"); return nil }
        return list
    }

    /// A merge-patch list of strings: absent is nil, `null` empties it, a list replaces it.
    func stringList(_ key: String) -> [String]? {
        guard has(key) else { return nil }
        if isNull(key) { return [] }
        guard let list = decoded([String].self, key) else { fail(key, "must be a list of strings"); return nil }
        return list
    }

    /// The ids a body may name: from 1 to 2^53 − 1, the largest whole number every JSON reader holds exactly
    /// (RFC 8259 §6); the OpenAPI document says the same.
    static let ids: ClosedRange<Int64> = 1...9_007_199_254_740_991

    /// A list of stored rows' ids (whole numbers from 1); anything else is refused with `message`.
    func ids(_ key: String, message: String = "must be a list of ids (whole numbers from 1), e.g. [5, 8]") -> [Int64]? {
        guard has(key) else { return nil }
        guard let ids = decoded([Int64].self, key), ids.allSatisfy(Self.ids.contains) else {
            fail(key, message)
            return nil
        }
        return ids
    }

    /// A list of people or rows named by id (a number) or by text (a name, an email), each as text; nil with an
    /// error when it is something else.
    func references(_ key: String) -> [String]? {
        guard has(key) else { return nil }
        guard let list = decoded([Reference].self, key) else { fail(key, "must be a list of ids or names, e.g. [12, \"Dana Kim\"]"); return nil }
        return list.map(\.text)
    }

    /// A whole number within `range`. Text, a fraction, `true`, or a number outside `range` (`2e18`) is refused
    /// naming the field and the range, never truncated or wrapped.
    func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard has(key), !isNull(key) else {
            if required { fail(key, "is required: a whole number from \(range.lowerBound) to \(range.upperBound)") }
            return nil
        }
        guard let value = decoded(Int64.self, key).flatMap({ Int(exactly: $0) }), range.contains(value) else {
            fail(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// The id of a stored row (a whole number from 1), or nil with `message` gathered when it is something else,
    /// or absent (or null) though `required`.
    func id(_ key: String, required: Bool = false, message: String = "must be an id: a whole number from 1, e.g. 12") -> Int64? {
        guard has(key), !isNull(key) else {
            if required { fail(key, message) }
            return nil
        }
        guard let id = decoded(Int64.self, key), Self.ids.contains(id) else {
            fail(key, message)
            return nil
        }
        return id
    }

    /// `true` or `false`; `null`, `1` and `"yes"` are refused.
    func bool(_ key: String) -> Bool? {
        guard has(key) else { return nil }
        if isNull(key) { fail(key, "must be true or false, not null"); return nil }
        guard let value = decoded(Bool.self, key) else { fail(key, "must be true or false"); return nil }
        return value
    }

    /// One of a closed set of values (a kind, a status, a metric); anything else names the choices.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, required: Bool = false) -> T? where T.RawValue == String {
        guard let raw = string(key, required: required) else { return nil }
        guard let value = T(rawValue: raw) else {
            fail(key, "\"\(raw)\" is not a \(key); use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A whole number of any size a row can hold; text, fractions and `true` are refused in words.
    func wholeNumber(_ key: String) -> Int? {
        guard has(key), !isNull(key) else { return nil }
        guard let value = decoded(Int.self, key) else { fail(key, "must be a whole number"); return nil }
        return value
    }

    /// A row named by id (a number from 1, or text of ASCII digits: `#id`) or by name.
    func reference(_ key: String, required: Bool) -> String? {
        if let id = decoded(Int64.self, key) {
            guard Self.ids.contains(id) else { fail(key, "must be an id (a whole number from 1) or a name"); return nil }
            return "#\(id)"
        }
        if has(key), !isNull(key), decoded(String.self, key) == nil {
            fail(key, "must be an id (a whole number) or a name")
            return nil
        }
        guard let text = string(key, required: required, nullable: true) else { return nil }
        return !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ? "#" + text : text
    }

    /// A list of objects, each read by its own reader; nil when absent or `null`, and nil with `message` gathered
    /// when it is not a list of objects. A key outside `keys` in an item is named as unknown.
    func objects(_ key: String, message: String, keys: [String]) -> [FieldReader]? {
        guard has(key), !isNull(key) else { return nil }
        guard (try? container.decode([AnyObject].self, forKey: AnyKey(key))) != nil,
              var list = try? container.nestedUnkeyedContainer(forKey: AnyKey(key)) else {
            fail(key, message)
            return nil
        }
        var items: [FieldReader] = []
        while !list.isAtEnd, let item = try? list.nestedContainer(keyedBy: AnyKey.self) {
            let reader = FieldReader(item, errors: errors, path: "\(field(key))[\(items.count)]")
            for unknown in item.allKeys.map(\.stringValue).sorted() where !keys.contains(unknown) {
                reader.fail(unknown, "unknown field. Known fields: \(keys.joined(separator: ", "))")
            }
            items.append(reader)
        }
        return items
    }

    /// What a date field must be when it is not text.
    static let dateMessage = "must be a date or time as text, e.g. \"friday\", \"2026-12-01\" or \"2026-12-01T10:00:00Z\""

    /// Throws every error gathered (``RapportError/invalid(_:)``), or does nothing.
    func finish() throws {
        try errors.throwIfAny()
    }

    /// Any JSON object, whatever it holds.
    private struct AnyObject: Decodable {
        init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: AnyKey.self) }
    }

    /// A number or a text, as text.
    private struct Reference: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let id = try? c.decode(Int64.self) { text = String(id) } else { text = try c.decode(String.self) }
        }
    }
}
