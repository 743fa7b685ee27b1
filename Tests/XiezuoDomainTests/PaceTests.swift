import Testing

@testable import XiezuoDomain

@Suite struct PaceTests {
    @Test func monthsThatHaveEndedDependOnTheYearAsked() {
        let today = Day("2025-03-15")!
        #expect(Pace.monthsElapsed(year: 2024, today: today) == 12)
        #expect(Pace.monthsElapsed(year: 2025, today: today) == 2)
        #expect(Pace.monthsElapsed(year: 2026, today: today) == 0)
        #expect(Pace.monthsElapsed(year: 2025, today: Day("2025-01-31")!) == 0)
    }

    @Test func levelsFollowThePublishedThresholds() {
        // Target 1,200 by June: 600 due. 90 % of it (540) is on pace; 539 amber; 70 % (420) amber; 419 red.
        #expect(Pace.level(actual: 540, target: 1_200, months: 6) == nil)
        #expect(Pace.level(actual: 539, target: 1_200, months: 6) == .amber)
        #expect(Pace.level(actual: 420, target: 1_200, months: 6) == .amber)
        #expect(Pace.level(actual: 419, target: 1_200, months: 6) == .red)
        // Nothing is due before a month has ended, and nothing without a target.
        #expect(Pace.level(actual: 0, target: 1_200, months: 0) == nil)
        #expect(Pace.level(actual: 0, target: 0, months: 12) == nil)
        // Huge money targets (fen) do not overflow.
        #expect(Pace.level(actual: Int64.max / 2, target: Int64.max, months: 6) == nil)
        #expect(Pace.expected(target: Int64.max, months: 12) > 0)
    }

    @Test func theProjectionExtendsTheMonthsWithFigures() {
        #expect(Pace.projection(actual: 500, monthsWithFigures: 10) == 600)
        #expect(Pace.projection(actual: 500, monthsWithFigures: 0) == nil)
        #expect(Pace.projection(actual: Int64.max / 2, monthsWithFigures: 6)! > 0)
    }
}
