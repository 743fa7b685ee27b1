import Foundation
import Logging
import SQLKit
import Testing
import XiezuoDomain

@testable import XiezuoStore

/// A fresh database per test (SQLite, or PostgreSQL when XIEZUO_TEST_DATABASE names a server), removed afterwards.
func withStore<T>(demo: Bool = false, _ body: (Store) async throws -> T) async throws -> T {
    let scratch = try await ScratchDatabase.create()
    let store = try await Store.open(url: scratch.url, logger: Logger(label: "test"))
    do {
        try await store.migrate()
        if demo { try await store.loadDemo() }
        let r = try await body(store)
        await store.close()
        await scratch.drop()
        return r
    } catch {
        await store.close()
        await scratch.drop()
        throw error
    }
}

let tester = Actor(name: "tester", address: "127.0.0.1")

@Suite struct MigrationTests {
    @Test func migratingTwiceChangesNothing() async throws {
        try await withStore { (store: Store) async throws in
            #expect(try await store.schemaVersion() == Migrations.latest)
            #expect(try await store.migrate() == 0)
            #expect(try await store.regions().count == Store.bundledRegions().count)
        }
    }

    @Test func referenceDataCoversBothProvincesToCountyLevel() async throws {
        try await withStore { (store: Store) async throws in
            let regions = try await store.regions()
            let gz = regions.filter { $0.code.hasPrefix("52") }
            #expect(gz.filter { $0.level == .prefecture }.count == 9)
            #expect(gz.filter { $0.level == .county }.count == 88)
            #expect(gz.allSatisfy { $0.side == .west })
            #expect(regions.filter { $0.code.hasPrefix("44") && $0.level == .prefecture }.count == 21)
            #expect(try await store.region(code: "520525")?.name == "纳雍县")
            let pairs = try await store.pairings()
            #expect(pairs.filter { $0.level == .province }.count == 1)
            #expect(
                Set(pairs.filter { $0.level == .city }.map(\.westCode)) == ["520500", "522700", "520400", "522600", "520600", "520300", "520200"])
        }
    }

    @Test func regionFlagsAreEditableAndSurviveReseeding() async throws {
        try await withStore { (store: Store) async throws in
            _ = try await store.setRegionFlags(code: "520102", keyAssisted: true, resettlementArea: true, actor: tester)
            try await store.migrate()
            let r = try await store.region(code: "520102")
            #expect(r?.keyAssisted == true && r?.resettlementArea == true)
        }
    }
}

@Suite struct DemoTests {
    @Test func demoLoadsOnceAndNeverIntoAUsedDatabase() async throws {
        try await withStore(demo: true) { (store: Store) async throws in
            #expect(try await store.agreements(year: 2024).count == 8)
            #expect(try await store.loadDemo() == false)
            #expect(try await store.agreements().count == 9)  // and the 2023 province agreement, for past years
            let meetings = try await store.meetings(year: 2024)
            let conference = try #require(meetings.first)
            #expect(conference.date.description == "2024-06-04" && conference.kind == .jointConference)
            // The conference as its report names it: 20 attendees, the four work-area decisions, their tasks.
            let attendees = try await store.attendees(meetingId: conference.id)
            #expect(attendees.count == 20 && attendees.filter { $0.side == .west }.count == 9)
            #expect(attendees.contains { $0.name == "黄坤明" && $0.position.hasPrefix("广东省委书记") })
            #expect(try await store.decisions(meetingId: conference.id).count == 4)
            #expect(try await store.tasks(TaskFilter(meetingIds: [conference.id], today: Day("2024-06-05")!)).count == 7)
            // The delegation's visit to Guangzhou, Zhuhai, Foshan and Zhongshan.
            let visit = try #require(meetings.first { $0.kind == .studyVisit })
            let stops = try await store.stops(meetingId: visit.id)
            #expect(Set(stops.map(\.city)) == ["广州", "珠海", "佛山", "中山"] && stops.count == 9)
            #expect(stops.contains { $0.name == "季华实验室" } && stops.contains { $0.kind == .enterprise && $0.name.hasPrefix("明阳") })
        }
    }
}

