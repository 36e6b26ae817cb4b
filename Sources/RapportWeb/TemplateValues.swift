import Mustache

/// A page's view as the templates read it: each view struct turned into a `[String: Any]` of its stored properties
/// (nil ones left out), each list into an array of the same, once per page.
///
/// swift-mustache finds a name in a struct with `Mirror`, which materialises every stored property of the struct
/// (with a type lookup by mangled name each) for every name it looks up, and once more for each enclosing section
/// while it climbs the context stack; a dictionary answers by hashing (it is swift-mustache's `MustacheParent`).
/// Reflecting each value once here made half of the time of a people page of 50 rows go away. What a template sees
/// is unchanged: a nil property and a missing key both send the lookup up the stack, and values that render
/// themselves stay as they are (strings, numbers, booleans, enums, anything `CustomStringConvertible` such as
/// `CalendarDay`, and swift-mustache's own renderable, transformable and lambda types), so Mustache still reads them
/// by `Mirror` if a template ever asks for one of their properties.
enum TemplateValues {
    /// Views deeper than this are left to `Mirror` as they are (no view nests this deep; a class cycle would).
    static let maxDepth = 24

    /// `value` with its view structs as dictionaries; nil for a nil optional.
    static func of(_ value: Any, depth: Int = 0) -> Any? {
        if let optional = value as? any OptionalValue {
            guard let wrapped = optional.wrapped else { return nil }
            return of(wrapped, depth: depth)
        }
        if depth > maxDepth || isLeaf(value) { return value }
        if let list = value as? [Any] { return list.compactMap { of($0, depth: depth + 1) } }
        if let map = value as? [String: Any] { return map.compactMapValues { of($0, depth: depth + 1) } }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct, .class:
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, let field = of(child.value, depth: depth + 1) else { continue }
                fields[label] = field
            }
            return fields
        default:
            return value
        }
    }

    /// Values Mustache renders as they are, or reads through their own protocol.
    private static func isLeaf(_ value: Any) -> Bool {
        switch value {
        case is String, is Substring, is Bool, is Int, is Int64, is Double: true
        case is [Any], is [String: Any]: false
        case is any MustacheCustomRenderable, is any MustacheTransformable, is any MustacheParent,
             is any MustacheCustomRepresentation, is MustacheLambda: true
        case is any CustomStringConvertible: true
        default: false
        }
    }
}

/// An optional seen through `Any`, to unwrap it without `Mirror`.
private protocol OptionalValue {
    var wrapped: Any? { get }
}

extension Optional: OptionalValue {
    fileprivate var wrapped: Any? { map { $0 } }
}
