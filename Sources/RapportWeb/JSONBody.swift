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
        guard !path.isEmpty else { return nil }
        // `emails[0].value`: the whole way down, so a field inside a list item is named as such.
        return path.reduce("") { name, key in
            if let index = key.intValue { return "\(name)[\(index)]" }
            return name.isEmpty ? key.stringValue : "\(name).\(key.stringValue)"
        }
    }

    /// What is wrong, with the field named (for a message that stands alone).
    static func describe(_ error: DecodingError) -> String {
        (field(of: error).map { "\"\($0)\" " } ?? "the body ") + problem(of: error)
    }

    /// What is wrong, without the field (for a message beside it): "must be a string", "is required".
    static func problem(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _): return "must be \(expected(type))"
        case .valueNotFound(let type, _): return "must be \(expected(type)), not null"
        case .keyNotFound: return "is required"
        case .dataCorrupted(let c): return "could not be read: \(c.debugDescription)"
        @unknown default: return "could not be read"
        }
    }

    /// A JSON type in the user's words.
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type: "a number"
        case is [String: Any].Type, is [String: String?].Type, is [String: String].Type: "an object"
        default: String(describing: type).hasPrefix("Array") ? "a list" : String(describing: type).hasPrefix("Dictionary") ? "an object" : "of another type"
        }
    }
}