@Suite struct RollUpTests {
    @Test func countiesRollUpToPrefectureAndProvince() async throws {
        try await withStore { (store: Store) async throws in
            func report(_ region: String, _ value: Int64, _ state: ProgressState = .approved) async throws {
                _ = try await store.addProgress(
                    ProgressReport(
                        id: 0, indicatorCode: "demo_villages", regionCode: region, year: 2024,
                        month: 5, value: value, state: state, note: ""), actor: tester)
            }
            try await report("520525", 100)  // 纳雍, 毕节
            try await report("520526", 50)  // 威宁, 毕节
            try await report("520323", 7)  // 绥阳, 遵义
            try await report("520325", 1000, .submitted)
            #expect(try await store.actuals(year: 2024, regionCode: "520500")["demo_villages"] == 150)
            #expect(try await store.actuals(year: 2024, regionCode: "520000")["demo_villages"] == 157)
            #expect(try await store.actuals(year: 2024, regionCode: "520000", counted: .includingPending)["demo_villages"] == 1157)
            #expect(try await store.actuals(year: 2023, regionCode: "520000")["demo_villages"] == nil)
            let guizhou = try await store.region(code: "520000")!
            let byChild = try await store.actualsByChild(year: 2024, parent: guizhou)
            #expect(byChild["520500"]?["demo_villages"] == 150 && byChild["520300"]?["demo_villages"] == 7)
        }
    }
}

@Suite struct ProjectStoreTests {
    func newProject(_ store: Store, title: String = "测试项目", county: String = "520525") async throws -> Project {
        try await store.createProject(
            Project(
                id: 0, pairingId: 2, countyCode: county, workArea: .industry, title: title,
                status: .planned, plannedStart: nil, plannedEnd: nil, beneficiaries: 10,
                description: ""), actor: tester)
    }

    @Test func staleUpdatesAreRefusedAndChangeNothing() async throws {
        try await withStore { (store: Store) async throws in
            let p = try await newProject(store)
            var a = p
            a.title = "第一次修改"
            _ = try await store.updateProject(a, actor: tester)
            var b = p
            b.title = "基于旧版本的修改"
            await #expect(throws: StoreError.conflict) { try await store.updateProject(b, actor: tester) }
            #expect(try await store.project(id: p.id)?.title == "第一次修改")
            #expect(try await store.project(id: p.id)?.version == 2)
        }
    }

    @Test func filtersMatchLiterallyAndPage() async throws {
        try await withStore { (store: Store) async throws in
            _ = try await newProject(store, title: "100%_覆盖")
            _ = try await newProject(store, title: "1000覆盖")
            _ = try await newProject(store, title: "遵义项目", county: "520323")
            #expect(try await store.projects(ProjectFilter(text: "%_", scope: .all), page: Page(number: 1, size: 10)).total == 1)
            #expect(
                try await store.projects(ProjectFilter(text: "'; DROP TABLE projects; --", scope: .all), page: Page(number: 1, size: 10)).total == 0)
            #expect(try await store.projects(ProjectFilter(regionCode: "520500", scope: .all), page: Page(number: 1, size: 10)).total == 2)
            let page2 = try await store.projects(ProjectFilter(scope: .all), page: Page(number: 2, size: 2))
            #expect(page2.total == 3 && page2.items.count == 1 && page2.pageCount == 2)
        }
    }

    @Test func fundingTotalsAreExactSums() async throws {
        try await withStore { (store: Store) async throws in
            let p = try await newProject(store)
            for (kind, yuan) in [(TransactionKind.budget, "1000000.01"), (.commitment, "0.10"), (.commitment, "0.20"), (.disbursement, "5")] {
                _ = try await store.addTransaction(
                    FundingTransaction(
                        id: 0, projectId: p.id, kind: kind, date: Day("2024-03-01")!,
                        amount: Money.parse(yuan)!, note: ""), actor: tester)
            }
            let row = try await store.projects(ProjectFilter(scope: .all), page: Page(number: 1, size: 10)).items[0]
            #expect(row.funding.budget.fen == 100_000_001 && row.funding.committed.fen == 30 && row.funding.disbursed.fen == 500)
        }
    }

    @Test func aFailedWriteLeavesNothingBehind() async throws {
        try await withStore { (store: Store) async throws in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await store.backend.write { db in
                    _ = try await Store.insertProject(
                        db,
                        Project(
                            id: 0, pairingId: 2, countyCode: "520525", workArea: .industry,
                            title: "半途而废", status: .planned, plannedStart: nil, plannedEnd: nil, beneficiaries: 0, description: ""), actor: tester)
                    throw Boom()
                }
            }
            #expect(try await store.projectCount(scope: .all) == 0)
            #expect(try await store.history(entity: "project", id: "1").isEmpty)
        }
    }

    @Test func everyWriteIsAudited() async throws {
        try await withStore { (store: Store) async throws in
            let p = try await newProject(store)
            var changed = p
            changed.title = "改名"
            _ = try await store.updateProject(changed, actor: tester)
            let h = try await store.history(entity: "project", id: String(p.id))
            #expect(h.map(\.action) == ["create", "update"])
            #expect(h[1].before?.contains("测试项目") == true && h[1].after?.contains("改名") == true)
            #expect(h[1].actor == "tester" && h[1].address == "127.0.0.1")
        }
    }

    @Test func targetChangesAreDated() async throws {
        try await withStore(demo: true) { (store: Store) async throws in
            let detail = try await store.agreementDetail(id: 1)!
            let target = detail.targets[0]
            _ = try await store.setTarget(taskId: target.taskId, indicatorCode: target.indicatorCode, value: target.value + 1, actor: tester)
            let h = try await store.history(entity: "target", id: String(target.id))
            #expect(h.last?.action == "update" && h.last?.at.hasPrefix("20") == true)
        }
    }
}

