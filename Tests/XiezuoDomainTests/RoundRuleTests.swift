import Testing

@testable import XiezuoDomain

/// The rules of a reporting round: when its period locks, what each member's state is, and who may do what.
@Suite struct RoundRuleTests {
    func round(deadline: String = "2025-03-10", lock: RoundLock = .atDeadline, opener: String = "520500") -> ReportingRound {
        ReportingRound(
            id: 1, title: "t", openerRegionCode: opener, openedBy: "o", year: 2025, month: 2, deadline: Day(deadline)!,
            indicatorCodes: ["fiscal_aid"], ledgers: [], lock: lock)
    }

    func user(_ role: Role, _ code: String, _ level: RegionLevel, _ side: Side = .west, state: AccountState = .active) -> UserAccount {
        UserAccount(id: 1, username: "u", role: role, regionCode: code, regionLevel: level, side: side, state: state)
    }

    @Test func thePeriodLocksTheDayAfterTheDeadlineUnlessUnlocked() {
        #expect(!round().isLocked(on: Day("2025-03-10")!))  // the deadline's own day is still open
        #expect(round().isLocked(on: Day("2025-03-11")!))
        #expect(round().isLocked(on: Day("2026-01-01")!))
        #expect(!round(lock: .unlocked).isLocked(on: Day("2026-01-01")!))
        #expect(round(lock: .locked).isLocked(on: Day("2025-03-01")!))  // locked again holds whatever the day
        #expect(round().firstDay == Day("2025-02-01") && round().lastDay == Day("2025-02-28"))
        #expect(round().period == "2025-02")
    }

    @Test func aMembersStateFollowsItsReturn() {
        let r = round()
        #expect(RoundMember(regionCode: "520525").status(in: r, today: Day("2025-03-10")!) == .pending)
        #expect(RoundMember(regionCode: "520525").status(in: r, today: Day("2025-03-11")!) == .late)
        #expect(RoundMember(regionCode: "520525", reminders: 3).status(in: r, today: Day("2025-03-11")!) == .late)
        #expect(RoundMember(regionCode: "520525", submittedAt: "x").status(in: r, today: Day("2025-04-01")!) == .submitted)
        // Sent back wins: there is work to do again, before or after the deadline.
        #expect(RoundMember(regionCode: "520525", submittedAt: "x", returned: 1).status(in: r, today: Day("2025-03-01")!) == .returned)
        #expect(RoundMember(regionCode: "520525", submittedAt: "x", returned: 2).status(in: r, today: Day("2025-05-01")!) == .returned)
        // Closed early by its office: whoever is not in is late from then.
        #expect(RoundMember(regionCode: "520525").status(in: round(lock: .locked), today: Day("2025-03-01")!) == .late)
        #expect(RoundMember(regionCode: "520525").status(in: round(lock: .unlocked), today: Day("2025-03-01")!) == .pending)
    }

    @Test func aLateReturnIsAWarningAmberThenRed() {
        let r = round()
        let m = RoundMember(regionCode: "520525")
        #expect(WarningRules.roundLate(round: r, member: m, today: Day("2025-03-10")!) == nil)  // the deadline's day
        #expect(WarningRules.roundLate(round: r, member: m, today: Day("2025-03-11")!)?.level == .amber)
        #expect(WarningRules.roundLate(round: r, member: m, today: Day("2025-03-16")!)?.level == .amber)
        #expect(WarningRules.roundLate(round: r, member: m, today: Day("2025-03-17")!)?.level == .red)
        #expect(WarningRules.roundLate(round: r, member: RoundMember(regionCode: "520525", submittedAt: "x"), today: Day("2025-04-01")!) == nil)
        // Closed early: late at once, amber.
        let w = WarningRules.roundLate(round: round(lock: .locked), member: m, today: Day("2025-03-01")!)
        #expect(w?.level == .amber && w?.kind == .roundLate && w?.link == "/rounds/1" && w?.subject == "1:520525")
    }

    @Test func whoOpensManagesReadsAndSubmits() {
        let bijie = user(.prefectureOfficer, "520500", .prefecture)
        let zunyi = user(.prefectureOfficer, "520300", .prefecture)
        let province = user(.provinceCoordinator, "520000", .province)
        let nayong = user(.countyReporter, "520525", .county)
        let viewer = user(.viewer, "520000", .province)
        let guangdong = user(.provinceCoordinator, "440000", .province, .east)
        let gone = user(.prefectureOfficer, "520500", .prefecture, state: .disabled)
        #expect(RoundRule.mayOpen(bijie) && RoundRule.mayOpen(province) && RoundRule.mayOpen(guangdong))
        #expect(!RoundRule.mayOpen(nayong) && !RoundRule.mayOpen(viewer) && !RoundRule.mayOpen(gone))
        let county = Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west)
        let prefecture = Region(code: "520500", name: "毕节市", level: .prefecture, parentCode: "520000", side: .west)
        #expect(RoundRule.mayInclude(bijie, region: county) && RoundRule.mayInclude(province, region: county))
        #expect(RoundRule.mayInclude(province, region: prefecture) && !RoundRule.mayInclude(bijie, region: prefecture))
        #expect(!RoundRule.mayInclude(zunyi, region: county) && !RoundRule.mayInclude(guangdong, region: county))
        let r = round()
        #expect(RoundRule.mayManage(bijie, round: r) && RoundRule.mayManage(province, round: r))
        #expect(!RoundRule.mayManage(zunyi, round: r) && !RoundRule.mayManage(nayong, round: r) && !RoundRule.mayManage(gone, round: r))
        #expect(RoundRule.mayRead(nayong, round: r, members: ["520525"]) && !RoundRule.mayRead(nayong, round: r, members: ["520521"]))
        #expect(!RoundRule.mayRead(zunyi, round: r, members: ["520525"]) && RoundRule.mayRead(viewer, round: r, members: []))
        #expect(RoundRule.maySubmit(nayong, member: "520525") && !RoundRule.maySubmit(nayong, member: "520521"))
        #expect(!RoundRule.maySubmit(viewer, member: "520525") && RoundRule.maySubmit(bijie, member: "520525"))
        #expect(RoundRule.askable(IndicatorCatalogue.byCode["fiscal_aid"]!) && !RoundRule.askable(IndicatorCatalogue.byCode["workers_placed"]!))
    }

    @Test func aChangeIsDecidedByTheLevelAboveAndNeverByItsRequester() {
        let county = Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west)
        let bijie = user(.prefectureOfficer, "520500", .prefecture)
        #expect(ChangeRequest.mayDecide(bijie, region: county, requestedBy: "nayong"))
        #expect(!ChangeRequest.mayDecide(bijie, region: county, requestedBy: "u"))  // its own request
        #expect(!ChangeRequest.mayDecide(user(.countyReporter, "520525", .county), region: county, requestedBy: "nayong"))
        #expect(!ChangeRequest.mayDecide(user(.prefectureOfficer, "520300", .prefecture), region: county, requestedBy: "nayong"))
        #expect(!ChangeRequest.mayDecide(user(.provinceCoordinator, "440000", .province, .east), region: county, requestedBy: "nayong"))
    }
}
