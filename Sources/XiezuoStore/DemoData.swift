import SQLKit
import XiezuoDomain

/// Demonstration data around the 2024 Guangdong–Guizhou agreement. Figures are illustrative (marked as demo on
/// screen); the structure — pairings, work areas, the 2024-06-04 joint conference in Guangzhou — follows the
/// published report of that conference. Deterministic: the same database every time.
extension Store {
    public static let demoYear = 2024

    public func isEmpty() async throws -> Bool {
        try await backend.read { db in
            let a = try await db.raw("SELECT COUNT(*) AS n FROM agreements").first()!.decode(column: "n", as: Int.self)
            let p = try await db.raw("SELECT COUNT(*) AS n FROM projects").first()!.decode(column: "n", as: Int.self)
            return a == 0 && p == 0
        }
    }

    /// Loads the demo data into an empty database, in one transaction. Returns false (and writes nothing) when the
    /// database already holds agreements or projects, so real data is never mixed with or replaced by demo data.
    @discardableResult
    public func loadDemo() async throws -> Bool {
        guard try await isEmpty() else { return false }
        let pairings = try await self.pairings()
        // The demo is Guangdong–Guizhou: its counties are those of the province pairing's western province (the
        // table also holds Guangxi, Guangdong's other partner, which the demo leaves empty).
        let westProvince = pairings.first { $0.level == .province }.map { String($0.westCode.prefix(2)) } ?? "52"
        let counties = try await regions().filter { $0.side == .west && $0.level == .county && $0.code.hasPrefix(westProvince) }
        let actor = Actor(name: "demo", address: nil)
        try await backend.write { db in
            guard let province = pairings.first(where: { $0.level == .province }) else { return }
            var rng = SplitMix64(seed: 2024_06_04)

            // The province agreement: one task per work area the conference named, each with targets.
            let agreement = try await Self.insertAgreement(
                db, pairingId: province.id, year: Self.demoYear,
                title: "粤黔2024年东西部协作协议", status: .signed, isDemo: true, actor: actor)
            for (area, text, targets) in Self.demoTasks {
                let task = try await Self.insertTask(db, agreementId: agreement.id, workArea: area, text: text, actor: actor)
                for (code, value) in targets {
                    _ = try await Self.upsertTarget(db, taskId: task.id, indicatorCode: code, value: value, actor: actor)
                }
            }

            // City agreements: each prefecture's share of the province targets.
            let cityPairings = pairings.filter { $0.level == .city }
            let shares = Self.prefectureShares
            for p in cityPairings {
                let share = shares[p.westCode] ?? 10
                let east = Self.cityNames[p.eastCode] ?? p.eastCode
                let west = Self.cityNames[p.westCode] ?? p.westCode
                let a = try await Self.insertAgreement(
                    db, pairingId: p.id, year: Self.demoYear,
                    title: "\(east)—\(west)2024年东西部协作协议", status: .signed,
                    isDemo: true, actor: actor)
                for (area, text, targets) in Self.demoTasks {
                    let task = try await Self.insertTask(db, agreementId: a.id, workArea: area, text: text, actor: actor)
                    for (code, value) in targets {
                        _ = try await Self.upsertTarget(db, taskId: task.id, indicatorCode: code, value: value * share / 100, actor: actor)
                    }
                }
            }

            // Monthly progress, January to October, reported by counties. Each indicator reaches a pace between 55%
            // and 95% of its province target, split among prefectures by their share (黔西南, unpaired, takes the rest)
            // and spread evenly over their counties and months, so city agreements show comparable completion.
            var figures: [ProgressReport] = []
            var sharesWithRest = shares
            sharesWithRest["522300"] = 100 - shares.values.reduce(0, +)
            for (_, _, targets) in Self.demoTasks {
                // Ledger-sourced indicators come from the demo ledgers below, not from typed figures.
                for (code, provinceTarget) in targets where IndicatorCatalogue.byCode[code]?.ledger == nil {
                    let pace = 55 + Int64(rng.next() % 41)
                    for (prefecture, share) in sharesWithRest.sorted(by: { $0.key < $1.key }) {
                        let inPrefecture = counties.filter { $0.parentCode == prefecture }
                        guard !inPrefecture.isEmpty else { continue }
                        let total = provinceTarget * pace / 100 * share / 100 * Int64(85 + rng.next() % 31) / 100
                        let cells = Int64(inPrefecture.count * 10)
                        let base = total / cells
                        let extra = total % cells
                        var cell: Int64 = 0
                        for c in inPrefecture {
                            for month in 1...10 {
                                let v = base + (cell < extra ? 1 : 0)
                                cell += 1
                                guard v > 0 else { continue }
                                figures.append(
                                    ProgressReport(
                                        id: 0, indicatorCode: code, regionCode: c.code,
                                        year: Self.demoYear, month: month, value: v, state: .approved, note: "演示数据"))
                            }
                        }
                    }
                }
            }

            try await Self.insertProgressBatch(db, figures, actor: actor)

            // Projects with funding, in the counties of each city pairing.
            var n = 0
            for p in cityPairings {
                let inPrefecture = counties.filter { $0.parentCode == p.westCode }
                for (i, county) in inPrefecture.enumerated() where i < 4 {
                    let (area, title) = Self.projectIdeas[n % Self.projectIdeas.count]
                    n += 1
                    let status: ProjectStatus = [.ongoing, .ongoing, .completed, .planned][n % 4]
                    let project = try await Self.insertProject(
                        db,
                        Project(
                            id: 0, pairingId: p.id, countyCode: county.code,
                            workArea: area, title: "\(Self.shortName(county.name))\(title)", status: status,
                            plannedStart: Day(year: 2024, month: 1 + n % 4, day: 1), plannedEnd: Day(year: 2024, month: 12, day: 31),
                            beneficiaries: Int64(300 + rng.next() % 5000), description: "演示项目：\(title)，由东西部协作资金支持。",
                            isDemo: true), actor: actor)
                    let budget = Int64(200 + rng.next() % 1800) * Money.fenPerWan
                    let committed = budget * Int64(70 + rng.next() % 31) / 100
                    let disbursed = status == .planned ? 0 : committed * Int64(50 + rng.next() % 51) / 100
                    let spent = disbursed * Int64(40 + rng.next() % 61) / 100
                    let stages: [(TransactionKind, Int64, Int)] = [
                        (.budget, budget, 1), (.commitment, committed, 2),
                        (.disbursement, disbursed, 4), (.expenditure, spent, 7),
                    ]
                    for (kind, amount, month) in stages where amount > 0 {
                        _ = try await Self.insertTransaction(
                            db,
                            FundingTransaction(
                                id: 0, projectId: project.id, kind: kind,
                                date: Day(year: 2024, month: month, day: 15)!, amount: Money(fen: amount), note: "演示数据"), actor: actor)
                    }
                }
            }

            try await Self.loadDemoRound(db, counties: counties, figures: figures, actor: actor)
            try await Self.loadDemoMeetings(db, province: province, actor: actor)
            try await self.loadDemoLedgers(db, counties: counties, actor: actor)
            try await db.raw("INSERT INTO app_meta (key, value) VALUES ('demo', '2024')").run()
        }
        try await loadDemoEvidence()
        return true
    }

