import Foundation
import SQLKit
import XiezuoDomain

extension Store {
    /// Reads a sheet's rows against what is stored: with `commit`, writes them all in one transaction — or, if any row
    /// is rejected, nothing (the report comes back inside `LedgerImportRejected`). Without it, only reports. Blank
    /// cells keep stored values; a row with the natural key of a stored row (or of an earlier row of the file) updates it.
    public func importLedger(
        _ ledger: LedgerName, commit: Bool, actor: Actor, canWrite: @escaping @Sendable (String) -> Bool,
        progress: @escaping @Sendable (Double) -> Void = { _ in },
        open: @escaping @Sendable () throws -> any LedgerRowStream
    ) async throws -> LedgerImportReport {
        let cipher = try self.cipher
        if !commit {
            return try await backend.read { db in
                try await self.runImport(db, ledger, commit: false, actor: actor, cipher: cipher, canWrite: canWrite, progress: progress, open: open)
            }
        }
        let sqlite = backend.dialect == .sqlite
        return try await backend.write { db in
            try await Self.checkDataKey(db, cipher)
            let last = sqlite ? try await Self.deferSearchIndex(db) : 0
            let report = try await self.runImport(
                db, ledger, commit: true, actor: actor, cipher: cipher, canWrite: canWrite, progress: progress, open: open)
            if report.rejected > 0 { throw LedgerImportRejected(report: report) }
            if sqlite {
                try await Self.indexDeferredRows(db, after: last)
            } else {
                // GIN keeps new entries in a pending list (up to 64 MiB) that every search reads through until it is
                // merged: merged here, once, a search right after a large import costs what it does later.
                try await db.raw("SELECT gin_clean_pending_list('ledger_rows_search'::regclass) AS n").run()
            }
            return report
        }
    }

    /// SQLite: the rows this transaction adds are indexed for keyword search at its end, in one statement
    /// (migration 15's backlog). Returns the highest id before them.
    static func deferSearchIndex(_ db: any SQLDatabase) async throws -> Int64 {
        let last = try await db.raw("SELECT COALESCE(MAX(id), 0) AS n FROM ledger_rows").first()!.decode(column: "n", as: Int64.self)
        try await db.raw("INSERT INTO ledger_search_backlog (after_id) VALUES (\(bind: last))").run()
        return last
    }

    static func indexDeferredRows(_ db: any SQLDatabase, after last: Int64) async throws {
        try await db.raw(
            SQLQueryString(
                "INSERT INTO ledger_search(rowid, search_text) SELECT \(Migrations.searchKey("")), search_text FROM ledger_rows WHERE id > ")
                + "\(bind: last)"
        ).run()
        try await db.raw("DELETE FROM ledger_search_backlog").run()
    }

    private struct Pending {
        var id: Int64?  // stored row, if any
        var before: LedgerRecord?  // as stored before this import
        var beforeJSON: String?
        var values: [String]
        var isNew: Bool
        /// What these very values store, made while the sheet was read (a new row from one line of the sheet).
        var made: Made? = nil
    }

    /// What a row stores, made from its values alone: its JSON (personal data encrypted), search text and audit record.
    struct Made: Sendable {
        var json: String
        var search: String
        var audit: String
    }

    /// A sheet row with what can be made of it before the database is asked anything: its natural key and, for a
    /// row that holds every required value, what it would store as a new row.
    struct PreparedRow: Sendable {
        var row: ParsedLedgerRow
        var key: String?
        var made: Made?
    }

    func prepare(_ r: ParsedLedgerRow, _ d: LedgerDefinition, cipher: PersonalDataCipher) -> PreparedRow {
        guard r.issues.isEmpty, zip(d.fields, r.values).allSatisfy({ !$0.0.inKey || !$0.1.isEmpty || !$0.0.required }) else {
            return PreparedRow(row: r, key: nil, made: nil)
        }
        let key = Self.naturalKey(d, r.values, cipher: cipher)
        guard zip(d.fields, r.values).allSatisfy({ !$0.0.required || !$0.1.isEmpty }),
            let (json, stored) = try? Self.storedJSON(d, r.values, cipher: cipher)
        else { return PreparedRow(row: r, key: key, made: nil) }
        let audit = Self.audited(d, stored: stored, county: d.value(r.values, d.countyField), date: d.value(r.values, d.dateField), state: .submitted)
        return PreparedRow(row: r, key: key, made: Made(json: json, search: Self.searchText(d, r.values), audit: audit.json))
    }

