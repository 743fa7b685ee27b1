/// A calendar day (no time zone): the unit of every date in cooperation work.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    /// Years Xiezuo accepts: cooperation started in 1996; anything past 2100 is a typing error.
    public static let validYears = 1996...2100

    public init?(year: Int, month: Int, day: Int) {
        guard Self.validYears.contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses ISO "YYYY-MM-DD".
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid date"))
        }
        self = d
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// Days from this day to `other` (negative when `other` is earlier), by the days' serial numbers.
    public func days(until other: Day) -> Int { other.serial - serial }
    /// The same day `months` months earlier, the last of that month when it is shorter (2024-05-31 → 2024-02-29).
    public func minus(months: Int) -> Day {
        let index = year * 12 + (month - 1) - months
        let y = index / 12
        let m = index % 12 + 1
        return Day(year: y, month: m, day: min(day, Self.daysIn(month: m, year: y))) ?? self
    }
    /// Whole months from this day to `other` (2024-01-31 → 2024-02-29 is none; → 2024-03-01 is one).
    public func months(until other: Day) -> Int {
        (other.year - year) * 12 + (other.month - month) - (other.day < day ? 1 : 0)
    }

    /// A running count of days (the civil-from-days arithmetic; any fixed origin serves for differences).
    var serial: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe
    }

    /// The day after `d`.
    public static func after(_ d: Day) -> Day? {
        if d.day < daysIn(month: d.month, year: d.year) { return Day(year: d.year, month: d.month, day: d.day + 1) }
        return d.month < 12 ? Day(year: d.year, month: d.month + 1, day: 1) : Day(year: d.year + 1, month: 1, day: 1)
    }

    /// The month before this day's (the last closed reporting period): (year, month).
    public var previousMonth: (year: Int, month: Int) { month == 1 ? (year - 1, 12) : (year, month - 1) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
