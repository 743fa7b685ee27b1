import Testing

@testable import XiezuoDomain

@Suite struct AssessmentTests {
    let ind = IndicatorCatalogue.byCode["workers_placed"]!
    let money = IndicatorCatalogue.byCode["fiscal_aid"]!

    @Test func gradeBoundariesGiveTheHigherGrade() {
        let r = GradeRule.standard
        #expect(r.grade(10_000) == .good)
        #expect(r.grade(9_000) == .good)
        #expect(r.grade(8_999) == .fairlyGood)
        #expect(r.grade(7_500) == .fairlyGood)
        #expect(r.grade(7_499) == .average)
        #expect(r.grade(6_000) == .average)
        #expect(r.grade(5_999) == .poor)
        #expect(r.grade(0) == .poor)
    }

    /// A score exactly on a boundary, reached through the weighting, is graded up; one hundredth below is not.
    @Test func scoresOnBoundariesThroughWeights() {
        // Completion 90% on one indicator only: 90.00 points.
        let s = AssessmentScore(progress: [(ind, 1_000, 900)], weights: [:])
        #expect(s.total == 9_000 && s.grade == .good)
        let below = AssessmentScore(progress: [(ind, 10_000, 8_999)], weights: [:])
        #expect(below.total == 8_999 && below.grade == .fairlyGood)
        // Weights 3:1, completions 100% and 0%: 75.00 points exactly.
        let w = AssessmentScore(progress: [(ind, 100, 100), (money, 100, 0)], weights: ["workers_placed": 3, "fiscal_aid": 1])
        #expect(w.total == 7_500 && w.grade == .fairlyGood)
        #expect(w.rows.map(\.points) == [7_500, 0])
        // 60.00 exactly with equal default weights: 100% and 20%.
        let e = AssessmentScore(progress: [(ind, 100, 100), (money, 100, 20)], weights: [:])
        #expect(e.total == 6_000 && e.grade == .average)
        #expect(AssessmentScore(progress: [(ind, 100, 100), (money, 10_000, 1_999)], weights: [:]).grade == .poor)
    }

    @Test func overFulfilmentIsCappedAndZeroWeightIsNotScored() {
        let s = AssessmentScore(progress: [(ind, 100, 300), (money, 100, 50)], weights: ["fiscal_aid": 0])
        #expect(s.total == 10_000)
        #expect(s.rows[0].completion == 10_000 && s.rows[1].points == 0)
        #expect(AssessmentScore.pointsText(7_505) == "75.05" && AssessmentScore.pointsText(10_000) == "100.00")
    }

    @Test func weightsAreValidated() {
        let inds = [ind, money]
        guard case .success(let w) = WeightRules.parse(["weight_workers_placed": "3", "weight_fiscal_aid": "1"], indicators: inds) else {
            Issue.record("valid weights refused")
            return
        }
        #expect(w == ["workers_placed": 3, "fiscal_aid": 1])
        guard case .failure(let f) = WeightRules.parse(["weight_workers_placed": "-1", "weight_fiscal_aid": "abc"], indicators: inds) else {
            Issue.record("invalid weights taken")
            return
        }
        #expect(Set(f.issues.map(\.field)) == ["weight_workers_placed", "weight_fiscal_aid"])
        guard case .failure(let z) = WeightRules.parse(["weight_workers_placed": "0", "weight_fiscal_aid": "0"], indicators: inds) else {
            Issue.record("all-zero weights taken")
            return
        }
        #expect(z.issues.map(\.key) == ["error.weights_zero"])
    }

    @Test func taskStateFollowsTheDeadline() {
        let t = FollowUpTask(
            id: 1, decisionId: 1, meetingId: 1, title: "t", ownerOffice: "o", ownerRegionCode: "520500",
            deadline: Day("2024-09-30")!, status: .inProgress)
        #expect(t.state(on: Day("2024-09-30")!) == .inProgress)
        #expect(t.state(on: Day("2024-10-01")!) == .overdue)
        var done = t
        done.status = .done
        #expect(done.state(on: Day("2025-01-01")!) == .done)
    }
}

@Suite struct MentionTests {
    @Test func knownPeopleAreFoundOnceInOrder() {
        let text = "省委书记黄坤明主持会议，贵州省委书记徐麟出席。黄坤明说……扩张新区建设。省领导张新、王曦参加。"
        #expect(Mentions.people(in: text, known: ["徐麟", "黄坤明", "张新", "王曦", "李四"]) == ["黄坤明", "徐麟", "张新", "王曦"])
        // 张新 inside 扩张新区 alone is not a mention.
        #expect(Mentions.people(in: "扩张新区建设", known: ["张新"]).isEmpty)
    }

    @Test func organisationsEndWithTheirKind() {
        let text = "深入横琴粤澳深度合作区、广东工业设计城、季华实验室、国家超级计算广州中心以及中航通飞华南飞机工业有限公司、明阳智慧能源集团股份公司等企业，中山大学校长高松"
        let orgs = Mentions.organisations(in: text)
        #expect(orgs.contains("横琴粤澳深度合作区"))
        #expect(orgs.contains("季华实验室") && orgs.contains("国家超级计算广州中心"))
        #expect(orgs.contains("中航通飞华南飞机工业有限公司") && orgs.contains("明阳智慧能源集团股份公司"))
        #expect(!orgs.contains { $0.hasPrefix("以及") || $0.hasPrefix("深入") })
        #expect(Mentions.organisations(in: "今天天气很好。").isEmpty)
    }
}
