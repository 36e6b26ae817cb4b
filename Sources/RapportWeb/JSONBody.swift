import Foundation
import Hummingbird
import NIOCore
import RapportCore

/// Reading and writing JSON bodies of the API, with errors that name the field.
enum JSONBody {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// The body as a JSON object; anything else is a 400 that says what was expected.
    static func object(_ request: Request, context: WebContext) async throws -> [String: Any] {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object, e.g. {\"name\": \"Dana Kim\"}")
        }
        if let field = TextIdentity.pathOfNUL(in: object) { throw RapportError.invalid(field, TextIdentity.nulMessage) }
        return object
    }

    /// Refuses keys the resource does not have, suggesting the closest one.
    static func checkKeys(_ object: [String: Any], allowed: [String]) throws {
        var errors: [FieldError] = []
        for key in object.keys.sorted() where !allowed.contains(key) {
            let hint = ClosestNames.to(key, among: allowed, maxDistance: 3, limit: 1).first.map { "; did you mean \"\($0)\"?" } ?? ""
            errors.append(FieldError(key, "unknown field\(hint) Known fields: \(allowed.joined(separator: ", "))"))
        }
        if !errors.isEmpty { throw RapportError.invalid(errors) }
    }

    static func decode<T: Decodable>(_ type: T.Type, from object: [String: Any]) throws -> T {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try decoder().decode(type, from: data)
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// `201 Created` with `value` as the body and `location` (the new resource's path) in the Location header.
    static func created<T: Encodable>(_ value: T, at location: String) throws -> Response {
        var response = try response(value, status: .created)
        response.headers[.location] = location
        return response
    }

    static func field(of error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: return nil
        }
        return path.first.map { $0.stringValue }
    }

    static func describe(_ error: DecodingError) -> String {
        let field = field(of: error).map { "\"\($0)\"" } ?? "the body"
        switch error {
        case .typeMismatch(let type, _): return "\(field) has the wrong type; expected \(String(describing: type).lowercased())"
        case .valueNotFound: return "\(field) must not be null"
        case .keyNotFound: return "\(field) is required"
        case .dataCorrupted(let c): return "\(field): \(c.debugDescription)"
        @unknown default: return "the body could not be read"
        }
    }
}
