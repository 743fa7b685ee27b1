// Optional values with async work: used where a missing query value falls back to a database lookup.

extension Optional {
    func asyncMap<U>(_ f: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self {
        case .some(let w): return try await f(w)
        case .none: return nil
        }
    }

    /// The value, or what `fallback` computes when there is none.
    func asyncOr(_ fallback: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let self { return self }
        return try await fallback()
    }
}
