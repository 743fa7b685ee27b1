import Foundation
import SQLKit
import Testing
import XiezuoDomain

@testable import XiezuoStore

/// Rows handed to an import as if read from a sheet.
struct RowsStream: LedgerRowStream {
    var rows: [ParsedLedgerRow]
    var i = 0
    init(_ rows: [ParsedLedgerRow]) { self.rows = rows }
    mutating func nextRow() throws -> ParsedLedgerRow? {
        defer { i += 1 }
        return i < rows.count ? rows[i] : nil
    }
    var fraction: Double { rows.isEmpty ? 1 : Double(i) / Double(rows.count) }
}

func idNumber(_ county: String, _ serial: Int) -> String {
    let first17 = county + "1990" + "0101" + String(format: "%03d", serial % 1000)
    return first17 + String(IDNumber.checkCharacter(first17))
}

/// A ledger row written by field name; the ledger's definition puts the values in its order.
struct KeyedRow {
    let ledger: LedgerName
    private(set) var fields: [String: String] = [:]

    init(_ ledger: LedgerName, _ fields: [String: String]) {
        self.ledger = ledger
        for (k, v) in fields { self[k] = v }
    }

    subscript(key: String) -> String {
        get { fields[key] ?? "" }
        set {
            precondition(ledger.definition.index(key) != nil, "the \(ledger) ledger has no field \(key)")
            fields[key] = newValue
        }
    }

    var values: [String] { ledger.definition.fields.map { fields[$0.key] ?? "" } }
}

extension LedgerRecord {
    /// A stored value by field key.
    subscript(field key: String) -> String { ledger.definition.value(values, key) }
}

/// A labour row in canonical values (money in fen, flags 1/0).
func labour(_ n: Int, county: String = "520525", poor: Bool = false, wage: String = "450000", months: String = "") -> KeyedRow {
    KeyedRow(
        .labour,
        [
            "name": "工人\(n)", "idNumber": idNumber(county, n), "phone": "1380000\(String(format: "%04d", n))", "county": county,
            "formerlyPoor": poor ? "1" : "0", "employer": "佛山某电器厂", "city": "佛山市", "startDate": "2024-03-01", "months": months,
            "wage": wage,
        ])
}

@Suite struct LedgerStoreTests {
    let anywhere: @Sendable (String) -> Bool = { _ in true }

    func run(_ store: Store, _ rows: [KeyedRow], commit: Bool = true) async throws -> LedgerImportReport {
        let parsed = rows.enumerated().map { ParsedLedgerRow(rowNumber: $0.offset + 2, values: $0.element.values, issues: []) }
        return try await store.importLedger(.labour, commit: commit, actor: tester, canWrite: anywhere) { RowsStream(parsed) }
    }

    @Test func importUpdatesByNaturalKeyAndBlankCellsKeepValues() async throws {
        try await withStore { store in
            let first = try await run(store, (1...5).map { labour($0, poor: $0 <= 2) })
            #expect(first.added == 5 && first.committed)
            // The same file again: nothing changes.
            let again = try await run(store, (1...5).map { labour($0, poor: $0 <= 2) })
            #expect(again.unchanged == 5 && again.added == 0 && again.updated == 0)
            // Row 3 with a new wage and its months blank; row 4 with everything but the key blank.
            var three = labour(3, wage: "520000")
            three["months"] = ""
            var four = labour(4)
            for key in ["name", "phone", "county", "formerlyPoor", "city", "months", "wage"] { four[key] = "" }
            let upd = try await run(store, [three, four])
            #expect(upd.updated == 1 && upd.unchanged == 1)
            let all = try await store.ledgerRows(.labour, LedgerFilter(scope: .all), page: Page(number: 1, size: 50))
            #expect(all.total == 5)
            let row3 = try #require(all.items.first { $0[field: "name"] == "工人3" })
            #expect(row3[field: "wage"] == "520000" && row3[field: "idNumber"] == idNumber("520525", 3))
            #expect(try await store.unauditedWrites().isEmpty)
        }
    }