@Suite struct RunningTotalTests {
    /// The running totals kept for speed must always equal the rows they summarise.
    @Test func totalsEqualTheRowsTheySummarise() async throws {
        try await withStore(demo: true) { (store: Store) async throws in
            _ = try await store.addTransaction(
                FundingTransaction(
                    id: 0, projectId: 1, kind: .expenditure, date: Day("2024-09-01")!,
                    amount: Money(fen: 12_345), note: ""), actor: tester)
            let mismatches = try await store.backend.read { db in
                try await db.raw(
                    """
                    SELECT p.id FROM projects p WHERE
                      p.budget_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM transactions t WHERE t.project_id = p.id AND t.kind = 'budget') OR
                      p.committed_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM transactions t WHERE t.project_id = p.id AND t.kind = 'commitment') OR
                      p.disbursed_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM transactions t WHERE t.project_id = p.id AND t.kind = 'disbursement') OR
                      p.spent_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM transactions t WHERE t.project_id = p.id AND t.kind = 'expenditure')
                    """
                ).all().count
            }
            #expect(mismatches == 0)
            let ledgerCodes = IndicatorCatalogue.all.filter { $0.ledger != nil }.map(\.code)
            let (raw, kept) = try await store.backend.read { db in
                (
                    try await db.raw("SELECT CAST(SUM(value) AS BIGINT) AS s FROM progress WHERE year = 2024").first()!.decode(
                        column: "s", as: Int64.self),
                    try await db.raw(
                        "SELECT CAST(SUM(total) AS BIGINT) AS s FROM progress_totals WHERE year = 2024 AND indicator_code NOT IN (\(binds: ledgerCodes)) AND indicator_code NOT LIKE 'rows.%'"
                    ).first()!.decode(column: "s", as: Int64.self)
                )
            }
            #expect(raw == kept && raw > 0)
            // The ledger-sourced totals are the measures of the stored ledger rows, state by state.
            // (2023's year-end figures of the demo predate the ledgers and were reported as totals.)
            let fromRows = try await ledgerMeasureSums(store, year: 2024)
            let keptLedger = try await store.backend.read { db in
                var out: [String: Int64] = [:]
                for r in try await db.raw(
                    "SELECT state, indicator_code, CAST(SUM(total) AS BIGINT) AS s FROM progress_totals WHERE year = 2024 AND indicator_code IN (\(binds: ledgerCodes)) GROUP BY state, indicator_code"
                ).all() {
                    let v = try r.decode(column: "s", as: Int64.self)
                    if v != 0 {
                        out[try r.decode(column: "state", as: String.self) + "/" + (try r.decode(column: "indicator_code", as: String.self))] = v
                    }
                }
                return out
            }
            #expect(fromRows == keptLedger)
            // The row counts kept beside them are the rows there are.
            let counts = try await store.ledgerCounts(scope: .all)
            for ledger in LedgerName.allCases {
                #expect(counts[ledger]?.total ?? 0 == (try await store.ledgerCount(ledger, LedgerFilter(scope: .all))), "\(ledger)")
            }
            let bijie = try await store.ledgerCounts(scope: .within(["5205"]))
            #expect(bijie[.labour]?.total ?? 0 == (try await store.ledgerCount(.labour, LedgerFilter(regionCode: "520500", scope: .all))))
        }
    }
}

@Suite struct UserStoreTests {
    @Test func accountsAreCheckedAndAuditedWithoutTheirPasswords() async throws {
        try await withStore { (store: Store) async throws in
            let u = try await store.addUser(
                username: "li.ming", role: .prefectureOfficer, regionCode: "520500",
                passwordHash: "$2b$12$notarealhash", actor: tester)
            #expect(u.regionLevel == .prefecture && u.side == .west && u.scopePrefix == "5205")
            await #expect(throws: ValidationFailure.self) {
                _ = try await store.addUser(username: "li.ming", role: .viewer, regionCode: "520000", passwordHash: "x", actor: tester)
            }
            await #expect(throws: ValidationFailure.self) {  // a county reporter cannot sit at a prefecture
                _ = try await store.addUser(username: "wang", role: .countyReporter, regionCode: "520500", passwordHash: "x", actor: tester)
            }
            try await store.setUserState(username: "li.ming", .disabled, actor: tester)
            #expect(try await store.user(username: "li.ming")?.state == .disabled)
            try await store.setPasswordHash(username: "li.ming", "$2b$12$another", actor: tester)
            #expect(try await store.passwordHash(username: "li.ming") == "$2b$12$another")
            let history = try await store.history(entity: "user", id: "li.ming")
            #expect(history.map(\.action) == ["create", "state", "reset-password"])
            #expect(!history.contains { ($0.after ?? "").contains("$2b$") || ($0.before ?? "").contains("$2b$") })
            #expect(try await store.users().count == 1)
        }
    }
}