    static func shortName(_ name: String) -> String {
        for suffix in [
            "土家族苗族自治县", "彝族回族苗族自治县", "苗族布依族自治县", "布依族苗族自治县", "仡佬族苗族自治县",
            "土家族自治县", "苗族自治县", "侗族自治县", "水族自治县", "自治县",
        ] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count)) + "县"
        }
        return name
    }

    static let cityNames: [String: String] = [
        "440100": "广州", "440600": "佛山", "441900": "东莞", "440400": "珠海", "442000": "中山",
        "520500": "毕节", "522700": "黔南", "520400": "安顺", "522600": "黔东南", "520600": "铜仁", "520300": "遵义",
        "520200": "六盘水",
    ]

    /// Each prefecture's percentage of the province targets in the demo.
    static let prefectureShares: [String: Int64] = [
        "520500": 20, "522700": 12, "520400": 10, "522600": 18, "520600": 14, "520300": 12, "520200": 9,
    ]

    static let wan = Money.fenPerWan
    static let demoTasks: [(WorkArea, String, [(String, Int64)])] = [
        (
            .consolidation, "持续支持国家乡村振兴重点帮扶县和易地扶贫搬迁安置区等重点区域，巩固拓展脱贫攻坚成果",
            [("fiscal_aid", 320_000 * wan), ("fiscal_aid_key_counties", 160_000 * wan)]
        ),
        (.consumption, "深化粤黔消费协作，推动黔货出山入粤进湾", [("consumption_amount", 1_500_000 * wan)]),
        (
            .villages, "聚力抓好宜居宜业和美乡村建设，协助当地守住底线、加快乡村全面振兴",
            [("demo_villages", 120), ("villages_paired", 1_500)]
        ),
        (
            .industry, "实施协作帮扶产业提升行动，支持特色林果、高效养殖、非遗文化、森林康养等优势产业，以产业园区共建为抓手",
            [("parks_cobuilt", 36)]
        ),
        (
            .opening, "引导推动企业“双向奔赴”，特色产品异地展销，优质旅游资源互推互介，共同拓展国内市场",
            [("enterprises_invested", 180), ("investment_amount", 900_000 * wan)]
        ),
        (
            .social, "落实好就业稳岗措施，深化教育、医疗等重点领域帮扶，推动更多便民服务事项跨省通办",
            [
                ("workers_placed", 320_000), ("workers_formerly_poor", 110_000), ("officials_seconded", 420),
                ("professionals_exchanged", 3_200), ("donations_cash", 60_000 * wan), ("donations_in_kind", 25_000 * wan),
            ]
        ),
    ]

    static let projectIdeas: [(WorkArea, String)] = [
        (.industry, "高效生态养殖基地建设"), (.industry, "特色林果种植提质增效"), (.consumption, "黔货出山冷链物流中心"),
        (.villages, "宜居宜业和美乡村示范点"), (.consolidation, "易地扶贫搬迁安置区就业帮扶车间"),
        (.social, "粤黔劳务协作工作站"), (.industry, "非遗文化工坊"), (.opening, "森林康养旅游配套设施"),
        (.social, "组团式医疗帮扶能力提升"), (.social, "职业教育东西部协作班"), (.consumption, "农产品入湾展销中心"),
        (.industry, "粤黔共建产业园区标准厂房"),
    ]
}

/// A tiny deterministic random generator, so demo and benchmark data are the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
