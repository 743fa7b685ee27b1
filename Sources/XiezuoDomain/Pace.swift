/// Whether an indicator keeps pace with its yearly target: the one rule behind every "behind target" flag (the
/// warnings, the leaders' screen). Pace is linear — a twelfth of the target a month — over the months that have
/// ended, unless the office set a monthly profile for the indicator (`PaceProfile`); a figure below 90 % of what is
/// due is amber, below 70 % red. The thresholds are published on the warnings page and the screen.
public enum PaceLevel: String, Sendable, Codable, CaseIterable {
    case red, amber
}

public enum Pace {
    /// Basis points of the expected value under which an indicator is flagged.
    public static let amberBelow = 9_000
    public static let redBelow = 7_000

    /// Months of `year` that have ended on `today` (figures of a month are reported after it): 12 for a past year,
    /// 0 for a future one.
    public static func monthsElapsed(year: Int, today: Day) -> Int {
        if year < today.year { return 12 }
        if year > today.year { return 0 }
        return today.month - 1
    }

    /// What the target asks for by the end of `months`: an even pace, or the profile's share.
    public static func expected(target: Int64, months: Int, profile: PaceProfile? = nil) -> Int64 {
        let m = max(0, min(12, months))
        guard m > 0 else { return 0 }
        let share = Int64(profile?.cumulative[m - 1] ?? m * 10_000 / 12)
        let (v, overflow) = target.multipliedReportingOverflow(by: share)
        return overflow ? target / 10_000 * share : v / 10_000
    }

    /// Nil while on pace, before any month has ended, or without a target.
    public static func level(actual: Int64, target: Int64, months: Int, profile: PaceProfile? = nil) -> PaceLevel? {
        let expected = expected(target: target, months: months, profile: profile)
        guard target > 0, months > 0, expected > 0 else { return nil }
        let bp = Completion.basisPoints(actual: actual, target: expected) ?? 0
        return bp < redBelow ? .red : bp < amberBelow ? .amber : nil
    }

    /// The year-end value the trend so far points to: the actual spread over the months with figures, times twelve.
    public static func projection(actual: Int64, monthsWithFigures: Int) -> Int64? {
        guard monthsWithFigures > 0 else { return nil }
        let (v, overflow) = actual.multipliedReportingOverflow(by: 12)
        return overflow ? actual / Int64(monthsWithFigures) * 12 : v / Int64(monthsWithFigures)
    }
}

/// How much of a yearly target is due by the end of each month, when an office knows its work is not even (seasonal
/// labour, a disbursement at mid-year): twelve cumulative shares in basis points, never falling, the last 100 %.
public struct PaceProfile: Sendable, Hashable, Codable {
    public let cumulative: [Int]

    /// Percentages by month as an office types them (e.g. "0 0 10 20 …" of each month's own share, or cumulative):
    /// `monthly` are each month's share; they must be twelve, none negative, summing to 100.
    public init?(monthlyPercent monthly: [Int]) {
        guard monthly.count == 12, monthly.allSatisfy({ $0 >= 0 }), monthly.reduce(0, +) == 100 else { return nil }
        var running = 0
        cumulative = monthly.map {
            running += $0 * 100
            return running
        }
    }

    public init?(cumulative: [Int]) {
        guard cumulative.count == 12, cumulative.last == 10_000, zip(cumulative, cumulative.dropFirst()).allSatisfy({ $0 <= $1 }),
            (cumulative.first ?? -1) >= 0
        else { return nil }
        self.cumulative = cumulative
    }

    /// A plan as an office types it: twelve whole percentages separated by spaces, commas (either width), 、 or ;,
    /// with or without %, full-width digits too. Nil for anything else, including totals other than 100.
    public init?(typed text: String) {
        let parts = SheetText.normalize(text).split(whereSeparator: { " ,，、;；\t%".contains($0) })
        guard parts.count == 12 else { return nil }
        let numbers = parts.compactMap { $0.count <= 3 ? Int($0) : nil }
        guard numbers.count == 12 else { return nil }
        self.init(monthlyPercent: numbers)
    }

    /// Each month's own share in percent (what the form shows).
    public var monthlyPercent: [Int] { zip(cumulative, [0] + cumulative.dropLast()).map { ($0 - $1) / 100 } }
}
