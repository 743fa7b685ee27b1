import Testing

@testable import XiezuoDomain

@Suite struct WarningRulesTests {
    let today = Day("2025-06-15")!

    @Test func projectsArePastTheirEndOrWithoutADisbursementForMonths() {
        func w(_ status: ProjectStatus, start: String? = "2025-01-01", end: String? = "2025-12-31", last: String?) -> Warning? {
            WarningRules.project(
                id: 7, title: "项目", countyCode: "520525", status: status, plannedStart: start.flatMap(Day.init), plannedEnd: end.flatMap(Day.init),
                lastDisbursed: last.flatMap(Day.init), today: today)
        }
        #expect(w(.ongoing, end: "2025-06-14", last: "2025-06-01")?.kind == .projectOverdue)
        #expect(w(.ongoing, end: "2025-06-14", last: "2025-06-01")?.level == .red)
        #expect(w(.ongoing, end: "2025-06-15", last: "2025-06-01") == nil)  // its last day is not late yet
        #expect(w(.ongoing, last: "2025-03-16") == nil)  // two whole months
        #expect(w(.ongoing, last: "2025-03-15")?.level == .amber)  // three
        #expect(w(.ongoing, last: "2024-12-15")?.level == .red)  // six
        #expect(w(.ongoing, start: "2025-02-01", last: nil)?.since == Day("2025-02-01"))  // counted from the start
        #expect(w(.ongoing, start: nil, last: nil) == nil)
        #expect(w(.planned, last: nil) == nil)  // not started: only its end counts
        #expect(w(.completed, end: "2024-01-01", last: nil) == nil)
        #expect(w(.suspended, end: "2024-01-01", last: nil) == nil)
    }

    @Test func theCutoffsAreWhereTheRuleChangesLevel() {
        #expect(Day("2024-05-31")!.minus(months: 3) == Day("2024-02-29"))
        #expect(Day("2025-01-15")!.minus(months: 6) == Day("2024-07-15"))
        for text in ["2024-03-31", "2024-12-01", "2025-06-15", "2025-07-31"] {
            let d = Day(text)!
            let (amberBy, redBy) = WarningRules.projectCutoffs(today: d)
            #expect(amberBy.months(until: d) == WarningRules.stalledMonths && redBy.months(until: d) == 2 * WarningRules.stalledMonths)
            // The day after a cutoff is a month short.
            if let next = Day.after(amberBy) { #expect(next.months(until: d) == WarningRules.stalledMonths - 1 || next.day == 1) }
        }
    }

    @Test func tasksAreAmberThenRed() {
        let due = Day("2025-06-01")!
        #expect(WarningRules.task(id: 1, title: "t", regionCode: "520000", deadline: due, done: false, today: Day("2025-06-01")!) == nil)
        #expect(WarningRules.task(id: 1, title: "t", regionCode: "520000", deadline: due, done: false, today: Day("2025-06-02")!)?.level == .amber)
        #expect(WarningRules.task(id: 1, title: "t", regionCode: "520000", deadline: due, done: false, today: Day("2025-07-01")!)?.level == .red)
        #expect(WarningRules.task(id: 1, title: "t", regionCode: "520000", deadline: due, done: true, today: Day("2025-07-01")!) == nil)
    }

    @Test func anOfficesMonthlyPlanSetsWhatIsDue() throws {
        // Half the target due in March (seasonal labour), the rest spread.
        let plan = try #require(PaceProfile(monthlyPercent: [0, 0, 50, 5, 5, 5, 5, 5, 5, 5, 5, 10]))
        #expect(plan.cumulative[2] == 5_000 && plan.cumulative[11] == 10_000)
        #expect(plan.monthlyPercent == [0, 0, 50, 5, 5, 5, 5, 5, 5, 5, 5, 10])
        #expect(Pace.expected(target: 1_000, months: 2, profile: plan) == 0)
        #expect(Pace.expected(target: 1_000, months: 3, profile: plan) == 500)
        // 300 done by the end of March: on an even pace (250 due) fine; on the plan (500 due) red.
        #expect(Pace.level(actual: 300, target: 1_000, months: 3) == nil)
        #expect(Pace.level(actual: 300, target: 1_000, months: 3, profile: plan) == .red)
        // Nothing due yet is no warning.
        #expect(Pace.level(actual: 0, target: 1_000, months: 2, profile: plan) == nil)
        // What an office may not type.
        #expect(PaceProfile(monthlyPercent: Array(repeating: 8, count: 12)) == nil)  // 96
        #expect(PaceProfile(monthlyPercent: Array(repeating: 10, count: 10)) == nil)
        #expect(PaceProfile(monthlyPercent: [-10, 20] + Array(repeating: 9, count: 10)) == nil)
        #expect(PaceProfile(cumulative: [0, 0, 5_000, 4_000] + Array(repeating: 10_000, count: 8)) == nil)  // falls
    }

    @Test func aPlanIsReadAsOfficesTypeIt() {
        let even = [8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9]
        for text in [
            "8 8 8 8 8 8 8 8 9 9 9 9", "8,8,8,8,8,8,8,8,9,9,9,9", "8%，8%，8%，8%，8%，8%，8%，8%，9%，9%，9%，9%", "８ ８ ８ ８ ８ ８ ８ ８ ９ ９ ９ ９",
            "  8;8;8;8;8;8;8;8;9;9;9;9  ", "8、8、8、8、8、8、8、8、9、9、9、9",
        ] {
            #expect(PaceProfile(typed: text)?.monthlyPercent == even, "\(text)")
        }
        for text in [
            "", "8 8 8", "8 8 8 8 8 8 8 8 9 9 9 9 0", "8 8 8 8 8 8 8 8 9 9 9 x", "99999999999999999999 0 0 0 0 0 0 0 0 0 0 0",
            "-8 24 8 8 8 8 8 8 9 9 9 9", "8.5 7.5 8 8 8 8 8 8 9 9 9 9", String(repeating: "1 ", count: 10_000),
        ] {
            #expect(PaceProfile(typed: text) == nil, "\(text.prefix(40))")
        }
    }

    @Test func redComesFirst() {
        let a = Warning(level: .amber, kind: .indicatorBehind, regionCode: "520000", subject: "a", title: "a")
        let r = Warning(level: .red, kind: .taskOverdue, regionCode: "520000", subject: "1", title: "t")
        let r2 = Warning(level: .red, kind: .indicatorBehind, regionCode: "520500", subject: "b", title: "b")
        #expect(WarningRules.sorted([a, r, r2]).map(\.subject) == ["b", "1", "a"])
        #expect(r2.link == "/progress?indicator=b&region=520500" && r.link == "/tasks/1")
    }
}