    func runImport(
        _ db: any SQLDatabase, _ ledger: LedgerName, commit: Bool, actor: Actor, cipher: PersonalDataCipher,
        canWrite: @Sendable (String) -> Bool, progress: @Sendable (Double) -> Void,
        open: () throws -> any LedgerRowStream
    ) async throws -> LedgerImportReport {
        let d = ledger.definition
        let store = self
        let rows = RowReadAhead(try open()) { store.prepare($0, d, cipher: cipher) }
        var report = LedgerImportReport(ledger: ledger)
        var seen: [String: Int] = [:]
        var listedOther = 0
        var listedRejected = 0
        let countyIndex = d.index(d.countyField)!
        let dateIndex = d.index(d.dateField)!
        let personal = d.fields.map(\.kind.isPersonal)
        // Periods a reporting round has locked for this ledger: a row dated in one changes only through a request.
        let locks = try await Self.lockedPeriods(db, column: "ledgers", today: actor.day).filter { $0.items.contains(ledger.rawValue) }
        func lockingRound(county: String, date: String) -> Int64? {
            guard !locks.isEmpty, let day = Day(date) else { return nil }
            return locks.first { $0.year == day.year && $0.month == day.month && county.hasPrefix($0.prefix) }?.round
        }

        func list(_ row: Int, _ outcome: LedgerOutcome, _ issues: [CellIssue], _ values: [String]) {
            if outcome == .rejected {
                guard listedRejected < LedgerImportReport.listLimit else {
                    report.unlistedRejected += 1
                    return
                }
                listedRejected += 1
            } else {
                guard listedOther < LedgerImportReport.listLimit else { return }
                listedOther += 1
            }
            let shown = zip(d.fields, values).map { f, v in f.kind.isPersonal ? PersonalMask.mask(v, f.kind) : v }
            report.rows.append(LedgerRowOutcome(row: row, outcome: outcome, issues: issues, values: shown))
        }

        var prepared: [PreparedRow] = []
        var lastProgress = 0.0

        func flush() async throws {
            let chunk = prepared.map(\.row)
            // Stored rows with the keys of this chunk.
            var keys: [Int: String] = [:]
            for (i, p) in prepared.enumerated() { keys[i] = p.key }
            var stored: [String: (LedgerRecord, String)] = [:]
            let wanted = Array(Set(keys.values))
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let part = Array(wanted[start..<min(start + 500, wanted.count)])
                for row in try await db.raw("SELECT * FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND natural_key IN (\(binds: part))")
                    .all()
                {
                    stored[try row.decode(column: "natural_key", as: String.self)] = (
                        try Self.record(row, cipher: cipher), try row.decode(column: "values_json", as: String.self)
                    )
                }
            }
            var pending: [String: Pending] = [:]
            var order: [String] = []
            for (i, r) in chunk.enumerated() {
                var issues = r.issues
                for (f, v) in zip(d.fields, r.values) where personal[d.index(f.key)!] && v.contains("*") {
                    issues.append(CellIssue(column: d.label(f.key, .zh), key: "ledger.masked", params: [v]))
                }
                guard issues.isEmpty else {
                    report.rejected += 1
                    list(r.rowNumber, .rejected, issues, r.values)
                    continue
                }
                guard let key = keys[i] else {
                    let missing = d.fields.indices.filter { d.fields[$0].inKey && d.fields[$0].required && r.values[$0].isEmpty }
                    report.rejected += 1
                    list(r.rowNumber, .rejected, missing.map { CellIssue(column: d.label(d.fields[$0].key, .zh), key: "ledger.required") }, r.values)
                    continue
                }
                var base: Pending?
                if let p = pending[key] {
                    base = p
                } else if let (rec, json) = stored[key] {
                    base = Pending(id: rec.id, before: rec, beforeJSON: json, values: rec.values, isNew: false)
                }
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
                let changes = base.map { $0.values != merged } ?? true
                if changes {
                    let periods = [(merged[countyIndex], merged[dateIndex]), (base?.before?.countyCode ?? "", base?.before?.date ?? "")]
                    if let round = periods.lazy.compactMap({ lockingRound(county: $0.0, date: $0.1) }).first {
                        rowIssues.append(CellIssue(column: d.label(d.dateField, .zh), key: "ledger.period_locked", params: [String(round)]))
                    }
                }
                if !rowIssues.isEmpty {
                    report.rejected += 1
                    list(r.rowNumber, .rejected, rowIssues, merged)
                    continue
                }
                var notes = r.notes
                let outcome: LedgerOutcome
                if let first = seen[key] {
                    // The same record again in this file: one record, reported with the row it repeats.
                    outcome = .repeated
                    notes.append(CellIssue(column: "", key: changes ? "ledger.duplicate_in_file" : "ledger.same_as_row", params: [String(first)]))
                } else {
                    seen[key] = r.rowNumber
                    outcome = base == nil ? .added : (changes ? .updated : .unchanged)
                }
                switch outcome {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .repeated: report.repeated += 1
                case .rejected: break
                }
                list(r.rowNumber, outcome, notes, merged)
                if changes {
                    if pending[key] == nil { order.append(key) }
                    pending[key] = Pending(
                        id: base?.id, before: base?.before, beforeJSON: base?.beforeJSON, values: merged, isNew: base?.isNew ?? (base == nil),
                        made: merged == r.values ? prepared[i].made : nil)
                }
            }
            guard commit, report.rejected == 0 else { return }
            try await write(db, d, order.map { ($0, pending[$0]!) }, actor: actor, cipher: cipher)
        }

