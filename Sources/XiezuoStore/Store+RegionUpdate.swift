import Crypto
import Foundation
import SQLKit
import XiezuoDomain

/// What bringing a database's regions up to the bundled table changed.
public struct RegionUpdate: Sendable, Equatable {
    public var added = 0
    public var changed = 0
    /// Former regions whose rows moved to their successor (and which were then removed).
    public var superseded: [String: String] = [:]
    /// Rows moved, by table.
    public var moved: [String: Int] = [:]
    /// Rows left under a former code because the same record already exists under its successor.
    public var kept: [String: Int] = [:]
}

/// The record of one former region's rows moving to its successor (audit_log, entity "region").
struct RegionSuccession: Codable {
    var code: String
    var name: String
    var successor: String?
    var moved: [String: Int]?
    var kept: [String: Int]?
}

extension Store {
    /// The bundled reference tables' identity: a database whose regions were brought up to it is not looked at again.
    static func regionReferenceVersion() throws -> String {
        var hash = SHA256()
        for name in ["regions", "region_history"] {
            guard let url = Bundle.module.url(forResource: name, withExtension: "tsv") else { throw CocoaError(.fileNoSuchFile) }
            hash.update(data: try Data(contentsOf: url))
        }
        return hexString(hash.finalize())
    }

    /// Brings the regions up to the bundled table, in one transaction: new regions are added, renamed ones changed in
    /// place, the national key-county flag follows the bundled list where no administrator has set it, and every row
    /// stored under a superseded code (盘县 520222) moves to its successor (盘州市 520281), audited. Nothing is lost: a
    /// record that exists under both codes stays under the former one, which is then kept.
    @discardableResult
    func updateRegions() async throws -> RegionUpdate {
        let version = try Self.regionReferenceVersion()
        guard try await meta("regions_reference") != version else { return RegionUpdate() }
        let bundled = try Self.bundledRegions()
        let history = try Self.bundledRegionHistory()
        let cipher = try? self.cipher
        let store = self
        return try await backend.write { db in
            var report = RegionUpdate()
            let stored = Dictionary(
                try await db.raw("SELECT * FROM regions").all().map(Self.region).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            // Regions are inserted parents first (a prefecture before its counties), many per statement.
            let missing = bundled.filter { stored[$0.code] == nil }.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
            for start in stride(from: 0, to: missing.count, by: 300) {
                var q: SQLQueryString = "INSERT INTO regions (code, name, level, parent_code, side, key_assisted, resettlement_area) VALUES "
                q += missing[start..<min(start + 300, missing.count)].map { r -> SQLQueryString in
                    "(\(bind: r.code), \(bind: r.name), \(bind: r.level.rawValue), \(bind: r.parentCode), \(bind: r.side.rawValue), \(bind: r.keyAssisted ? 1 : 0), 0)"
                }.joined(separator: ", ")
                try await db.raw(q).run()
            }
            report.added = missing.count
            if !stored.isEmpty {
                // Flags an administrator set are theirs; the others follow the national list.
                let setByHand = Set(
                    try await db.raw("SELECT DISTINCT entity_id FROM audit_log WHERE entity = 'region' AND action = 'update' AND actor <> 'system'")
                        .all().map { try $0.decode(column: "entity_id", as: String.self) })
                for r in bundled {
                    guard let before = stored[r.code] else { continue }
                    var after = before
                    after.name = r.name
                    after.level = r.level
                    after.parentCode = r.parentCode
                    after.side = r.side
                    if !setByHand.contains(r.code) { after.keyAssisted = r.keyAssisted }
                    guard after != before else { continue }
                    try await db.raw(
                        """
                        UPDATE regions SET name = \(bind: after.name), level = \(bind: after.level.rawValue), parent_code = \(bind: after.parentCode),
                          side = \(bind: after.side.rawValue), key_assisted = \(bind: after.keyAssisted ? 1 : 0) WHERE code = \(bind: r.code)
                        """
                    ).run()
                    try await Self.audit(db, .system, entity: "region", id: r.code, action: "update", before: before, after: after)
                    report.changed += 1
                }
                let today = Set(bundled.map(\.code))
                let successors = Dictionary(history.compactMap { f in f.successor.map { (f.code, $0) } }, uniquingKeysWith: { a, _ in a })
                // Counties before their prefectures, so a former prefecture has no children left when it goes.
                for old in stored.values.filter({ !today.contains($0.code) }).sorted(by: { ($0.level, $0.code) > ($1.level, $1.code) }) {
                    guard let new = successors[old.code], today.contains(new) else { continue }
                    let (moved, kept) = try await store.moveRegionRows(db, from: old.code, to: new, cipher: cipher)
                    for (k, v) in moved { report.moved[k, default: 0] += v }
                    for (k, v) in kept { report.kept[k, default: 0] += v }
                    let record = RegionSuccession(code: old.code, name: old.name, successor: new, moved: moved, kept: kept.isEmpty ? nil : kept)
                    if kept.isEmpty {
                        try await db.raw("UPDATE regions SET parent_code = \(bind: new) WHERE parent_code = \(bind: old.code)").run()
                        try await db.raw("DELETE FROM regions WHERE code = \(bind: old.code)").run()
                        report.superseded[old.code] = new
                    }
                    try await Self.audit(
                        db, .system, entity: "region", id: old.code, action: "supersede",
                        before: RegionSuccession(code: old.code, name: old.name, successor: nil), after: record)
                }
            }
            try await db.raw("DELETE FROM app_meta WHERE key = 'regions_reference'").run()
            try await db.raw("INSERT INTO app_meta (key, value) VALUES ('regions_reference', \(bind: version))").run()
            try await Self.stampReferenceData(db)
            return report
        }
    }

    /// Moves every row stored under region `old` to `new`, inside the caller's transaction; the running totals move
    /// with them. Returns the rows moved and those kept (the same record exists under `new` already), by table.
    func moveRegionRows(
        _ db: any SQLDatabase, from old: String, to new: String, cipher: PersonalDataCipher?
    ) async throws -> (
        [String: Int], [String: Int]
    ) {
        var moved: [String: Int] = [:]
        var kept: [String: Int] = [:]
        func count(_ table: String, _ column: String) async throws -> Int {
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: old)").first()!
                .decode(column: "n", as: Int.self)
        }
        // Tables without a uniqueness that includes the region: a plain move.
        for (table, column) in [
            ("pairings", "east_code"), ("pairings", "west_code"), ("projects", "county_code"), ("users", "region_code"),
            ("documents", "region_code"), ("follow_up_tasks", "owner_region_code"),
        ] {
            let n = try await count(table, column)
            guard n > 0 else { continue }
            try await db.raw("UPDATE \(unsafeRaw: table) SET \(unsafeRaw: column) = \(bind: new) WHERE \(unsafeRaw: column) = \(bind: old)").run()
            moved[table, default: 0] += n
        }
        var deltas: [ProgressReport] = []
        // Figures: one per indicator, region and month — a month reported under both codes keeps the former's.
        for r in try await db.raw("SELECT * FROM progress WHERE region_code = \(bind: old)").all() {
            let id = try r.decode(column: "id", as: Int64.self)
            let indicator = try r.decode(column: "indicator_code", as: String.self)
            let year = try r.decode(column: "year", as: Int.self)
            let month = try r.decode(column: "month", as: Int.self)
            let clash = try await db.raw(
                """
                SELECT 1 AS x FROM progress WHERE region_code = \(bind: new) AND indicator_code = \(bind: indicator)
                  AND year = \(bind: year) AND month = \(bind: month)
                """
            ).first()
            if clash != nil {
                kept["progress", default: 0] += 1
                continue
            }
            try await db.raw("UPDATE progress SET region_code = \(bind: new) WHERE id = \(bind: id)").run()
            let value = try r.decode(column: "value", as: Int64.self)
            let state = ProgressState(rawValue: try r.decode(column: "state", as: String.self)) ?? .draft
            for (region, sign) in [(old, Int64(-1)), (new, 1)] {
                deltas.append(
                    ProgressReport(
                        id: 0, indicatorCode: indicator, regionCode: region, year: year, month: month, value: sign * value, state: state, note: ""))
            }
            moved["progress", default: 0] += 1
        }
        // Ledger rows: the county is in the stored values and in the record's key, both worked out again.
        let ledgerRows = try await db.raw("SELECT * FROM ledger_rows WHERE county_code = \(bind: old)").all()
        if !ledgerRows.isEmpty {
            guard let cipher else { throw PersonalDataError.keyMismatch }
            for r in ledgerRows {
                let record = try Self.record(r, cipher: cipher)
                let d = record.ledger.definition
                var values = record.values
                for (i, f) in d.fields.enumerated() where f.kind == .county && values[i] == old { values[i] = new }
                let key = Self.naturalKey(d, values, cipher: cipher)
                let clash = try await db.raw(
                    "SELECT 1 AS x FROM ledger_rows WHERE ledger = \(bind: d.name.rawValue) AND natural_key = \(bind: key) AND id <> \(bind: record.id)"
                ).first()
                if clash != nil {
                    kept["ledger_rows", default: 0] += 1
                    continue
                }
                let (json, _) = try Self.storedJSON(d, values, cipher: cipher)
                try await db.raw(
                    """
                    UPDATE ledger_rows SET county_code = \(bind: new), natural_key = \(bind: key), values_json = \(bind: json),
                      search_text = \(bind: Self.searchText(d, values)) WHERE id = \(bind: record.id)
                    """
                ).run()
                deltas += Self.ledgerDeltas(d, record.values, county: old, date: record.date, state: record.state, sign: -1)
                deltas += Self.ledgerDeltas(d, values, county: new, date: record.date, state: record.state, sign: 1)
                moved["ledger_rows", default: 0] += 1
            }
        }
        try await Self.addToTotals(db, deltas)
        try await db.raw("DELETE FROM progress_totals WHERE region_code = \(bind: old) AND total = 0").run()
        return (moved, kept)
    }
}
