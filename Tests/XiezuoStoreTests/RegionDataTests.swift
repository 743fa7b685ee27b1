import Foundation
import Logging
import Testing
import XiezuoDomain

@testable import XiezuoStore

/// The region table is today's, and a sheet written with a county's former name or code still finds it.
@Suite struct RegionDataTests {
    let today = try! Store.bundledRegions()
    let former = try! Store.bundledRegionHistory()
    var directory: RegionDirectory { RegionDirectory(today, former: former) }

    @Test func todaysCodesAndNames() {
        let byCode = Dictionary(uniqueKeysWithValues: today.map { ($0.code, $0) })
        #expect(byCode["520204"]?.name == "水城区" && byCode["520281"]?.name == "盘州市")
        #expect(byCode["520581"]?.name == "黔西市" && byCode["522302"]?.name == "兴仁市")
        #expect(byCode["520222"] == nil && byCode["520221"] == nil)
        // Guangxi is in the table, on the western side, for Guangdong's cooperation with it.
        #expect(byCode["450000"]?.side == .west && byCode["450100"]?.name == "南宁市")
        #expect(byCode["440000"]?.side == .east)
    }

    @Test func guizhousTwentyNationalKeyAssistedCounties() {
        let key = today.filter { $0.keyAssisted && $0.code.hasPrefix("52") }.map(\.name)
        #expect(key.count == 20)
        for name in ["水城区", "正安县", "纳雍县", "威宁彝族回族苗族自治县", "三都水族自治县", "榕江县"] { #expect(key.contains(name), "\(name)") }
    }

    @Test func formerNamesAndCodesLeadToTodaysCounty() {
        let d = directory
        let cases: [(String, String)] = [
            ("盘县", "520281"), ("520222", "520281"), ("水城县", "520204"), ("520221", "520204"), ("黔西县", "520581"),
            ("522423", "520581"), ("兴仁县", "522302"), ("遵义县", "520304"), ("平坝县", "520403"), ("六盘水市盘县", "520281"),
            ("盘县（520222）", "520281"), ("纳雍县", "520525"),
        ]
        for (text, code) in cases { #expect(d.county(text)?.code == code, "\(text)") }
        // A name that is a region's today is never read as a former one: 铜仁市 is the prefecture now (not a county),
        // not the county-level city it once also named.
        #expect(d.county("铜仁市") == nil)
        // Unknown stays unknown.
        #expect(d.county("不存在县") == nil)
    }

    @Test func eachFormerEntryHasTheYearItChanged() {
        let byCode = Dictionary(former.map { ($0.code, $0) }, uniquingKeysWith: { a, b in a.lastPublished >= b.lastPublished ? a : b })
        let expected: [(String, String, Int)] = [
            ("520222", "520281", 2017), ("520221", "520204", 2020), ("520522", "520581", 2021), ("522322", "522302", 2018),
            ("520321", "520304", 2016), ("450127", "450181", 2021),
        ]
        for (code, successor, year) in expected {
            #expect(byCode[code]?.successor == successor && byCode[code]?.changed == year, "\(code)")
        }
        #expect(former.allSatisfy { $0.changed >= $0.lastPublished && $0.changed <= 2026 })
    }

    @Test func aFormerNameWhoseSuccessorThisDatabaseLacksIsNotGuessed() {
        // A database migrated before today's table: the successor is not there, so nothing is resolved.
        let old = today.filter { $0.code != "520281" }
        #expect(RegionDirectory(old, former: former).county("盘县") == nil)
    }
}

/// The regions are read from memory until they change, and a change made through one store is seen by another on
/// the same database at once (two instances behind the load balancer).
@Suite struct RegionCacheTests {
    @Test func aFlagSetThroughOneStoreIsSeenByAnother() async throws {
        let scratch = try await ScratchDatabase.create()
        let one = try await Store.open(url: scratch.url, logger: Logger(label: "one"))
        let two = try await Store.open(url: scratch.url, logger: Logger(label: "two"))
        do {
            try await one.migrate()
            let before = try #require(try await two.regions().first { $0.code == "520423" })
            #expect(try await two.regions().first { $0.code == "520423" } == before)  // from memory now
            _ = try await one.setRegionFlags(code: "520423", keyAssisted: !before.keyAssisted, resettlementArea: true, actor: tester)
            let after = try #require(try await two.regions().first { $0.code == "520423" })
            #expect(after.keyAssisted == !before.keyAssisted && after.resettlementArea)
        } catch {
            await one.close()
            await two.close()
            await scratch.drop()
            throw error
        }
        await one.close()
        await two.close()
        await scratch.drop()
    }
}

/// The demo is Guangdong–Guizhou: none of its data lands in Guangxi, which the region table also holds.
@Suite struct DemoScopeTests {
    @Test func everyDemoRecordIsInGuizhouOrGuangdong() async throws {
        try await withStore(demo: true) { store in
            let outside = try await store.backend.read { db in
                try await db.raw(
                    """
                    SELECT (SELECT COUNT(*) FROM ledger_rows WHERE county_code NOT LIKE '52%')
                         + (SELECT COUNT(*) FROM projects WHERE county_code NOT LIKE '52%')
                         + (SELECT COUNT(*) FROM progress WHERE region_code NOT LIKE '52%') AS n
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(outside == 0)
            let parks = try await store.actuals(year: 2024, regionCode: "520000")["parks_cobuilt"]
            #expect((parks ?? 0) > 0, "the demo's co-built parks lie in Guizhou")
        }
    }
}

/// A sheet written with a county's former name imports under today's county, and the preview says so.
@Suite struct FormerCountyImportTests {
    @Test func aFormerNameIsReadAsTodaysCountyWithANote() throws {
        let regions = RegionDirectory(try Store.bundledRegions(), former: try Store.bundledRegionHistory())
        var reader = LedgerSheetReader(definition: LedgerName.consumption.definition, regions: regions)
        let header = ["产品名称", "供货企业", "企业所在县", "采购方", "渠道", "金额（元）", "日期"].map { SheetCell($0) }
        _ = try reader.feed(rowNumber: 1, header)
        let rows = [
            ["刺梨汁", "盘县刺梨公司", "盘县", "佛山某食堂", "食堂", "500", "2024-06-05"],
            ["猕猴桃", "水城果业", "六盘水市水城县", "东莞某食堂", "食堂", "300", "2024-06-06"],
            ["茶叶", "纳雍茶业", "纳雍县", "佛山某食堂", "食堂", "200", "2024-06-07"],
        ].enumerated().flatMap { i, r in (try? reader.feed(rowNumber: i + 2, r.map { SheetCell($0) })) ?? [] }
        let county = LedgerName.consumption.definition.index("county")!
        #expect(rows.map { $0.values[county] } == ["520281", "520204", "520525"])
        #expect(rows[0].notes.first?.key == "ledger.former_county" && rows[0].notes.first?.params == ["盘县", "盘州市", "520281", "2017"])
        #expect(rows[1].notes.first?.params == ["水城县", "水城区", "520204", "2020"])
        #expect(rows[2].notes.isEmpty)
    }
}

/// A database made before today's region table (盘县 and 水城县 still stored, rows under them) is brought up to it on
/// the next start: its rows move to today's county, audited, and nothing is lost.
@Suite struct RegionUpdateTests {
    @Test func rowsUnderASupersededCodeMoveToItsSuccessor() async throws {
        try await withStore { (store: Store) async throws in
            // The old table's entries, as an installation of 2019 had them.
            try await store.backend.write { db in
                for (code, name) in [("520222", "盘县"), ("520221", "水城县")] {
                    try await db.raw(
                        "INSERT INTO regions (code, name, level, parent_code, side, key_assisted, resettlement_area) VALUES (\(bind: code), \(bind: name), 'county', '520200', 'west', 0, 0)"
                    ).run()
                }
                try await db.raw("UPDATE regions SET name = '六盘水特区' WHERE code = '520203'").run()
                try await db.raw("DELETE FROM app_meta WHERE key = 'regions_reference'").run()
            }
            let project = try await store.createProject(
                Project(
                    id: 0, pairingId: 8, countyCode: "520222", workArea: .industry, title: "盘县刺梨加工厂", status: .planned, plannedStart: nil,
                    plannedEnd: nil, beneficiaries: 30, description: ""), actor: tester)
            func figure(_ region: String, month: Int, _ value: Int64) -> ProgressReport {
                ProgressReport(
                    id: 0, indicatorCode: "workers_placed", regionCode: region, year: 2024, month: month, value: value, state: .approved, note: "")
            }
            // March reported under both codes (the office switched mid-year): the two cannot be one figure.
            _ = try await store.addProgress(figure("520222", month: 2, 40), actor: tester)
            _ = try await store.addProgress(figure("520222", month: 3, 5), actor: tester)
            _ = try await store.addProgress(figure("520281", month: 3, 7), actor: tester)
            let parsed = [labour(1, county: "520221"), labour(2, county: "520221")].enumerated().map {
                ParsedLedgerRow(rowNumber: $0.offset + 2, values: $0.element.values, issues: [])
            }
            _ = try await store.importLedger(.labour, commit: true, actor: tester, canWrite: { _ in true }) { RowsStream(parsed) }
            let before = try await store.actuals(year: 2024, regionCode: "520200", counted: .includingPending)

            let update = try await store.updateRegions()
            #expect(update.superseded == ["520221": "520204"])  // 盘县 keeps its clashing March figure
            #expect(update.moved["projects"] == 1 && update.moved["progress"] == 1 && update.moved["ledger_rows"] == 2)
            #expect(update.kept == ["progress": 1])
            #expect(update.changed >= 1)  // 六枝特区's name restored
            #expect(try await store.region(code: "520203")?.name == "六枝特区")
            #expect(try await store.project(id: project.id)?.countyCode == "520281")
            let rows = try await store.ledgerRows(.labour, LedgerFilter(regionCode: "520204", scope: .all), page: Page(number: 1, size: 10)).items
            #expect(rows.count == 2 && rows.allSatisfy { $0[field: "county"] == "520204" })
            #expect(try await store.region(code: "520221") == nil)
            #expect(try await store.region(code: "520222") != nil)
            // The prefecture's totals are the same; the counties' moved with their rows.
            #expect(try await store.actuals(year: 2024, regionCode: "520200", counted: .includingPending) == before)
            let panzhou = try await store.actuals(year: 2024, regionCode: "520281", counted: .includingPending)
            #expect(panzhou["workers_placed"] == 47)
            #expect(try await store.actuals(year: 2024, regionCode: "520204", counted: .includingPending)["workers_placed"] == 2)
            // A re-import of the same sheet under today's code finds the moved rows: nothing doubles.
            var same = labour(1, county: "520221")  // the same person (an ID number keeps its original area code)
            same["county"] = "520204"
            let row = [ParsedLedgerRow(rowNumber: 2, values: same.values, issues: [])]
            let again = try await store.importLedger(.labour, commit: false, actor: tester, canWrite: { _ in true }) { RowsStream(row) }
            #expect(again.unchanged == 1 && again.added == 0)
            let audit = try await store.history(entity: "region", id: "520221")
            #expect(audit.contains { $0.action == "supersede" && ($0.after ?? "").contains("520204") })
            #expect(try await store.unauditedWrites().isEmpty)
            // Done once: the next start finds nothing to do.
            #expect(try await store.updateRegions() == RegionUpdate())
        }
    }

    @Test func aFreshDatabaseHoldsEveryProvince() async throws {
        try await withStore { (store: Store) async throws in
            let all = try await store.regions()
            #expect(all.filter { $0.level == .province }.count == 31)
            #expect(all.count == (try Store.bundledRegions()).count)
            let sides = Dictionary(grouping: all.filter { $0.level == .province }, by: \.side).mapValues(\.count)
            #expect(sides[.east] == 8 && sides[.west] == 12 && sides[.other] == 11)
        }
    }
}
