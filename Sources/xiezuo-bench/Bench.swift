import ArgumentParser
import Foundation
import Logging
import XiezuoDomain
import XiezuoStore

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xiezuo-bench",
        abstract: "Benchmark tools for Xiezuo: generate a Guangdong–Guizhou-sized dataset (scripts/bench runs wrk on it).",
        subcommands: [Generate.self, RepairEval.self, BcryptCost.self, ReportBench.self, LedgerSheet.self])
}

/// 70 counties, 3,000 projects, 50,000 transactions, one typed figure per reported indicator, county and month over
/// 2021–2025 (29,400 — the 500,000 asked for by default are capped there: a period has one figure), with province and city
/// agreements for each year, and a joint conference per pairing and year with 6 decisions, 12 tasks and their updates. Deterministic, so every run measures the same data.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty database with the benchmark dataset.")
    @Option(help: "Database URL.") var database = "sqlite://./bench.sqlite"
    @Option(help: "Projects.") var projects = 3_000
    @Option(help: "Funding transactions.") var transactions = 50_000
    @Option(help: "Progress rows (at most one per reported indicator, county and month).") var progress = 500_000
    @Option(help: "Ledger rows (approved, over the eight ledgers; 40% labour).") var ledgerRows = 0

    func run() async throws {
        let store = try await Store.open(url: database, logger: Logger(label: "bench"))
        try await store.migrate()
        guard try await store.isEmpty() else { throw ValidationError("\(database) already holds data; give an empty database") }
        let actor = Actor(name: "xiezuo-bench", address: nil)
        var rng = SplitMix64(seed: 70_3000)
        let pairings = try await store.pairings()
        let cityPairings = pairings.filter { $0.level == .city }
        let province = pairings.first { $0.level == .province }!
        let allCounties = try await store.regions().filter { $0.side == .west && $0.level == .county }
        let paired = Set(cityPairings.map(\.westCode))
        let counties = Array(allCounties.filter { paired.contains($0.parentCode ?? "") }.prefix(70))
        let pairingOf = Dictionary(uniqueKeysWithValues: cityPairings.map { ($0.westCode, $0.id) })
        print("counties: \(counties.count)")

        for year in 2021...2025 {
            for p in [province] + cityPairings {
                let a = try await store.createAgreement(pairingId: p.id, year: year, title: "基准测试协议 \(year) #\(p.id)", status: .signed, actor: actor)
                for (i, area) in WorkArea.allCases.enumerated() {
                    let task = try await store.addTask(agreementId: a.id, workArea: area, text: "任务 \(i + 1)", actor: actor)
                    for ind in IndicatorCatalogue.all where ind.workArea == area {
                        let base: Int64 = ind.unit.isMoney ? 100_000 * Money.fenPerWan : 10_000
                        _ = try await store.setTarget(
                            taskId: task.id, indicatorCode: ind.code,
                            value: p.level == .province ? base : base / 7, actor: actor)
                    }
                }
            }
        }
        print("agreements: \((1 + cityPairings.count) * 5)")

        var ps: [Project] = []
        for i in 0..<projects {
            let c = counties[i % counties.count]
            ps.append(
                Project(
                    id: 0, pairingId: pairingOf[c.parentCode ?? ""] ?? province.id, countyCode: c.code,
                    workArea: WorkArea.allCases[Int(rng.next() % 6)], title: "基准项目 \(i + 1) \(c.name)",
                    status: ProjectStatus.allCases[Int(rng.next() % 4)], plannedStart: Day(year: 2021 + i % 5, month: 3, day: 1),
                    plannedEnd: Day(year: 2021 + i % 5, month: 12, day: 31), beneficiaries: Int64(rng.next() % 5000),
                    description: "基准测试数据"))
        }
        var txs: [(projectIndex: Int, FundingTransaction)] = []
        for i in 0..<transactions {
            txs.append(
                (
                    i % projects,
                    FundingTransaction(
                        id: 0, projectId: 0, kind: TransactionKind.allCases[i % 4],
                        date: Day(year: 2021 + i % 5, month: 1 + i % 12, day: 1 + i % 28)!,
                        amount: Money(fen: Int64(rng.next() % 50_000_000) + 100), note: "")
                ))
        }
        try await store.bulkInsert(projects: ps, transactions: txs, actor: actor, label: "bench")
        print("projects: \(projects), transactions: \(transactions)")

        let batch = 100_000
        var done = 0
        // Typed figures exist only for reported indicators; the others come from ledgers. A figure is one per
        // indicator, region and month, so the dataset holds at most one for each of them (2021–2025).
        let reported = IndicatorCatalogue.all.filter { $0.ledger == nil }
        let distinct = reported.count * counties.count * 5 * 12
        let progress = min(progress, distinct)
        while done < progress {
            var rows: [ProgressReport] = []
            rows.reserveCapacity(batch)
            for k in done..<min(done + batch, progress) {
                let ind = reported[k % reported.count]
                let c = counties[(k / reported.count) % counties.count]
                let period = k / (reported.count * counties.count)
                rows.append(
                    ProgressReport(
                        id: 0, indicatorCode: ind.code, regionCode: c.code, year: 2021 + period % 5,
                        month: 1 + period / 5, value: Int64(rng.next() % (ind.unit.isMoney ? 2_000_000 : 20)),
                        state: k % 10 == 0 ? .submitted : .approved, note: ""))
            }
            try await store.bulkInsert(progress: rows, actor: actor, label: "bench-\(done)")
            done += rows.count
            print("progress rows: \(done) / \(progress)")
        }

        var taskCount = 0
        for year in 2021...2025 {
            for p in [province] + cityPairings {
                let m = try await store.createMeeting(
                    Meeting(
                        id: 0, pairingId: p.id, kind: .jointConference, title: "基准联席会议 \(year) #\(p.id)",
                        date: Day(year: year, month: 6, day: 4)!, place: "广州", summary: "", isDemo: false), actor: actor)
                for area in WorkArea.allCases {
                    let d = try await store.addDecision(Decision(id: 0, meetingId: m.id, workArea: area, text: "决定 \(area.rawValue)"), actor: actor)
                    for (k, owner) in [p.eastCode, p.westCode].enumerated() {
                        let t = try await store.createTask(
                            FollowUpTask(
                                id: 0, decisionId: d.id, meetingId: m.id, title: "任务 \(area.rawValue) \(k)",
                                ownerOffice: "协作办", ownerRegionCode: owner, deadline: Day(year: year, month: 12, day: 31)!), actor: actor)
                        _ = try await store.postUpdate(
                            TaskUpdate(
                                id: 0, taskId: t.id, date: Day(year: year, month: 9, day: 1)!, text: "进展",
                                evidence: "", status: rng.next() % 2 == 0 ? .done : .inProgress, author: "bench"), expectedVersion: nil, actor: actor)
                        taskCount += 1
                    }
                }
            }
        }
        print("meetings: \((1 + cityPairings.count) * 5), tasks: \(taskCount)")
        if ledgerRows > 0 { try await LedgerSheet.fill(store, rows: ledgerRows, counties: counties, actor: actor) }
        await store.close()
    }
}
