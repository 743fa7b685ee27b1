import SQLKit
import XiezuoDomain

extension Store {
    /// The demo's reporting round: 毕节市 asks its counties for November's fiscal aid and village figures by
    /// 10 December. Every county but 纳雍县 has submitted (its figures wait for the prefecture's review, and the
    /// period is locked for them once the deadline has passed); 纳雍县 has not, and was reminded once.
    static func loadDemoRound(_ db: any SQLDatabase, counties: [Region], figures: [ProgressReport], actor: Actor) async throws {
        let prefecture = "520500"
        let late = "520525"
        let members = counties.filter { $0.parentCode == prefecture }.sorted { $0.code < $1.code }
        guard !members.isEmpty else { return }
        let asked = ["fiscal_aid", "fiscal_aid_key_counties", "demo_villages"]
        let round = ReportingRound(
            id: 0, title: "\(demoYear)年11月东西部协作资金和示范村数据填报", openerRegionCode: prefecture, openedBy: "bijie", year: demoYear,
            month: 11, deadline: Day(year: demoYear, month: 12, day: 10)!, indicatorCodes: asked, ledgers: [.labour],
            note: "请各县（市、区）于12月10日前上报11月数据，并附拨付凭证等佐证材料。")
        let now = Self.now()
        let id = try await db.raw(
            """
            INSERT INTO rounds (title, opener_region, opened_by, year, month, deadline, indicators, ledgers, lock_state, note, is_demo,
                                created_at, updated_at)
            VALUES (\(bind: round.title), \(bind: prefecture), 'bijie', \(bind: round.year), 11, \(bind: round.deadline.description),
                    \(bind: asked.joined(separator: ",")), 'labour', 'deadline', \(bind: round.note), 1, \(bind: now), \(bind: now)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = round
        saved.id = id
        try await Self.audit(
            db, actor, entity: "round", id: String(id), action: "create", before: AuditedRound?.none,
            after: AuditedRound(round: saved, members: members.map(\.code)))
        // November as October was, county by county, sent for review by every county but the late one.
        var november: [ProgressReport] = []
        for f in figures where f.month == 10 && asked.contains(f.indicatorCode) && f.regionCode.hasPrefix("5205") && f.regionCode != late {
            var n = f
            n.month = 11
            n.state = .submitted
            n.note = "演示数据：11月"
            november.append(n)
        }
        try await Self.insertProgressBatch(db, november, actor: actor)
        for m in members {
            let submitted = m.code != late
            try await db.raw(
                """
                INSERT INTO round_members (round_id, region_code, scope_prefix, submitted_at, submitted_by, reminders, reminded_at, reminded_by)
                VALUES (\(bind: id), \(bind: m.code), \(bind: m.code), \(bind: submitted ? "\(demoYear)-12-0\(3 + Int(m.code.suffix(1))! % 5)T02:00:00Z" : nil),
                        \(bind: submitted ? "demo" : nil), \(bind: submitted ? 0 : 1), \(bind: submitted ? nil : "\(demoYear)-12-08T01:30:00Z"),
                        \(bind: submitted ? nil : "bijie"))
                """
            ).run()
        }
    }
}
