import Foundation

extension Day {
    /// The calendar of China, where every deadline is set: the one place its time zone is named.
    public static let chinaCalendar: Calendar = {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        return cal
    }()

    /// The day `date` falls on in China.
    public static func inChina(_ date: Date = .now) -> Day {
        let c = chinaCalendar.dateComponents([.year, .month, .day], from: date)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
