import Foundation
import SQLKit
import XiezuoDomain

/// Ledger rows one at a time: saved from a form, reviewed, confirmed by the partner, looked at in full.
extension Store {
    public enum LedgerSaveError: Error, Equatable { case duplicateKey(Int64) }

    /// Creates a row (`id` nil) or replaces one at `expectedVersion`. `submit`: the row goes to review at once;
    /// otherwise it is kept as a draft only its office sees in its to-do (a returned row keeps the reviewer's comment
    /// until it is submitted again).
    public func saveLedgerRow(
        _ ledger: LedgerName, id: Int64?, values: [String], expectedVersion: Int64?, submit: Bool = true, actor: Actor
    ) async throws -> LedgerRecord {
        let state: ProgressState = submit ? .submitted : .draft
        let d = ledger.definition
        let cipher = try self.cipher
        let county = d.value(values, d.countyField)
        let date = d.value(values, d.dateField)
        let key = Self.naturalKey(d, values, cipher: cipher)
        let (jsonText, stored) = try Self.storedJSON(d, values, cipher: cipher)
        let year = Day(date)?.year ?? 0
        return try await backend.write { db in
            try await Self.checkDataKey(db, cipher)
            let clash = try await db.raw("SELECT id FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND natural_key = \(bind: key)")
                .first()?.decode(column: "id", as: Int64.self)
            if let clash, clash != id { throw LedgerSaveError.duplicateKey(clash) }
            let now = Self.now()
            if let id {
                guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id) AND ledger = \(bind: ledger.rawValue)").first()
                else { throw StoreError.notFound }
                let before = try Self.record(row, cipher: cipher)
                guard before.version == expectedVersion else { throw StoreError.conflict }
                // A returned row stays correctable in its period: the level above asked for the change.
                let samePeriod = before.countyCode == county && before.date.prefix(7) == date.prefix(7)
                if before.state != .returned {
                    try await Self.refuseLockedRow(db, ledger, county: before.countyCode, date: before.date, actor: actor)
                }
                if !(before.state == .returned && samePeriod) {
                    try await Self.refuseLockedRow(db, ledger, county: county, date: date, actor: actor)
                }
                return try await Self.rewriteRow(
                    db, row, values: values, state: state, keepComment: !submit,
                    submittedBy: submit ? actor.name : try Self.authorship(row).submittedBy, approvedBy: nil, changedBy: actor.name,
                    action: "update", actor: actor, cipher: cipher)
            }
            try await Self.refuseLockedRow(db, ledger, county: county, date: date, actor: actor)
            let newId = try await db.raw(
                """
                INSERT INTO ledger_rows (ledger, natural_key, county_code, occurred_on, year, values_json, search_text, state, created_at, updated_at,
                                         created_by, changed_by, submitted_by)
                VALUES (\(bind: ledger.rawValue), \(bind: key), \(bind: county), \(bind: date), \(bind: year), \(bind: jsonText),
                        \(bind: Self.searchText(d, values)), \(bind: state.rawValue), \(bind: now), \(bind: now), \(bind: actor.name), \(bind: actor.name),
                        \(bind: submit ? actor.name : nil)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            try await Self.addToTotals(db, Self.ledgerDeltas(d, values, county: county, date: date, state: state, sign: 1))
            try await Self.audit(
                db, actor, entity: "ledger_row", id: String(newId), action: "create", before: AuditedLedgerRow?.none,
                after: Self.audited(d, stored: stored, county: county, date: date, state: state))
            return LedgerRecord(
                id: newId, ledger: ledger, values: values, countyCode: county, date: date, state: state,
                reviewComment: "", version: 1, updatedAt: now)
        }
    }

    /// Replaces a stored row's values and state, inside the caller's transaction: the totals move with it and the
    /// audit record keeps both versions (personal data sealed). `changedBy`: whose values they are (a change request's
    /// requester when the level above applies it).
    static func rewriteRow(
        _ db: any SQLDatabase, _ row: any SQLRow, values: [String], state: ProgressState, keepComment: Bool, submittedBy: String?,
        approvedBy: String?, changedBy: String?, action: String, actor: Actor, cipher: PersonalDataCipher
    ) async throws -> LedgerRecord {
        let before = try Self.record(row, cipher: cipher)
        let ledger = before.ledger
        let d = ledger.definition
        let id = before.id
        let county = d.value(values, d.countyField)
        let date = d.value(values, d.dateField)
        let key = Self.naturalKey(d, values, cipher: cipher)
        let (jsonText, stored) = try Self.storedJSON(d, values, cipher: cipher)
        let clash = try await db.raw("SELECT id FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND natural_key = \(bind: key)")
            .first()?.decode(column: "id", as: Int64.self)
        if let clash, clash != id { throw LedgerSaveError.duplicateKey(clash) }
        let beforeJSON = try row.decode(column: "values_json", as: String.self)
        try await db.raw(
            """
            UPDATE ledger_rows SET natural_key = \(bind: key), county_code = \(bind: county), occurred_on = \(bind: date), year = \(bind: Day(date)?.year ?? 0),
              values_json = \(bind: jsonText), search_text = \(bind: Self.searchText(d, values)), state = \(bind: state.rawValue),
              review_comment = \(bind: keepComment ? before.reviewComment : ""), version = version + 1, updated_at = \(bind: Self.now()),
              changed_by = \(bind: changedBy), submitted_by = \(bind: submittedBy), approved_by = \(bind: approvedBy), confirmed_by = NULL
            WHERE id = \(bind: id)
            """
        ).run()
        try await Self.addToTotals(
            db,
            Self.ledgerDeltas(d, before.values, county: before.countyCode, date: before.date, state: before.state, sign: -1)
                + Self.ledgerDeltas(d, values, county: county, date: date, state: state, sign: 1))
        let oldStored = (try? JSONDecoder().decode([String: String].self, from: Data(beforeJSON.utf8))) ?? [:]
        try await Self.audit(
            db, actor, entity: "ledger_row", id: String(id), action: action,
            before: Self.audited(d, stored: oldStored, county: before.countyCode, date: before.date, state: before.state),
            after: Self.audited(d, stored: stored, county: county, date: date, state: state))
        var after = before
        after.values = values
        after.countyCode = county
        after.date = date
        after.state = state
        if !keepComment { after.reviewComment = "" }
        after.version += 1
        return after
    }

    /// Sends a draft or a returned row to review as it stands, with the submitter recorded.
    public func submitLedgerRow(id: Int64, expectedVersion: Int64?, actor: Actor) async throws -> LedgerRecord {
        let cipher = try self.cipher
        return try await backend.write { db in
            guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: id)").first() else { throw StoreError.notFound }
            let before = try Self.record(row, cipher: cipher)
            if let expectedVersion, expectedVersion != before.version { throw StoreError.conflict }
            guard let next = before.state.after(.submit) else { throw ReviewError.notAllowedFrom(before.state) }
            try await db.raw("UPDATE ledger_rows SET submitted_by = \(bind: actor.name), changed_by = \(bind: actor.name) WHERE id = \(bind: id)")
                .run()
            try await Self.moveLedgerRows(
                db, [(before, try row.decode(column: "values_json", as: String.self))], to: next, comment: "", action: "submit", actor: actor)
            var after = before
            after.state = next
            after.reviewComment = ""
            after.version += 1
            return after
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
            try await Self.moveLedgerRows(
                db, [(before, try row.decode(column: "values_json", as: String.self))], to: next,
                comment: action == .return ? comment : "", action: action.rawValue, actor: actor)
            var after = before
            after.state = next
            after.version += 1
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
        let w =
            filterSQL(ledger, f) + """
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

    static func moveLedgerRows(
        _ db: any SQLDatabase, _ rows: [(LedgerRecord, String)], to next: ProgressState, comment: String,
        action: String, actor: Actor
    ) async throws {
        guard !rows.isEmpty else { return }
        let now = now()
        try await db.raw(
            """
            UPDATE ledger_rows SET state = \(bind: next.rawValue), review_comment = \(bind: comment), version = version + 1,
              updated_at = \(bind: now), approved_by = \(bind: next == .approved ? actor.name : nil) WHERE id IN (\(binds: rows.map(\.0.id)))
            """
        ).run()
        var deltas: [ProgressReport] = []
        var a: SQLQueryString = "INSERT INTO audit_log (at, actor, address, entity, entity_id, action, before_json, after_json) VALUES "
        a += rows.map { r, stored -> SQLQueryString in
            let d = r.ledger.definition
            deltas += ledgerDeltas(d, r.values, county: r.countyCode, date: r.date, state: r.state, sign: -1)
            deltas += ledgerDeltas(d, r.values, county: r.countyCode, date: r.date, state: next, sign: 1)
            let values = (try? JSONDecoder().decode([String: String].self, from: Data(stored.utf8))) ?? [:]
            let before = AuditedLedgerRow(ledger: d.name.rawValue, county: r.countyCode, date: r.date, state: r.state.rawValue, values: values)
            var after = before
            after.state = next.rawValue
            return
                "(\(bind: now), \(bind: actor.name), \(bind: actor.address), 'ledger_row', \(bind: String(r.id)), \(bind: action), \(bind: before.json), \(bind: after.json))"
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
            try await Self.audit(
                db, actor, entity: "ledger_row", id: String(id), action: "confirm",
                before: ["confirmedBy": ""], after: ["confirmedBy": actor.name ?? ""])
        }
    }

    /// A look at a row's personal data in full, kept in the audit log (who, when, which row and fields).
    public func recordReveal(id: Int64, fields: [String], actor: Actor) async throws {
        try await backend.write { db in
            try await Self.audit(
                db, actor, entity: "ledger_row", id: String(id), action: "reveal", before: ["fields": fields], after: ["fields": fields])
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
