import Testing

@testable import XiezuoDomain

/// Who may approve what the assessment counts: every role at every level on both sides, against a western county's
/// and a western prefecture's data, as author and as someone else.
@Suite struct ReviewRuleTests {
    static let nayong = Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west)
    static let bijie = Region(code: "520500", name: "毕节市", level: .prefecture, parentCode: "520000", side: .west)

    struct Home {
        let code: String
        let level: RegionLevel
        let side: Side
        let name: String
    }
    static let homes = [
        Home(code: "520000", level: .province, side: .west, name: "贵州省"),
        Home(code: "520500", level: .prefecture, side: .west, name: "毕节市"),
        Home(code: "520300", level: .prefecture, side: .west, name: "遵义市 (another prefecture)"),
        Home(code: "520525", level: .county, side: .west, name: "纳雍县"),
        Home(code: "440000", level: .province, side: .east, name: "广东省"),
        Home(code: "440100", level: .prefecture, side: .east, name: "广州市 (Bijie's partner)"),
        Home(code: "440111", level: .county, side: .east, name: "白云区"),
    ]

    func user(_ role: Role, _ h: Home, name: String = "reviewer") -> UserAccount {
        UserAccount(id: 1, username: name, role: role, regionCode: h.code, regionLevel: h.level, side: h.side, state: .active)
    }

    /// The expected answer, written out rather than derived: the western offices above the data, inside their own
    /// scope, and administrators.
    func expected(_ role: Role, _ h: Home, _ data: Region) -> Bool {
        switch (role, h.code, data.code) {
        case (.admin, _, _): return true
        case (.provinceCoordinator, "520000", _): return true
        case (.prefectureOfficer, "520500", "520525"): return true  // Bijie over Nayong; not over itself
        default: return false
        }
    }

    @Test func everyRoleLevelAndSide() {
        var checked = 0
        for role in Role.allCases {
            for h in Self.homes where role.homeLevels.contains(h.level) {
                for data in [Self.nayong, Self.bijie] {
                    let u = user(role, h)
                    let want = expected(role, h, data)
                    #expect(ReviewRule.mayReview(u, region: data) == want, "\(role) of \(h.name) on \(data.name)")
                    #expect(
                        ReviewRule.mayApprove(u, region: data, authors: Authorship(createdBy: "someone")) == want,
                        "\(role) of \(h.name) on \(data.name)")
                    // Nobody approves their own work, administrators included, however they made it.
                    for own in [
                        Authorship(createdBy: "reviewer"), Authorship(createdBy: "x", changedBy: "reviewer"),
                        Authorship(createdBy: "x", submittedBy: "reviewer"),
                    ] {
                        #expect(!ReviewRule.mayApprove(u, region: data, authors: own), "\(role) of \(h.name) approving own work")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked >= 30)
    }

    @Test func theEasternPartnerConfirmsButNeverApproves() {
        let guangzhou = user(.prefectureOfficer, Self.homes[5])
        let readable = ["4401", "5205"]  // its own scope and the western prefecture it assists
        #expect(!ReviewRule.mayApprove(guangzhou, region: Self.nayong, authors: Authorship(createdBy: "nayong")))
        #expect(ReviewRule.mayConfirm(guangzhou, region: Self.nayong, readable: readable, authors: Authorship(createdBy: "nayong")))
        // Not a row it recorded itself, not a county it does not assist, and never the western side's own offices.
        #expect(!ReviewRule.mayConfirm(guangzhou, region: Self.nayong, readable: readable, authors: Authorship(createdBy: "reviewer")))
        #expect(!ReviewRule.mayConfirm(guangzhou, region: Self.nayong, readable: ["4401"], authors: Authorship(createdBy: "nayong")))
        #expect(!ReviewRule.mayConfirm(user(.prefectureOfficer, Self.homes[1]), region: Self.nayong, readable: ["5205"], authors: Authorship()))
        var viewer = user(.viewer, Self.homes[5])
        viewer.role = .viewer
        #expect(!ReviewRule.mayConfirm(viewer, region: Self.nayong, readable: readable, authors: Authorship()))
    }
}
