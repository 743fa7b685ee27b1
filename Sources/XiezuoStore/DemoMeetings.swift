import SQLKit
import XiezuoDomain

/// The demo's meetings: the 2024-06-04 joint conference in Guangzhou with the attendees its published report names,
/// its four work-area decisions turned into follow-up tasks, and the Guizhou delegation's study visit of 3–4 June
/// with the sites and enterprises the report lists. Task states and updates are illustrative.
extension Store {
    static func loadDemoMeetings(_ db: any SQLDatabase, province: Pairing, actor: Actor) async throws {
        let conference = try await insertMeeting(
            db,
            Meeting(
                id: 0, pairingId: province.id, kind: .jointConference,
                title: "2024年粤黔东西部协作联席会议", date: Day(year: 2024, month: 6, day: 4)!, place: "广东省广州市", hostSide: .east,
                summary: "贵州省党政代表团6月3日至4日来广东考察。两省召开粤黔东西部协作联席会议，就进一步谋深做实协作工作进行对接交流，聚焦落实粤黔2024年东西部协作协议。",
                agenda: "一、两省省长分别介绍广东、贵州经济社会发展情况和协作工作进展\n二、两省省委书记讲话\n三、对接交流进一步谋深做实协作工作",
                minutes: "会议由广东省委书记主持。双方回顾去年以来粤黔协作进展，围绕巩固拓展脱贫攻坚成果、产业科技协作、开放合作、社会民生协作四个方面明确了今年的工作重点。",
                isDemo: true), actor: actor)
        for (name, position, side) in demoAttendees {
            _ = try await insertAttendee(db, Attendee(id: 0, meetingId: conference.id, name: name, position: position, side: side), actor: actor)
        }
        for (area, text, tasks) in demoDecisions {
            let decision = try await insertDecision(db, Decision(id: 0, meetingId: conference.id, workArea: area, text: text), actor: actor)
            for t in tasks {
                let task = try await insertTask(
                    db,
                    FollowUpTask(
                        id: 0, decisionId: decision.id, meetingId: conference.id, title: t.title,
                        ownerOffice: t.office, ownerRegionCode: t.region, deadline: Day(t.deadline)!, isDemo: true), actor: actor)
                for (date, text, status) in t.updates {
                    _ = try await insertUpdate(
                        db,
                        TaskUpdate(
                            id: 0, taskId: task.id, date: Day(date)!, text: text, evidence: "演示数据",
                            status: status, author: "demo"), expectedVersion: nil, actor: actor)
                }
            }
        }

        let visit = try await insertMeeting(
            db,
            Meeting(
                id: 0, pairingId: province.id, kind: .studyVisit,
                title: "贵州省党政代表团来粤考察", date: Day(year: 2024, month: 6, day: 3)!, endDate: Day(year: 2024, month: 6, day: 4)!,
                place: "广州、珠海、佛山、中山", hostSide: .east,
                summary: "代表团详细了解广东推进粤港澳大湾区建设、基础设施互联互通、产业科技互促双强、培育壮大新兴产业和完善医疗卫生服务体系等方面的情况。",
                isDemo: true), actor: actor)
        for (city, name, kind) in demoStops {
            _ = try await insertStop(db, ItineraryStop(id: 0, meetingId: visit.id, date: nil, city: city, name: name, kind: kind), actor: actor)
        }

        try await loadDemoPastYear(db, province: province, actor: actor)
        _ = try await upsertAssessment(
            db,
            AssessmentRecord(
                pairingId: province.id, year: demoYear,
                selfAssessment: "贵州方面：2024年协议各项指标总体按进度推进，消费协作和劳务协作成效明显，共建产业园区引进企业仍需加力。（演示数据）",
                partnerComment: "广东方面：同意贵州方面的自评意见，建议下一年度加大产业园区共建和跨省通办事项推进力度。（演示数据）"), actor: actor)
    }

