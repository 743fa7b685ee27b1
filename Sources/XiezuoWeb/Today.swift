import Foundation
import XiezuoDomain
import XiezuoStore

/// Today in China, where every deadline is set: a task is overdue from the day after its deadline there.
func chinaToday() -> Day {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
    let c = cal.dateComponents([.year, .month, .day], from: .now)
    return Day(year: c.year!, month: c.month!, day: c.day!)!
}

/// The year a page or the API shows when none is asked for: this year in China, or — while this year has no
/// agreement yet (early in a year, or the demo) — the latest year that has one. Never a fixed year.
func defaultYear(_ store: Store) async throws -> Int {
    let now = chinaToday().year
    return try await store.latestAgreementYear(atMost: now) ?? now
}

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