@Suite struct TransferTests {
    /// Copies every table of `from` into `to` the way `xiezuo migrate --to` and `restore` do.
    func copy(_ from: Store, _ to: Store) async throws {
        var tables: [(table: String, columns: [String], rows: [[CellValue]])] = []
        for t in Store.tablesInOrder {
            let (c, r) = try await from.rows(of: t)
            tables.append((t, c, r))
        }
        try await to.replaceAll(with: tables)
    }

    func withScratchStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        let s = try await ScratchDatabase.create()
        let store = try await Store.open(url: s.url, logger: Logger(label: "t"))
        do {
            try await store.migrate()
            let r = try await body(store)
            await store.close()
            await s.drop()
            return r
        } catch {
            await store.close()
            await s.drop()
            throw error
        }
    }

    @Test func theTableListCoversTheSchema() async throws {
        try await withStore { (store: Store) async throws in
            let names = try await store.tableNames()
            // Every table is copied or named as not copied (some of those exist on one engine only).
            #expect(names.subtracting(Store.notCopied) == Set(Store.tablesInOrder))
        }
    }

    /// The demo database copied to a fresh one (on the backend under test) and back to SQLite: every table the
    /// same, row for row, and the copies work (ids continue after the copied ones).
    @Test func copiesReproduceEveryTable() async throws {
        try await withStore(demo: true) { source in
            _ = try await source.addUser(username: "copy.user", role: .viewer, regionCode: "520000", passwordHash: "h", actor: tester)
            let before = try await source.summaries()
            #expect(before.first { $0.table == "progress" }!.rows > 1_000)
            try await withScratchStore { middle in
                #expect(try await middle.holdsOnlyReferenceData())
                try await copy(source, middle)
                #expect(try await middle.summaries() == before)
                #expect(!(try await middle.holdsOnlyReferenceData()))
                // back to a SQLite file
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xz-back-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let back = try await Store.open(url: "sqlite://" + dir.appendingPathComponent("b.sqlite").path, logger: Logger(label: "t"))
                try await back.migrate()
                try await copy(middle, back)
                #expect(try await back.summaries() == before)
                await back.close()
                // New rows in the copy get new ids after the copied ones.
                let p = try await middle.addProgress(
                    ProgressReport(
                        id: 0, indicatorCode: "demo_villages", regionCode: "520525", year: 2024,
                        month: 12, value: 1, state: .draft, note: ""), actor: tester)
                let maxCopied = try await source.backend.read { db in
                    try await db.raw("SELECT MAX(id) AS m FROM progress").first()!.decode(column: "m", as: Int64.self)
                }
                #expect(p.id > maxCopied)
            }
        }
    }

    /// A copy that fails half-way (a row breaking a constraint) leaves the target as it was.
    @Test func aFailedRestoreChangesNothing() async throws {
        try await withStore(demo: true) { source in
            try await withScratchStore { target in
                let before = try await target.summaries()
                var tables: [(table: String, columns: [String], rows: [[CellValue]])] = []
                for t in Store.tablesInOrder {
                    let (c, r) = try await source.rows(of: t)
                    tables.append((t, c, r))
                }
                // a second copy of the first project: the primary key refuses it
                let i = tables.firstIndex { $0.table == "projects" }!
                tables[i].rows.append(tables[i].rows[0])
                await #expect(throws: (any Error).self) { try await target.replaceAll(with: tables) }
                #expect(try await target.summaries() == before)
            }
        }
    }
}

/// Each ledger-sourced indicator's sum by review state, recomputed from the stored ledger rows themselves.
func ledgerMeasureSums(_ store: Store, regionPrefix: String = "", year: Int? = nil, state: ProgressState? = nil) async throws -> [String: Int64] {
    var out: [String: Int64] = [:]
    for ledger in LedgerName.allCases {
        var last: Int64 = 0
        while true {
            let rows = try await store.ledgerRows(
                ledger, LedgerFilter(regionCode: regionPrefix.isEmpty ? nil : regionPrefix, year: year, state: state, scope: .all), afterId: last,
                limit: 1000)
            guard let end = rows.last else { break }
            for r in rows {
                for m in ledger.definition.measures(r.values) where m.value != 0 {
                    out[r.state.rawValue + "/" + m.indicatorCode, default: 0] += m.value
                }
            }
            last = end.id
        }
    }
    return out
}
