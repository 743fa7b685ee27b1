/// Whether an indicator keeps pace with its yearly target: the one rule behind every "behind target" flag (the
/// leaders' screen, its warnings). Pace is linear — a twelfth of the target a month — over the months that have
/// ended; a figure below 90 % of that is amber, below 70 % red. The thresholds are published on the screen.
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

    /// What the target asks for by the end of `months`.
    public static func expected(target: Int64, months: Int) -> Int64 {
        let (v, overflow) = target.multipliedReportingOverflow(by: Int64(max(0, min(12, months))))
        return overflow ? target / 12 * Int64(months) : v / 12
    }

    /// Nil while on pace, before any month has ended, or without a target.
    public static func level(actual: Int64, target: Int64, months: Int) -> PaceLevel? {
        let expected = expected(target: target, months: months)
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
