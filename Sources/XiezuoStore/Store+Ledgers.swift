import Foundation
import SQLKit
import XiezuoDomain

/// One stored ledger row, with personal data decrypted (callers mask it for whoever may not see it).
public struct LedgerRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var ledger: LedgerName
    public var values: [String]
    public var countyCode: String
    public var date: String
    public var state: ProgressState
    public var reviewComment: String
    public var version: Int64
    public var updatedAt: String
}

public struct LedgerFilter: Sendable, Hashable {
    public var regionCode: String?
    public var from: Day?
    public var to: Day?
    public var year: Int?
    public var state: ProgressState?
    public var query: String?
    /// Choice and flag fields that must hold a value (field key → stored value), e.g. kind = official.
    public var fields: [String: String]
    /// The caller's scope, required.
    public var scope: RegionScope
    public init(regionCode: String? = nil, from: Day? = nil, to: Day? = nil, year: Int? = nil, state: ProgressState? = nil,
                query: String? = nil, fields: [String: String] = [:], scope: RegionScope) {
        self.regionCode = regionCode; self.from = from; self.to = to; self.year = year; self.state = state
        self.query = query; self.fields = fields; self.scope = scope
    }
}


public enum LedgerOutcome: String, Sendable, Codable { case added, updated, unchanged, rejected }

public struct LedgerRowOutcome: Sendable, Hashable, Codable {
    public var row: Int
    public var outcome: LedgerOutcome
    public var issues: [CellIssue]
    /// The row's values as they would be stored (personal data masked), for the preview table.
    public var values: [String]
}

/// What an import did or would do: counts of each outcome and the rows to show (every rejected row up to a limit,
/// then the first rows of the other outcomes).
public struct LedgerImportReport: Sendable, Codable {
    public var ledger: LedgerName
    public var added = 0, updated = 0, unchanged = 0, rejected = 0
    public var rows: [LedgerRowOutcome] = []
    public var unlistedRejected = 0
    public var committed = false
    public var total: Int { added + updated + unchanged + rejected }
    /// The listed rows as they are shown: rejected ones first, each group in sheet order.
    public var rejectedFirst: [LedgerRowOutcome] {
        rows.sorted { ($0.outcome == .rejected ? 0 : 1, $0.row) < ($1.outcome == .rejected ? 0 : 1, $1.row) }
    }
    public static let listLimit = 1000
}

/// Thrown out of the import transaction when any row is rejected, so that nothing is written.
public struct LedgerImportRejected: Error, Sendable { public var report: LedgerImportReport }

/// The stored shape of a row in audit records: personal data stays encrypted there too.
struct AuditedLedgerRow: Codable {
    var ledger: String
    var county: String
    var date: String
    var state: String
    var values: [String: String]

    /// The same text JSONEncoder with sorted keys gives, written directly (an import of 500,000 rows writes as many).
    var json: String {
        "{\"county\":\(CanonicalJSON.string(county)),\"date\":\(CanonicalJSON.string(date)),\"ledger\":\(CanonicalJSON.string(ledger)),"
            + "\"state\":\(CanonicalJSON.string(state)),\"values\":\(CanonicalJSON.object(values))}"
    }
}

/// JSON of string maps with sorted keys and nothing escaped that need not be: the form stored rows and their audit
/// records take, so that a field's value is an exact substring (`"kind":"official"`) the list filters can match.
enum CanonicalJSON {
    static func object(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { string($0) + ":" + string(map[$0]!) }.joined(separator: ",") + "}"
    }