        while let next = try await rows.next() {
            prepared = next.rows
            if !prepared.isEmpty { try await flush() }
            if next.fraction - lastProgress >= 0.01 {
                progress(next.fraction)
                lastProgress = next.fraction
            }
        }
        progress(1)
        report.ignoredColumns = rows.ignoredColumns
        report.committed = commit && report.rejected == 0
        return report
    }

    private func write(
        _ db: any SQLDatabase, _ d: LedgerDefinition, _ rows: [(String, Pending)], actor: Actor, cipher: PersonalDataCipher
    ) async throws {
        guard !rows.isEmpty else { return }
        let now = Self.now()
        var deltas: [ProgressReport] = []
        let inserts = rows.filter { $0.1.id == nil }
        // 1,000 rows a statement: 10,000 parameters, well inside both engines' limits.
        for start in stride(from: 0, to: inserts.count, by: 1000) {
            let part = Array(inserts[start..<min(start + 1000, inserts.count)])
            var q: SQLQueryString =
                "INSERT INTO ledger_rows (ledger, natural_key, county_code, occurred_on, year, values_json, search_text, state, created_at, updated_at, created_by, changed_by, submitted_by) VALUES "
            var audits: [String] = []
            q += try part.map { key, p -> SQLQueryString in
                let county = d.value(p.values, d.countyField)
                let date = d.value(p.values, d.dateField)
                let made: Made
                if let m = p.made {
                    made = m
                } else {
                    let (jsonText, stored) = try Self.storedJSON(d, p.values, cipher: cipher)
                    let audit = Self.audited(d, stored: stored, county: county, date: date, state: .submitted).json
                    made = Made(json: jsonText, search: Self.searchText(d, p.values), audit: audit)
                }
                audits.append(made.audit)
                deltas += Self.ledgerDeltas(d, p.values, county: county, date: date, state: .submitted, sign: 1)
                return
                    "(\(bind: d.name.rawValue), \(bind: key), \(bind: county), \(bind: date), \(bind: Day(date)?.year ?? 0), \(bind: made.json), \(bind: made.search), 'submitted', \(bind: now), \(bind: now), \(bind: actor.name), \(bind: actor.name), \(bind: actor.name))"
            }.joined(separator: ", ")
            q += " RETURNING id"
            let ids = try await db.raw(q).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
            var a: SQLQueryString = "INSERT INTO audit_log (at, actor, address, entity, entity_id, action, before_json, after_json) VALUES "
            a += zip(ids, audits).map { id, row -> SQLQueryString in
                "(\(bind: now), \(bind: actor.name), \(bind: actor.address), 'ledger_row', \(bind: String(id)), 'import', NULL, \(bind: row))"
            }.joined(separator: ", ")
            try await db.raw(a).run()
        }
        for (key, p) in rows {
            guard let id = p.id, let before = p.before else { continue }
            let county = d.value(p.values, d.countyField)
            let date = d.value(p.values, d.dateField)
            let (jsonText, stored) = try Self.storedJSON(d, p.values, cipher: cipher)
            try await db.raw(
                """
                UPDATE ledger_rows SET natural_key = \(bind: key), county_code = \(bind: county), occurred_on = \(bind: date), year = \(bind: Day(date)?.year ?? 0),
                  values_json = \(bind: jsonText), search_text = \(bind: Self.searchText(d, p.values)), state = 'submitted', review_comment = '',
                  version = version + 1, updated_at = \(bind: now), changed_by = \(bind: actor.name), submitted_by = \(bind: actor.name),
                  approved_by = NULL, confirmed_by = NULL WHERE id = \(bind: id)
                """
            ).run()
            deltas += Self.ledgerDeltas(d, before.values, county: before.countyCode, date: before.date, state: before.state, sign: -1)
            deltas += Self.ledgerDeltas(d, p.values, county: county, date: date, state: .submitted, sign: 1)
            let old = (try? JSONDecoder().decode([String: String].self, from: Data((p.beforeJSON ?? "{}").utf8))) ?? [:]
            try await Self.audit(
                db, actor, entity: "ledger_row", id: String(id), action: "update",
                before: Self.audited(d, stored: old, county: before.countyCode, date: before.date, state: before.state),
                after: Self.audited(d, stored: stored, county: county, date: date, state: .submitted))
        }
        try await Self.addToTotals(db, deltas)
    }
}
