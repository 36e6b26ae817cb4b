/// A change to a list field: replace it whole, or add and remove items (removals matched by a key, such as an
/// email's ``TextIdentity/emailKey(_:)`` or a name's ``TextIdentity/key(_:)``).
public struct ListChange<Element: Sendable & Equatable>: Sendable, Equatable {
    /// The whole new list; when set, ``added`` and ``removed`` apply after it.
    public var replacement: [Element]?
    public var added: [Element] = []
    public var removed: [Element] = []

    public init(replacement: [Element]? = nil, added: [Element] = [], removed: [Element] = []) {
        self.replacement = replacement
        self.added = added
        self.removed = removed
    }

    /// Replaces the list with `items`.
    public static func replace(_ items: [Element]) -> ListChange { ListChange(replacement: items) }

    /// `list` with this change made, removals compared by `key`.
    public func applied(to list: [Element], key: (Element) -> String) -> [Element] {
        let gone = Set(removed.map(key))
        return ((replacement ?? list) + added).filter { !gone.contains(key($0)) }
    }
}

/// A change to an optional value: set it, or clear it.
public enum FieldChange<Value: Sendable & Equatable>: Sendable, Equatable {
    case set(Value)
    case clear

    /// The value after the change.
    public var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}

extension Optional where Wrapped: Sendable & Equatable {
    /// `self` with `change` made, when there is one.
    public func changed(by change: FieldChange<Wrapped>?) -> Wrapped? {
        guard let change else { return self }
        return change.value
    }
}