    /// The year before, in brief: a province agreement with lower targets and year-end figures per prefecture, so the
    /// assessment has a past year to set beside 2024.
    static func loadDemoPastYear(_ db: any SQLDatabase, province: Pairing, actor: Actor) async throws {
        let year = demoYear - 1
        var rng = SplitMix64(seed: 2023_06_01)
        let agreement = try await insertAgreement(
            db, pairingId: province.id, year: year, title: "粤黔2023年东西部协作协议",
            status: .signed, isDemo: true, actor: actor)
        let counties = try await db.raw("SELECT code, parent_code FROM regions WHERE level = 'county' AND code LIKE '52%' ORDER BY code")
            .all().map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "parent_code", as: String.self)) }
        var firstCounty: [String: String] = [:]
        for (code, parent) in counties where firstCounty[parent] == nil { firstCounty[parent] = code }
        let shares = prefectureShares.merging(["522300": 100 - prefectureShares.values.reduce(0, +)]) { a, _ in a }
        for (area, text, targets) in demoTasks {
            let task = try await insertTask(db, agreementId: agreement.id, workArea: area, text: text, actor: actor)
            for (code, value) in targets {
                let target = value * 85 / 100
                _ = try await upsertTarget(db, taskId: task.id, indicatorCode: code, value: target, actor: actor)
                let pace = 78 + Int64(rng.next() % 25)
                for (prefecture, share) in shares.sorted(by: { $0.key < $1.key }) {
                    guard let county = firstCounty[prefecture] else { continue }
                    let v = target * pace / 100 * share / 100
                    guard v > 0 else { continue }
                    _ = try await insertProgress(
                        db,
                        ProgressReport(
                            id: 0, indicatorCode: code, regionCode: county, year: year, month: 12,
                            value: v, state: .approved, note: "演示数据（年度汇总）"), actor: actor)
                }
            }
        }
        _ = try await upsertAssessment(
            db,
            AssessmentRecord(
                pairingId: province.id, year: year,
                selfAssessment: "贵州方面：2023年协议指标大部分完成。（演示数据）", partnerComment: "广东方面：同意。（演示数据）"), actor: actor)
    }

    static let demoAttendees: [(String, String, Side)] = [
        ("黄坤明", "广东省委书记（主持会议并讲话）", .east),
        ("王伟中", "广东省委副书记、省长", .east),
        ("黄楚平", "广东省人大常委会主任（参加有关活动）", .east),
        ("陈建文", "广东省领导（参加有关活动）", .east), ("王曦", "广东省领导（参加有关活动）", .east),
        ("郭永航", "广东省领导（参加有关活动）", .east), ("肖亚非", "广东省领导（参加有关活动）", .east),
        ("张新", "广东省领导（参加有关活动）", .east), ("陈良贤", "广东省领导（参加有关活动）", .east),
        ("郑轲", "广东省领导（参加有关活动）", .east), ("高松", "中山大学校长（参加有关活动）", .east),
        ("徐麟", "贵州省委书记（出席会议并讲话）", .west),
        ("李炳军", "贵州省委副书记、省长", .west),
        ("胡忠雄", "贵州省领导（参加有关活动）", .west), ("时玉宝", "贵州省领导（参加有关活动）", .west),
        ("郭锡文", "贵州省领导（参加有关活动）", .west), ("王忠", "贵州省领导（参加有关活动）", .west),
        ("蔡朝林", "贵州省领导（参加有关活动）", .west), ("罗强", "贵州省领导（参加有关活动）", .west),
        ("李汉宇", "贵州省领导（参加有关活动）", .west),
    ]

    struct DemoTask {
        var title: String, office: String, region: String, deadline: String
        var updates: [(String, String, TaskStatus)]
    }

    static let demoDecisions: [(WorkArea, String, [DemoTask])] = [
        (
            .consolidation, "以更实举措助力巩固拓展脱贫攻坚成果：持续支持国家乡村振兴重点帮扶县和易地扶贫搬迁安置区等重点区域，深化粤黔消费协作，推动黔货出山入粤进湾，抓好宜居宜业和美乡村建设。",
            [
                DemoTask(
                    title: "财政援助资金向国家乡村振兴重点帮扶县倾斜，年内全部拨付到位", office: "广东省东西部协作工作领导小组办公室",
                    region: "440000", deadline: "2024-12-31",
                    updates: [("2024-09-30", "已拨付全年财政援助资金的七成。", .inProgress), ("2024-12-20", "全年财政援助资金已全部拨付。", .done)]),
                DemoTask(
                    title: "组织黔货入粤进湾展销活动", office: "贵州省乡村振兴局", region: "520000", deadline: "2024-10-31",
                    updates: [("2024-10-18", "在广州、深圳举办展销活动两场。", .done)]),
            ]
        ),
        (
            .industry, "以更好方式强化产业科技协作：深入实施协作帮扶产业提升行动，以产业园区共建为抓手推动产业链跨区域布局，组织两省高校、科研院所、科创企业开展产学研合作。",
            [
                DemoTask(
                    title: "制定共建产业园区年度招商计划并落地一批企业", office: "毕节市东西部协作工作办公室", region: "520500",
                    deadline: "2024-09-30", updates: [("2024-08-15", "招商计划已印发，正在对接企业。", .inProgress)]),
                DemoTask(
                    title: "推动两省高校、科研院所签订产学研合作协议", office: "广州市协作办", region: "440100", deadline: "2025-06-30",
                    updates: []),
            ]
        ),
        (
            .opening, "以更高水平深化开放合作：强化粤港澳大湾区与贵州战略对接，引导企业“双向奔赴”，开展特色产品异地展销和旅游资源互推互介。",
            [
                DemoTask(
                    title: "举办粤黔旅游资源互推互介活动", office: "贵州省文化和旅游厅", region: "520000", deadline: "2024-11-30",
                    updates: [("2024-11-10", "在广州举办旅游推介会。", .done)])
            ]
        ),
        (
            .social, "以更大力度推进社会民生协作：落实就业稳岗措施，深化教育、医疗等重点领域帮扶，推动更多便民服务事项实现跨省通办。",
            [
                DemoTask(
                    title: "新增一批粤黔跨省通办便民服务事项", office: "贵州省政务服务中心", region: "520000", deadline: "2024-12-31",
                    updates: []),
                DemoTask(
                    title: "落实务工人员就业稳岗措施", office: "广东省人力资源和社会保障厅", region: "440000", deadline: "2024-12-31",
                    updates: [("2024-07-01", "已建立稳岗联络机制。", .inProgress)]),
            ]
        ),
    ]

    static let demoStops: [(String, String, StopKind)] = [
        ("珠海", "横琴粤澳深度合作区", .site), ("中山", "深中通道建设现场", .site), ("佛山", "广东工业设计城", .site),
        ("佛山", "季华实验室", .site), ("广州", "省中医院大学城医院", .site), ("广州", "国家超级计算广州中心", .site),
        ("珠海", "中航通飞华南飞机工业有限公司", .enterprise), ("中山", "明阳智慧能源集团股份公司", .enterprise),
        ("广州", "广新控股集团有限公司", .enterprise),
    ]
}
