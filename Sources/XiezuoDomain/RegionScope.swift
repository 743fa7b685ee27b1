/// Which regions a query may touch: everything (administrators, and the command line, said explicitly), or the
/// regions under some code prefixes (a user's own scope and, for an eastern office, what its pairings assist).
/// Store lists and counts take one as a required argument, so a query that forgets the caller's scope does not
/// compile; an empty prefix list touches nothing.
public enum RegionScope: Sendable, Hashable {
    case all
    case within([String])

    public static let nothing = RegionScope.within([])

    public func contains(_ code: String) -> Bool {
        switch self {
        case .all: return true
        case .within(let prefixes): return prefixes.contains { code.hasPrefix($0) }
        }
    }

    /// The prefixes, or nil for everything (for code that still speaks in prefixes).
    public var prefixes: [String]? {
        if case .within(let p) = self { return p }
        return nil
    }
}