    static func string(_ s: String) -> String {
        // Most values need no escape at all.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension Store {
    public var cipher: PersonalDataCipher {
        get throws { try PersonalDataCipher.shared.get() }
    }

    static func searchText(_ d: LedgerDefinition, _ values: [String]) -> String {
        zip(d.fields, values).filter { !$0.0.kind.isPersonal && !$0.1.isEmpty }.map(\.1).joined(separator: " ")
    }

    /// The stored JSON of values: field key → value, personal data encrypted.
    static func storedJSON(_ d: LedgerDefinition, _ values: [String], cipher: PersonalDataCipher) throws -> (String, [String: String]) {
        var out: [String: String] = [:]
        for (f, v) in zip(d.fields, values) where !v.isEmpty { out[f.key] = f.kind.isPersonal ? try cipher.encrypt(v) : v }
        return (CanonicalJSON.object(out), out)
    }

    static func values(_ d: LedgerDefinition, json text: String, cipher: PersonalDataCipher) throws -> [String] {
        let map = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        return try d.fields.map { f in
            let v = map[f.key] ?? ""
            return f.kind.isPersonal ? try cipher.decrypt(v) : v
        }
    }

    func naturalKey(_ d: LedgerDefinition, _ values: [String], cipher: PersonalDataCipher) -> String {
        cipher.digest(([d.name.rawValue] + zip(d.fields, values).filter { $0.0.inKey }.map(\.1)).joined(separator: "\u{1F}"))
    }

    static func record(_ r: any SQLRow, cipher: PersonalDataCipher) throws -> LedgerRecord {
        let name = LedgerName(rawValue: try r.decode(column: "ledger", as: String.self)) ?? .consumption
        return LedgerRecord(id: try r.decode(column: "id", as: Int64.self), ledger: name,
                            values: try values(name.definition, json: try r.decode(column: "values_json", as: String.self), cipher: cipher),
                            countyCode: try r.decode(column: "county_code", as: String.self),
                            date: try r.decode(column: "occurred_on", as: String.self),
                            state: ProgressState(rawValue: try r.decode(column: "state", as: String.self)) ?? .submitted,
                            reviewComment: try r.decode(column: "review_comment", as: String.self),
                            version: try r.decode(column: "version", as: Int64.self),
                            updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    /// Records that this database's personal data uses the current key; refuses another key.
    static func checkDataKey(_ db: any SQLDatabase, _ cipher: PersonalDataCipher) async throws {
        let stored = try await db.raw("SELECT value FROM app_meta WHERE key = 'data_key'").first()?.decode(column: "value", as: String.self)
        if let stored {
            guard stored == cipher.fingerprint else { throw PersonalDataError.keyMismatch }
        } else {
            try await db.raw("INSERT INTO app_meta (key, value) VALUES ('data_key', \(bind: cipher.fingerprint))").run()
        }
    }

    /// At start: a database that has personal data must be opened with the key it was written with.
    public func verifyDataKey() async throws {
        let stored = try await backend.read { db in
            try await db.raw("SELECT value FROM app_meta WHERE key = 'data_key'").first()?.decode(column: "value", as: String.self)
        }
        guard let stored else { return }
        guard stored == (try cipher).fingerprint else { throw PersonalDataError.keyMismatch }
    }

    func filterSQL(_ ledger: LedgerName, _ f: LedgerFilter) -> SQLQueryString {
        var w: SQLQueryString = " WHERE ledger = \(bind: ledger.rawValue)"
        if let c = f.regionCode { w += Self.countyRange(Region.scopePrefix(code: c, level: ProjectDraft.levelOf(c))) }
        if let d = f.from { w += " AND occurred_on >= \(bind: d.description)" }
        if let d = f.to { w += " AND occurred_on <= \(bind: d.description)" }
        if let y = f.year { w += " AND year = \(bind: y)" }
        if let s = f.state { w += " AND state = \(bind: s.rawValue)" }
        if let q = f.query?.trimmingWhitespace(), !q.isEmpty { w += " AND search_text LIKE \(bind: likePattern(contains: q)) ESCAPE '\\'" }
        // The stored JSON is canonical (sorted keys, no spaces), so a field's value is an exact substring.
        for (k, v) in f.fields.sorted(by: { $0.key < $1.key }) {
            w += " AND values_json LIKE \(bind: likePattern(contains: "\"\(k)\":\"\(v)\"")) ESCAPE '\\'"
        }
        w += scopeSQL("county_code", f.scope)
        return w
    }

    /// Counties whose code starts with a prefix, as a range of six-digit codes: unlike LIKE, both engines walk an
    /// index for it (and digit strings of one length sort the same in every collation).
    static func countyRange(_ prefix: String, column: String = "county_code") -> SQLQueryString {
        " AND " + codeRange(column, prefix)
    }

    /// Rows and rows awaiting review per ledger, inside the prefixes (nil: all), from the running totals: the same
    /// cost for a thousand rows or a million.
    public func ledgerCounts(scope: RegionScope) async throws -> [LedgerName: (total: Int, pending: Int)] {
        var w: SQLQueryString = " WHERE indicator_code IN (\(binds: LedgerName.allCases.map(Self.rowCountCode)))"
        w += scopeSQL("region_code", scope)
        let filter = w
        return try await backend.read { db in
            var out: [LedgerName: (total: Int, pending: Int)] = [:]
            for r in try await db.raw("SELECT indicator_code, state, CAST(SUM(total) AS BIGINT) AS n FROM progress_totals" + filter + " GROUP BY indicator_code, state").all() {
                guard let name = LedgerName(rawValue: String(try r.decode(column: "indicator_code", as: String.self).dropFirst(5))) else { continue }
                let n = Int(try r.decode(column: "n", as: Int64.self))
                var c = out[name] ?? (0, 0)
                c.total += n
                if try r.decode(column: "state", as: String.self) == ProgressState.submitted.rawValue { c.pending += n }
                out[name] = c
            }
            return out
        }
    }

    public func ledgerRows(_ ledger: LedgerName, _ f: LedgerFilter, page: Page) async throws -> PageOf<LedgerRecord> {
        let cipher = try self.cipher
        let w = filterSQL(ledger, f)
        // Filters by region, year and state only (the lists the dashboard links to) are counted from the running
        // totals; others count the rows.
        var totals: SQLQueryString?
        if f.from == nil && f.to == nil && (f.query ?? "").isEmpty && f.fields.isEmpty {
            var t: SQLQueryString = "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS n FROM progress_totals WHERE indicator_code = \(bind: Self.rowCountCode(ledger))"
            if let c = f.regionCode { t += Self.countyRange(Region.scopePrefix(code: c, level: ProjectDraft.levelOf(c)), column: "region_code") }
            if let y = f.year { t += " AND year = \(bind: y)" }
            if let st = f.state { t += " AND state = \(bind: st.rawValue)" }
            t += scopeSQL("region_code", f.scope)
            totals = t
        }
        let countSQL = totals
        return try await backend.read { db in
            let total = countSQL != nil
                ? Int(try await db.raw(countSQL!).first()!.decode(column: "n", as: Int64.self))
                : try await db.raw("SELECT COUNT(*) AS n FROM ledger_rows" + w).first()!.decode(column: "n", as: Int.self)
            // The page's ids first, ordered from the index alone; then only those rows are read whole.
            let items = try await db.raw("""
                SELECT * FROM ledger_rows WHERE id IN (SELECT id FROM ledger_rows
                """ + w + " ORDER BY occurred_on DESC, id DESC LIMIT \(bind: page.size) OFFSET \(bind: page.offset)) ORDER BY occurred_on DESC, id DESC")
                .all().map { try Self.record($0, cipher: cipher) }
            return PageOf(items: items, total: total, page: page)
        }
    }

    /// Rows in id order after `afterId`: how exports walk a ledger of any size a slice at a time.
    public func ledgerRows(_ ledger: LedgerName, _ f: LedgerFilter, afterId: Int64, limit: Int) async throws -> [LedgerRecord] {
        let cipher = try self.cipher
        let w = filterSQL(ledger, f)
        return try await backend.read { db in
            try await db.raw("SELECT * FROM ledger_rows" + w + " AND id > \(bind: afterId) ORDER BY id LIMIT \(bind: limit)")
                .all().map { try Self.record($0, cipher: cipher) }
        }
    }

    /// How many rows a filter selects, counted row by row (lists count from the running totals where they can).
    public func ledgerCount(_ ledger: LedgerName, _ f: LedgerFilter) async throws -> Int {
        let w = filterSQL(ledger, f)
        return try await backend.read { db in try await db.raw("SELECT COUNT(*) AS n FROM ledger_rows" + w).first()!.decode(column: "n", as: Int.self) }
    }

    public func ledgerRow(id: Int64) async throws -> LedgerRecord? {
        let cipher = try self.cipher
        return try await backend.read { db in
            try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id)").first().map { try Self.record($0, cipher: cipher) }
        }
    }