    @Test func aRecordRepeatedInTheFileIsReportedWithTheRowItRepeats() async throws {
        try await withStore { store in
            var later = labour(1)
            later["months"] = "7"
            // Rows 2, 3 and 4 of the sheet: the same worker three times, the last one adding the months worked.
            let r = try await run(store, [labour(1), labour(1), later])
            #expect(r.added == 1 && r.repeated == 2 && r.unchanged == 0 && r.updated == 0)
            let second = try #require(r.rows.first { $0.row == 3 })
            #expect(second.outcome == .repeated && second.issues.map(\.key) == ["ledger.same_as_row"] && second.issues[0].params == ["2"])
            let third = try #require(r.rows.first { $0.row == 4 })
            #expect(third.outcome == .repeated && third.issues.map(\.key) == ["ledger.duplicate_in_file"])
            let all = try await store.ledgerRows(.labour, LedgerFilter(scope: .all), page: Page(number: 1, size: 10))
            #expect(all.total == 1 && all.items[0][field: "months"] == "7")
        }
    }

    @Test func oneBadRowWritesNothing() async throws {
        try await withStore { store in
            var rows = (1...2500).map { labour($0) }.map { ParsedLedgerRow(rowNumber: 0, values: $0.values, issues: []) }
            for i in rows.indices { rows[i].rowNumber = i + 3 }
            rows[1999].issues = [CellIssue(column: "B 身份证号码", key: "ledger.id_check", params: ["520525199001011230"])]
            let frozen = rows
            await #expect(throws: LedgerImportRejected.self) {
                try await store.importLedger(.labour, commit: true, actor: tester, canWrite: { _ in true }) { RowsStream(frozen) }
            }
            do {
                _ = try await store.importLedger(.labour, commit: true, actor: tester, canWrite: { _ in true }) { RowsStream(frozen) }
            } catch let e as LedgerImportRejected {
                #expect(e.report.rejected == 1 && e.report.rows.first { $0.outcome == .rejected }?.row == 2002)
                #expect(e.report.rows.first { $0.outcome == .rejected }?.issues.first?.column == "B 身份证号码")
            }
            #expect(try await store.ledgerCount(.labour, LedgerFilter(scope: .all)) == 0)
            #expect(try await store.actuals(year: 2024, regionCode: "520000", counted: .includingPending)["workers_placed"] == nil)
        }
    }

    @Test func rowsOutsideTheImportersScopeAreRejected() async throws {
        try await withStore { store in
            let parsed = [ParsedLedgerRow(rowNumber: 2, values: labour(1, county: "520203").values, issues: [])]
            let r = try await store.importLedger(.labour, commit: false, actor: tester, canWrite: { $0.hasPrefix("5205") }) { RowsStream(parsed) }
            #expect(r.rejected == 1 && r.rows[0].issues[0].key == "ledger.outside_scope")
        }
    }

    @Test func indicatorsCountApprovedRowsOnly() async throws {
        try await withStore { store in
            _ = try await run(store, (1...7).map { labour($0, poor: $0 <= 3) } + (8...10).map { labour($0, county: "520203") })
            #expect(try await store.actuals(year: 2024, regionCode: "520000")["workers_placed"] == nil)
            #expect(try await store.actuals(year: 2024, regionCode: "520000", counted: .includingPending)["workers_placed"] == 10)
            // Their importer may not approve them; someone else at the level above does.
            #expect(try await store.approveLedgerRows(.labour, LedgerFilter(regionCode: "520500", scope: .all), actor: tester) == 0)
            let reviewer = Actor(name: "bijie.reviewer", address: nil)
            let n = try await store.approveLedgerRows(.labour, LedgerFilter(regionCode: "520500", scope: .all), actor: reviewer)
            #expect(n == 7)
            let approved = try await store.actuals(year: 2024, regionCode: "520000")
            #expect(approved["workers_placed"] == 7 && approved["workers_formerly_poor"] == 3)
            // A change sends a row back to review: it leaves the approved count until approved again.
            let row = try #require(
                try await store.ledgerRows(.labour, LedgerFilter(regionCode: "520525", scope: .all), page: Page(number: 1, size: 1)).items.first)
            var v = KeyedRow(.labour, Dictionary(uniqueKeysWithValues: zip(LedgerName.labour.definition.fields.map(\.key), row.values)))
            v["formerlyPoor"] = v["formerlyPoor"] == "1" ? "0" : "1"
            _ = try await store.saveLedgerRow(.labour, id: row.id, values: v.values, expectedVersion: row.version, actor: tester)
            #expect(try await store.actuals(year: 2024, regionCode: "520000")["workers_placed"] == 6)
            await #expect(throws: StoreError.conflict) {
                try await store.saveLedgerRow(.labour, id: row.id, values: v.values, expectedVersion: row.version, actor: tester)
            }
            // A list's total, counted from the running totals where it can be, is the number of rows it selects.
            for f in [
                LedgerFilter(scope: .all), LedgerFilter(regionCode: "520500", year: 2024, state: .approved, scope: .all),
                LedgerFilter(state: .submitted, scope: .all),
                LedgerFilter(regionCode: "520203", scope: .all), LedgerFilter(year: 2023, scope: .all), LedgerFilter(scope: .within(["5205"])),
            ] {
                let page = try await store.ledgerRows(.labour, f, page: Page(number: 1, size: 2))
                #expect(page.total == (try await store.ledgerCount(.labour, f)), "\(f)")
            }
            #expect(
                try await store.ledgerRows(
                    .labour, LedgerFilter(regionCode: "520500", year: 2024, state: .approved, scope: .all), page: Page(number: 1, size: 2)
                ).total == 6)
            #expect(try await store.unauditedWrites().isEmpty)
        }
    }

    @Test func aPrefecturesPagesAreItsCountiesRowsNewestFirstHoweverTheyAreFound() async throws {
        try await withStore { store in
            // Bijie's rows and others, on many dates: pages of a prefecture come from the keyword index's prefecture
            // facet in its date order (SQLite), from the row indexes otherwise; the rows and their order are the same.
            var rows: [KeyedRow] = []
            for n in 0..<90 {
                var r = labour(n, county: ["520525", "520502", "520203", "520302", "520526"][n % 5])
                r["startDate"] = "2024-\(String(format: "%02d", 1 + n % 12))-\(String(format: "%02d", 1 + n % 27))"
                rows.append(r)
            }
            #expect(try await run(store, rows).added == 90)
            var bijie: [LedgerRecord] = []
            for n in 1...3 {
                bijie += try await store.ledgerRows(.labour, LedgerFilter(regionCode: "520500", scope: .all), page: Page(number: n, size: 20)).items
            }
            let all = try await store.ledgerRows(.labour, LedgerFilter(scope: .all), page: Page(number: 1, size: 100)).items
            let expected = all.filter { $0.countyCode.hasPrefix("5205") }
            #expect(bijie.count == 54 && bijie.map(\.id) == expected.map(\.id))
            #expect(zip(bijie, bijie.dropFirst()).allSatisfy { ($0.date, $0.id) >= ($1.date, $1.id) })
        }
    }

    @Test func personalDataIsEncryptedAtRest() async throws {
        try await withStore { store in
            _ = try await run(store, [labour(42)])
            let raw = try await store.backend.read { db in
                try await db.raw("SELECT values_json, natural_key, search_text FROM ledger_rows").all().map {
                    [
                        try $0.decode(column: "values_json", as: String.self), try $0.decode(column: "natural_key", as: String.self),
                        try $0.decode(column: "search_text", as: String.self),
                    ].joined(separator: " ")
                }.joined()
            }
            let audit = try await store.backend.read { db in
                try await db.raw("SELECT after_json FROM audit_log WHERE entity = 'ledger_row'").all().map {
                    try $0.decode(column: "after_json", as: String.self)
                }.joined()
            }
            for secret in [idNumber("520525", 42), "13800000042"] {
                #expect(!raw.contains(secret) && !audit.contains(secret))
            }
            #expect(raw.contains("工人42"))
            let back = try #require(
                try await store.ledgerRows(.labour, LedgerFilter(query: "工人42", scope: .all), page: Page(number: 1, size: 5)).items.first)
            #expect(back[field: "idNumber"] == idNumber("520525", 42) && back[field: "phone"] == "13800000042")
        }
    }
}

@Suite struct CanonicalJSONTests {
    @Test func sameTextAsTheFoundationEncoderWithSortedKeys() throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let maps: [[String: String]] = [[:], ["b": "刺梨\"汁\"", "a": "a\\b/c", "kind": "official"], ["x": "line\nbreak\ttab\r\u{1}"]]
        for m in maps {
            #expect(CanonicalJSON.object(m) == String(decoding: try e.encode(m), as: UTF8.self))
        }
        let row = AuditedLedgerRow(ledger: "labour", county: "520525", date: "2024-03-01", state: "submitted", values: maps[1])
        #expect(row.json == String(decoding: try e.encode(row), as: UTF8.self))
    }
}
