import Foundation
import XiezuoDomain
import XiezuoStore

/// Where "today" comes from: the date in China, where every deadline is set (a task is overdue from the day after
/// its deadline there). Injected through the settings, so tests fix the day; a request reads it once
/// (`context.today`), so every part of one page agrees on the date.
public struct ChinaClock: Sendable {
    let now: @Sendable () -> Date

    public static let system = ChinaClock(now: { Date.now })

    /// A clock stopped at noon in China on `day`.
    public static func fixed(_ day: Day) -> ChinaClock {
        let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) ?? .now
        return ChinaClock(now: { date })
    }

    static let china = calendar.timeZone
    static let calendar = Day.chinaCalendar

    public func today() -> Day { Day.inChina(now()) }
}

/// The year a page or the API shows when none is asked for: this year in China, or — while this year has no
/// agreement yet (early in a year, or the demo) — the latest year that has one. Never a fixed year.
func defaultYear(_ store: Store, today: Day) async throws -> Int {
    try await store.latestAgreementYear(atMost: today.year) ?? today.year
}

/// Times as people in the offices read them: Beijing time, to the minute.
enum BeijingTime {
    static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.calendar = ChinaClock.calendar
        f.timeZone = ChinaClock.china
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f
    }()

    static func minute(_ date: Date) -> String { formatter.string(from: date) }
}