    /// Moves measures between totals: `sign` -1 takes a row's contribution out, +1 puts it in. The row itself is
    /// counted there too (`rows.<ledger>`), so how many rows a scope holds is read without counting them.
    static func ledgerDeltas(_ d: LedgerDefinition, _ values: [String], county: String, date: String, state: ProgressState, sign: Int64) -> [ProgressReport] {
        guard let day = Day(date) else { return [] }
        return (d.measures(values) + [LedgerMeasure(rowCountCode(d.name), 1)]).map {
            ProgressReport(id: 0, indicatorCode: $0.indicatorCode, regionCode: county, year: day.year, month: 0, value: sign * $0.value, state: state, note: "")
        }
    }

    /// The running total that counts a ledger's rows (not an indicator; no catalogue entry has such a code).
    public static func rowCountCode(_ ledger: LedgerName) -> String { "rows." + ledger.rawValue }

    func audited(_ d: LedgerDefinition, stored: [String: String], county: String, date: String, state: ProgressState) -> AuditedLedgerRow {
        AuditedLedgerRow(ledger: d.name.rawValue, county: county, date: date, state: state.rawValue, values: stored)
    }

    // MARK: one row from a form

    public enum LedgerSaveError: Error, Equatable { case duplicateKey(Int64) }

    /// Creates a row (`id` nil) or replaces one at `expectedVersion`. Saved rows await review.
    public func saveLedgerRow(_ ledger: LedgerName, id: Int64?, values: [String], expectedVersion: Int64?, actor: Actor) async throws -> LedgerRecord {
        let d = ledger.definition, cipher = try self.cipher
        let county = d.value(values, d.countyField), date = d.value(values, d.dateField)
        let key = naturalKey(d, values, cipher: cipher)
        let (jsonText, stored) = try Self.storedJSON(d, values, cipher: cipher)
        let year = Day(date)?.year ?? 0
        return try await backend.write { db in
            try await Self.checkDataKey(db, cipher)
            let clash = try await db.raw("SELECT id FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND natural_key = \(bind: key)")
                .first()?.decode(column: "id", as: Int64.self)
            if let clash, clash != id { throw LedgerSaveError.duplicateKey(clash) }
            let now = Self.now()
            if let id {
                guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id) AND ledger = \(bind: ledger.rawValue)").first() else { throw StoreError.notFound }
                let before = try Self.record(row, cipher: cipher)
                guard before.version == expectedVersion else { throw StoreError.conflict }
                let beforeJSON = try row.decode(column: "values_json", as: String.self)
                try await db.raw("""
                    UPDATE ledger_rows SET natural_key = \(bind: key), county_code = \(bind: county), occurred_on = \(bind: date), year = \(bind: year),
                      values_json = \(bind: jsonText), search_text = \(bind: Self.searchText(d, values)), state = 'submitted', review_comment = '',
                      version = version + 1, updated_at = \(bind: now), changed_by = \(bind: actor.name), submitted_by = \(bind: actor.name),
                      approved_by = NULL, confirmed_by = NULL WHERE id = \(bind: id)
                    """).run()
                try await Self.addToTotals(db, Self.ledgerDeltas(d, before.values, county: before.countyCode, date: before.date, state: before.state, sign: -1)
                                            + Self.ledgerDeltas(d, values, county: county, date: date, state: .submitted, sign: 1))
                let oldStored = (try? JSONDecoder().decode([String: String].self, from: Data(beforeJSON.utf8))) ?? [:]
                try await Self.audit(db, actor, entity: "ledger_row", id: String(id), action: "update",
                                     before: audited(d, stored: oldStored, county: before.countyCode, date: before.date, state: before.state),
                                     after: audited(d, stored: stored, county: county, date: date, state: .submitted))
                var after = before
                after.values = values; after.countyCode = county; after.date = date; after.state = .submitted; after.version += 1
                return after
            }
            let newId = try await db.raw("""
                INSERT INTO ledger_rows (ledger, natural_key, county_code, occurred_on, year, values_json, search_text, state, created_at, updated_at,
                                         created_by, changed_by, submitted_by)
                VALUES (\(bind: ledger.rawValue), \(bind: key), \(bind: county), \(bind: date), \(bind: year), \(bind: jsonText),
                        \(bind: Self.searchText(d, values)), 'submitted', \(bind: now), \(bind: now), \(bind: actor.name), \(bind: actor.name), \(bind: actor.name)) RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            try await Self.addToTotals(db, Self.ledgerDeltas(d, values, county: county, date: date, state: .submitted, sign: 1))
            try await Self.audit(db, actor, entity: "ledger_row", id: String(newId), action: "create", before: AuditedLedgerRow?.none,
                                 after: audited(d, stored: stored, county: county, date: date, state: .submitted))
            return LedgerRecord(id: newId, ledger: ledger, values: values, countyCode: county, date: date, state: .submitted,
                                reviewComment: "", version: 1, updatedAt: now)
        }
    }

    // MARK: review

    /// Approves or returns one row; the totals move with it.
    public func reviewLedgerRow(id: Int64, _ action: ProgressState.Action, comment: String, actor: Actor) async throws -> LedgerRecord {
        let cipher = try self.cipher
        return try await backend.write { db in
            guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id)").first() else { throw StoreError.notFound }
            let before = try Self.record(row, cipher: cipher)
            guard let next = before.state.after(action) else { throw ReviewError.notAllowedFrom(before.state) }
            if action == .return && comment.trimmingWhitespace().isEmpty { throw ReviewError.commentRequired }
            // Checked in the approving transaction itself, so no route can forget it.
            let authors = try Self.authorship(row)
            if action == .approve && (actor.name == nil || authors.isAuthor(actor.name)) { throw ReviewError.ownWork }
            try await Self.moveLedgerRows(db, [(before, try row.decode(column: "values_json", as: String.self))], to: next,
                                          comment: action == .return ? comment : "", action: action.rawValue, actor: actor)
            var after = before; after.state = next; after.version += 1
            return after
        }
    }

    /// Approves every submitted row a filter selects, in one transaction; returns how many.
    public func approveLedgerRows(_ ledger: LedgerName, _ f: LedgerFilter, actor: Actor) async throws -> Int {
        let cipher = try self.cipher
        var f = f
        f.state = .submitted
        guard let me = actor.name else { return 0 }
        // Rows the reviewer made (created, last changed or submitted) are left for someone else.
        let w = filterSQL(ledger, f) + """
             AND COALESCE(created_by, '') <> \(bind: me) AND COALESCE(changed_by, '') <> \(bind: me) AND COALESCE(submitted_by, '') <> \(bind: me)
            """
        return try await backend.write { db in
            var count = 0
            var lastId: Int64 = 0
            while true {
                let rows = try await db.raw("SELECT * FROM ledger_rows" + w + " AND id > \(bind: lastId) ORDER BY id LIMIT 500").all()
                guard !rows.isEmpty else { break }
                let batch = try rows.map { (try Self.record($0, cipher: cipher), try $0.decode(column: "values_json", as: String.self)) }
                try await Self.moveLedgerRows(db, batch, to: .approved, comment: "", action: "approve", actor: actor)
                count += batch.count
                lastId = batch.last!.0.id
            }
            return count
        }
    }

    static func moveLedgerRows(_ db: any SQLDatabase, _ rows: [(LedgerRecord, String)], to next: ProgressState, comment: String,
                               action: String, actor: Actor) async throws {
        guard !rows.isEmpty else { return }
        let now = now()
        try await db.raw("""
            UPDATE ledger_rows SET state = \(bind: next.rawValue), review_comment = \(bind: comment), version = version + 1,
              updated_at = \(bind: now), approved_by = \(bind: next == .approved ? actor.name : nil) WHERE id IN (\(binds: rows.map(\.0.id)))
            """).run()
        var deltas: [ProgressReport] = []
        var a: SQLQueryString = "INSERT INTO audit_log (at, actor, address, entity, entity_id, action, before_json, after_json) VALUES "
        a += rows.map { r, stored -> SQLQueryString in
            let d = r.ledger.definition
            deltas += ledgerDeltas(d, r.values, county: r.countyCode, date: r.date, state: r.state, sign: -1)
            deltas += ledgerDeltas(d, r.values, county: r.countyCode, date: r.date, state: next, sign: 1)
            let values = (try? JSONDecoder().decode([String: String].self, from: Data(stored.utf8))) ?? [:]
            let before = AuditedLedgerRow(ledger: d.name.rawValue, county: r.countyCode, date: r.date, state: r.state.rawValue, values: values)
            var after = before; after.state = next.rawValue
            return "(\(bind: now), \(bind: actor.name), \(bind: actor.address), 'ledger_row', \(bind: String(r.id)), \(bind: action), \(bind: before.json), \(bind: after.json))"
        }.joined(separator: ", ")
        try await db.raw(a).run()
        try await addToTotals(db, deltas)
    }

    public func ledgerAuthors(id: Int64) async throws -> Authorship {
        try await backend.read { db in
            try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id)").first().map(Self.authorship) ?? Authorship()
        }
    }

    /// The eastern partner's confirmation of a row: a mark with who gave it, audited; the review state is untouched.
    public func confirmLedgerRow(id: Int64, actor: Actor) async throws {
        try await backend.write { db in
            guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id)").first() else { throw StoreError.notFound }
            if try Self.authorship(row).isAuthor(actor.name) { throw ReviewError.ownWork }
            try await db.raw("UPDATE ledger_rows SET confirmed_by = \(bind: actor.name), version = version + 1 WHERE id = \(bind: id)").run()
            try await Self.audit(db, actor, entity: "ledger_row", id: String(id), action: "confirm",
                                 before: ["confirmedBy": ""], after: ["confirmedBy": actor.name ?? ""])
        }
    }

    /// A look at a row's personal data in full, kept in the audit log (who, when, which row and fields).
    public func recordReveal(id: Int64, fields: [String], actor: Actor) async throws {
        try await backend.write { db in
            try await Self.audit(db, actor, entity: "ledger_row", id: String(id), action: "reveal", before: ["fields": fields], after: ["fields": fields])
        }
    }

    /// An export of personal data in full, kept in the audit log.
    public func recordExport(_ ledger: LedgerName, rows: Int, revealed: Bool, actor: Actor) async throws {
        try await backend.write { db in
            let what = ["ledger": ledger.rawValue, "rows": String(rows), "personal_data": revealed ? "full" : "masked"]
            try await Self.audit(db, actor, entity: "ledger_export", id: ledger.rawValue, action: "export", before: what, after: what)
        }
    }
}

// MARK: import

extension Store {
    /// Reads a sheet's rows against what is stored: with `commit`, writes them all in one transaction — or, if any row
    /// is rejected, nothing (the report comes back inside `LedgerImportRejected`). Without it, only reports. Blank
    /// cells keep stored values; a row with the natural key of a stored row (or of an earlier row of the file) updates it.
    public func importLedger(_ ledger: LedgerName, commit: Bool, actor: Actor, canWrite: @escaping @Sendable (String) -> Bool,
                             progress: @escaping @Sendable (Double) -> Void = { _ in },
                             open: @escaping @Sendable () throws -> any LedgerRowStream) async throws -> LedgerImportReport {
        let cipher = try self.cipher
        if !commit {
            return try await backend.read { db in try await self.runImport(db, ledger, commit: false, actor: actor, cipher: cipher, canWrite: canWrite, progress: progress, open: open) }
        }
        return try await backend.write { db in
            try await Self.checkDataKey(db, cipher)
            let report = try await self.runImport(db, ledger, commit: true, actor: actor, cipher: cipher, canWrite: canWrite, progress: progress, open: open)
            if report.rejected > 0 { throw LedgerImportRejected(report: report) }
            return report
        }
    }

    private struct Pending {
        var id: Int64?                 // stored row, if any
        var before: LedgerRecord?      // as stored before this import
        var beforeJSON: String?
        var values: [String]
        var isNew: Bool
    }

    func runImport(_ db: any SQLDatabase, _ ledger: LedgerName, commit: Bool, actor: Actor, cipher: PersonalDataCipher,
                           canWrite: @Sendable (String) -> Bool, progress: @Sendable (Double) -> Void,
                           open: () throws -> any LedgerRowStream) async throws -> LedgerImportReport {
        let d = ledger.definition
        var stream = try open()
        var report = LedgerImportReport(ledger: ledger)
        var seen: [String: Int] = [:]
        var listedOther = 0, listedRejected = 0
        let countyIndex = d.index(d.countyField)!
        let personal = d.fields.map(\.kind.isPersonal)

        func list(_ row: Int, _ outcome: LedgerOutcome, _ issues: [CellIssue], _ values: [String]) {
            if outcome == .rejected {
                guard listedRejected < LedgerImportReport.listLimit else { report.unlistedRejected += 1; return }
                listedRejected += 1
            } else {
                guard listedOther < LedgerImportReport.listLimit else { return }
                listedOther += 1
            }
            let shown = zip(d.fields, values).map { f, v in f.kind.isPersonal ? PersonalMask.mask(v, f.kind) : v }
            report.rows.append(LedgerRowOutcome(row: row, outcome: outcome, issues: issues, values: shown))
        }

        var chunk: [ParsedLedgerRow] = []
        var lastProgress = 0.0

        func flush() async throws {
            defer { chunk.removeAll(keepingCapacity: true) }
            // Stored rows with the keys of this chunk.
            var keys: [Int: String] = [:]
            for (i, r) in chunk.enumerated() where r.issues.isEmpty {
                if zip(d.fields, r.values).allSatisfy({ !$0.0.inKey || !$0.1.isEmpty || !$0.0.required }) {
                    keys[i] = naturalKey(d, r.values, cipher: cipher)
                }
            }
            var stored: [String: (LedgerRecord, String)] = [:]
            let wanted = Array(Set(keys.values))
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let part = Array(wanted[start..<min(start + 500, wanted.count)])
                for row in try await db.raw("SELECT * FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND natural_key IN (\(binds: part))").all() {
                    stored[try row.decode(column: "natural_key", as: String.self)] = (try Self.record(row, cipher: cipher), try row.decode(column: "values_json", as: String.self))
                }
            }
            var pending: [String: Pending] = [:]
            var order: [String] = []
            for (i, r) in chunk.enumerated() {
                var issues = r.issues
                for (f, v) in zip(d.fields, r.values) where personal[d.index(f.key)!] && v.contains("*") {
                    issues.append(CellIssue(column: d.label(f.key, .zh), key: "ledger.masked", params: [v]))
                }
                guard issues.isEmpty else { report.rejected += 1; list(r.rowNumber, .rejected, issues, r.values); continue }
                guard let key = keys[i] else {
                    let missing = d.fields.indices.filter { d.fields[$0].inKey && d.fields[$0].required && r.values[$0].isEmpty }
                    report.rejected += 1
                    list(r.rowNumber, .rejected, missing.map { CellIssue(column: d.label(d.fields[$0].key, .zh), key: "ledger.required") }, r.values)
                    continue
                }
                var base: Pending?
                if let p = pending[key] { base = p }
                else if let (rec, json) = stored[key] { base = Pending(id: rec.id, before: rec, beforeJSON: json, values: rec.values, isNew: false) }
                var merged = base?.values ?? Array(repeating: "", count: d.fields.count)
                for (j, v) in r.values.enumerated() where !v.isEmpty { merged[j] = v }
                var rowIssues: [CellIssue] = []
                for (j, f) in d.fields.enumerated() where f.required && merged[j].isEmpty {
                    rowIssues.append(CellIssue(column: d.label(f.key, .zh), key: "ledger.required"))
                }
                // Both the county the row names and that of the stored row it would change must be the importer's.
                let counties = [merged[countyIndex], base?.before?.countyCode ?? ""].filter { !$0.isEmpty }
                if counties.contains(where: { !canWrite($0) }) {
                    rowIssues.append(CellIssue(column: d.label(d.countyField, .zh), key: "ledger.outside_scope", params: [merged[countyIndex]]))
                }
                if !rowIssues.isEmpty { report.rejected += 1; list(r.rowNumber, .rejected, rowIssues, merged); continue }
                var notes: [CellIssue] = []
                if let first = seen[key] { notes.append(CellIssue(column: "", key: "ledger.duplicate_in_file", params: [String(first)])) } else { seen[key] = r.rowNumber }
                let outcome: LedgerOutcome
                if base == nil && notes.isEmpty { outcome = .added }
                else if let b = base, b.values == merged { outcome = .unchanged }
                else { outcome = .updated }
                switch outcome {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .rejected: break
                }
                list(r.rowNumber, outcome, notes, merged)
                if outcome != .unchanged {
                    if pending[key] == nil { order.append(key) }
                    pending[key] = Pending(id: base?.id, before: base?.before, beforeJSON: base?.beforeJSON, values: merged, isNew: base?.isNew ?? (base == nil))
                }
            }
            guard commit, report.rejected == 0 else { return }
            try await write(db, d, order.map { ($0, pending[$0]!) }, actor: actor, cipher: cipher)
        }

        do {
            while let row = try stream.nextRow() {
                chunk.append(row)
                if chunk.count >= 1000 {
                    try await flush()
                    let f = stream.fraction
                    if f - lastProgress >= 0.01 { progress(f); lastProgress = f }
                }
            }
            if !chunk.isEmpty { try await flush() }
            progress(1)
        }
        report.committed = commit && report.rejected == 0
        return report
    }

    private func write(_ db: any SQLDatabase, _ d: LedgerDefinition, _ rows: [(String, Pending)], actor: Actor, cipher: PersonalDataCipher) async throws {
        guard !rows.isEmpty else { return }
        let now = Self.now()
        var deltas: [ProgressReport] = []
        let inserts = rows.filter { $0.1.id == nil }
        // 1,000 rows a statement: 10,000 parameters, well inside both engines' limits.
        for start in stride(from: 0, to: inserts.count, by: 1000) {
            let part = Array(inserts[start..<min(start + 1000, inserts.count)])
            var q: SQLQueryString = "INSERT INTO ledger_rows (ledger, natural_key, county_code, occurred_on, year, values_json, search_text, state, created_at, updated_at, created_by, changed_by, submitted_by) VALUES "
            var audits: [AuditedLedgerRow] = []
            q += try part.map { key, p -> SQLQueryString in
                let county = d.value(p.values, d.countyField), date = d.value(p.values, d.dateField)
                let (jsonText, stored) = try Self.storedJSON(d, p.values, cipher: cipher)
                audits.append(audited(d, stored: stored, county: county, date: date, state: .submitted))
                deltas += Self.ledgerDeltas(d, p.values, county: county, date: date, state: .submitted, sign: 1)
                return "(\(bind: d.name.rawValue), \(bind: key), \(bind: county), \(bind: date), \(bind: Day(date)?.year ?? 0), \(bind: jsonText), \(bind: Self.searchText(d, p.values)), 'submitted', \(bind: now), \(bind: now), \(bind: actor.name), \(bind: actor.name), \(bind: actor.name))"
            }.joined(separator: ", ")
            q += " RETURNING id"
            let ids = try await db.raw(q).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
            var a: SQLQueryString = "INSERT INTO audit_log (at, actor, address, entity, entity_id, action, before_json, after_json) VALUES "
            a += zip(ids, audits).map { id, row -> SQLQueryString in
                "(\(bind: now), \(bind: actor.name), \(bind: actor.address), 'ledger_row', \(bind: String(id)), 'import', NULL, \(bind: row.json))"
            }.joined(separator: ", ")
            try await db.raw(a).run()
        }
        for (key, p) in rows {
            guard let id = p.id, let before = p.before else { continue }
            let county = d.value(p.values, d.countyField), date = d.value(p.values, d.dateField)
            let (jsonText, stored) = try Self.storedJSON(d, p.values, cipher: cipher)
            try await db.raw("""
                UPDATE ledger_rows SET natural_key = \(bind: key), county_code = \(bind: county), occurred_on = \(bind: date), year = \(bind: Day(date)?.year ?? 0),
                  values_json = \(bind: jsonText), search_text = \(bind: Self.searchText(d, p.values)), state = 'submitted', review_comment = '',
                  version = version + 1, updated_at = \(bind: now), changed_by = \(bind: actor.name), submitted_by = \(bind: actor.name),
                  approved_by = NULL, confirmed_by = NULL WHERE id = \(bind: id)
                """).run()
            deltas += Self.ledgerDeltas(d, before.values, county: before.countyCode, date: before.date, state: before.state, sign: -1)
            deltas += Self.ledgerDeltas(d, p.values, county: county, date: date, state: .submitted, sign: 1)
            let old = (try? JSONDecoder().decode([String: String].self, from: Data((p.beforeJSON ?? "{}").utf8))) ?? [:]
            try await Self.audit(db, actor, entity: "ledger_row", id: String(id), action: "update",
                                 before: audited(d, stored: old, county: before.countyCode, date: before.date, state: before.state),
                                 after: audited(d, stored: stored, county: county, date: date, state: .submitted))
        }
        try await Self.addToTotals(db, deltas)
    }
}

// MARK: staged uploads

extension Store {
    /// Keeps an uploaded sheet between its preview and its import, for its uploader only. Older stagings of the
    /// same user are dropped (one pending preview per user).
    /// A staged upload lives at most this long: a preview left open is not a place to keep ID numbers.
    public static let stagedUploadLifetime: TimeInterval = 3600

    public func stageUpload(userId: Int64, ledger: LedgerName, fileName: String, data: Data, now: Date = Date()) async throws -> Int64 {
        let sealed = try cipher.encrypt(data: data)  // the raw sheet holds ID numbers in clear
        return try await backend.write { db in
            try await Self.purgeStagedUploads(db, now: now)
            try await db.raw("DELETE FROM ledger_uploads WHERE user_id = \(bind: userId)").run()
            return try await db.raw("""
                INSERT INTO ledger_uploads (user_id, ledger, file_name, content, created_at)
                VALUES (\(bind: userId), \(bind: ledger.rawValue), \(bind: fileName), \(bind: sealed), \(bind: Self.iso(now))) RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
    }

    /// Removes staged uploads older than their lifetime (each new staging does this too).
    static func purgeStagedUploads(_ db: any SQLDatabase, now: Date) async throws {
        let cutoff = iso(now.addingTimeInterval(-stagedUploadLifetime))
        try await db.raw("DELETE FROM ledger_uploads WHERE created_at < \(bind: cutoff)").run()
    }

    public func stagedUpload(id: Int64, userId: Int64, now: Date = Date()) async throws -> (LedgerName, String, Data)? {
        let cipher = try self.cipher
        return try await backend.read { db in
            guard let r = try await db.raw("SELECT * FROM ledger_uploads WHERE id = \(bind: id) AND user_id = \(bind: userId)").first(),
                  let ledger = LedgerName(rawValue: try r.decode(column: "ledger", as: String.self)),
                  let created = Self.date(try r.decode(column: "created_at", as: String.self)),
                  now.timeIntervalSince(created) <= Self.stagedUploadLifetime else { return nil }
            let data = try cipher.decrypt(data: try r.decode(column: "content", as: String.self))
            return (ledger, try r.decode(column: "file_name", as: String.self), data)
        }
    }

    public func dropUpload(id: Int64) async throws {
        try await backend.write { db in try await db.raw("DELETE FROM ledger_uploads WHERE id = \(bind: id)").run() }
    }
}
