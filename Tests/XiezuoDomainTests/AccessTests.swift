import Testing

@testable import XiezuoDomain

@Suite struct AccessRuleTests {
    func user(_ role: Role, _ code: String, _ level: RegionLevel, _ side: Side = .west) -> UserAccount {
        UserAccount(id: 1, username: "u", role: role, regionCode: code, regionLevel: level, side: side, state: .active)
    }
    let bijieToGuangzhou = Pairing(id: 2, level: .city, eastCode: "440100", westCode: "520500", sinceYear: 2021)

    @Test func scopeIsTheHomeRegionAndEverythingInsideIt() {
        let bijie = user(.prefectureOfficer, "520500", .prefecture)
        #expect(AccessRule.canRead(bijie, regionCode: "520525"))  // 纳雍 is inside 毕节
        #expect(!AccessRule.canRead(bijie, regionCode: "520323"))  // 绥阳 (遵义) is not
        #expect(!AccessRule.canRead(bijie, regionCode: "520000"))  // nor the province above
        let nayong = user(.countyReporter, "520525", .county)
        #expect(AccessRule.canWrite(nayong, regionCode: "520525") && !AccessRule.canWrite(nayong, regionCode: "520526"))
    }

    @Test func viewersReadOnlyAndDisabledUsersNothing() {
        let viewer = user(.viewer, "520000", .province)
        #expect(AccessRule.canRead(viewer, regionCode: "520525") && !AccessRule.canWrite(viewer, regionCode: "520525"))
        var off = user(.admin, "520000", .province)
        off.state = .disabled
        #expect(!AccessRule.canRead(off, regionCode: "520525"))
    }

    @Test func pairingDataIsVisibleToBothSides() {
        #expect(AccessRule.canRead(user(.prefectureOfficer, "440100", .prefecture, .east), pairing: bijieToGuangzhou))
        #expect(AccessRule.canRead(user(.countyReporter, "520525", .county), pairing: bijieToGuangzhou))  // inside 毕节
        #expect(!AccessRule.canRead(user(.countyReporter, "520323", .county), pairing: bijieToGuangzhou))
        #expect(AccessRule.canRead(user(.provinceCoordinator, "520000", .province), pairing: bijieToGuangzhou))
        #expect(!AccessRule.canRead(user(.prefectureOfficer, "520300", .prefecture), pairing: bijieToGuangzhou))
        #expect(AccessRule.canManage(user(.provinceCoordinator, "440000", .province, .east), pairing: bijieToGuangzhou))
        #expect(!AccessRule.canManage(user(.prefectureOfficer, "520500", .prefecture), pairing: bijieToGuangzhou))
    }

    @Test func easternOfficesReadWhatTheyAssist() {
        let guangzhou = user(.prefectureOfficer, "440100", .prefecture, .east)
        let prefixes = AccessRule.readablePrefixes(
            guangzhou,
            pairings: [
                bijieToGuangzhou,
                Pairing(id: 3, level: .city, eastCode: "440400", westCode: "520300", sinceYear: 2021),
            ], year: 2024)
        #expect(prefixes == ["4401", "5205"])
        #expect(AccessRule.canRead(prefixes, regionCode: "520525") && !AccessRule.canRead(prefixes, regionCode: "520323"))
        #expect(AccessRule.readablePrefixes(user(.admin, "520000", .province), pairings: [], year: 2024) == nil)
        // An ended pairing grants nothing any more; one not yet begun, nothing yet.
        var ended = bijieToGuangzhou
        ended.untilYear = 2023
        #expect(AccessRule.readablePrefixes(guangzhou, pairings: [ended], year: 2024) == ["4401"])
        #expect(AccessRule.readablePrefixes(guangzhou, pairings: [bijieToGuangzhou], year: 2020) == ["4401"])
    }

    @Test func reviewIsByTheLevelAbove() {
        let nayong = Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west)
        #expect(ReviewRule.mayReview(user(.prefectureOfficer, "520500", .prefecture), region: nayong))
        #expect(!ReviewRule.mayReview(user(.countyReporter, "520525", .county), region: nayong))
        #expect(!ReviewRule.mayReview(user(.prefectureOfficer, "520300", .prefecture), region: nayong))
    }

    @Test func passwordAndUsernameRules() {
        #expect(PasswordRule.check("short1", username: "li").map(\.key) == ["error.password_short"])
        #expect(PasswordRule.check("onlyletterslong", username: "li").map(\.key) == ["error.password_mix"])
        #expect(PasswordRule.check("wangwei2024abc", username: "wangwei").map(\.key) == ["error.password_username"])
        #expect(PasswordRule.check("Guizhou-2024-ok", username: "li").isEmpty)
        #expect(PasswordRule.usernameIssues("li.ming").isEmpty && !PasswordRule.usernameIssues("Li Ming").isEmpty)
    }
}
