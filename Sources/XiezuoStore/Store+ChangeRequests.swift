import Foundation
import SQLKit
import XiezuoDomain

/// Change requests (申请修改) for figures of a locked period: asked with a reason, decided by the level above, and
/// when approved applied in the deciding transaction, the figure's audit record naming the request.
extension Store {
    static func changeRequest(from r: any SQLRow) throws -> ChangeRequest {
        ChangeRequest(
            id: try r.decode(column: "id", as: Int64.self), roundId: try r.decode(column: "round_id", as: Int64.self),
            progressId: try r.decode(column: "progress_id", as: Int64?.self), ledgerRowId: try r.decode(column: "ledger_row_id", as: Int64?.self),
            regionCode: try r.decode(column: "region_code", as: String.self),
            indicatorCode: try r.decode(column: "indicator_code", as: String.self), oldValue: try r.decode(column: "old_value", as: Int64.self),
            newValue: try r.decode(column: "new_value", as: Int64.self), summary: try r.decode(column: "summary", as: String.self),
            reason: try r.decode(column: "reason", as: String.self),
            state: ChangeRequest.State(rawValue: try r.decode(column: "state", as: String.self)) ?? .rejected,
            requestedBy: try r.decode(column: "requested_by", as: String?.self), requestedAt: try r.decode(column: "requested_at", as: String.self),
            decidedBy: try r.decode(column: "decided_by", as: String?.self), decidedAt: try r.decode(column: "decided_at", as: String?.self),
            decisionComment: try r.decode(column: "decision_comment", as: String.self))
    }

    /// Asks to change a locked figure to `newValue`. Refused when the figure is not locked (it is changed directly)
    /// or a request for it is already waiting.
    public func requestChange(progressId: Int64, newValue: Int64, reason: String, actor: Actor) async throws -> ChangeRequest {
        try await backend.write { db in
            guard let p = try await db.raw("SELECT * FROM progress WHERE id = \(bind: progressId)").first().map(Self.progress) else {
                throw StoreError.notFound
            }
            guard p.state != .returned,
                let round = try await Self.lockingRound(
                    db, indicator: p.indicatorCode, region: p.regionCode, year: p.year, month: p.month, today: actor.day)
            else { throw RoundError.notLocked }
            let waiting = try await db.raw("SELECT id FROM change_requests WHERE progress_id = \(bind: progressId) AND state = 'pending'").first()
            if waiting != nil { throw RoundError.requestPending }
            let now = Self.now()
            let id: Int64
            do {
                id = try await db.raw(
                    """
                    INSERT INTO change_requests (round_id, progress_id, region_code, indicator_code, old_value, new_value, reason, state,
                                                 requested_by, requested_at)
                    VALUES (\(bind: round), \(bind: progressId), \(bind: p.regionCode), \(bind: p.indicatorCode), \(bind: p.value), \(bind: newValue),
                            \(bind: reason), 'pending', \(bind: actor.name), \(bind: now)) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
            } catch  where Self.isUniqueViolation(error) {
                throw RoundError.requestPending
            }
            let saved = ChangeRequest(
                id: id, roundId: round, progressId: progressId, regionCode: p.regionCode, indicatorCode: p.indicatorCode, oldValue: p.value,
                newValue: newValue, reason: reason, state: .pending, requestedBy: actor.name, requestedAt: now)
            try await Self.audit(db, actor, entity: "change_request", id: String(id), action: "create", before: ChangeRequest?.none, after: saved)
            return saved
        }
    }

    /// Asks to change a ledger row of a locked period to `values` (checked like the row form), with a reason;
    /// `summary` names what changes. The values are kept sealed until the level above decides.
    public func requestRowChange(rowId: Int64, values: [String], summary: String, reason: String, actor: Actor) async throws -> ChangeRequest {
        let cipher = try self.cipher
        return try await backend.write { db in
            guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: rowId)").first() else { throw StoreError.notFound }
            let r = try Self.record(row, cipher: cipher)
            guard r.state != .returned, let day = Day(r.date),
                let round = try await Self.lockingRound(
                    db, column: "ledgers", item: r.ledger.rawValue, region: r.countyCode, year: day.year, month: day.month, today: actor.day)
            else { throw RoundError.notLocked }
            let waiting = try await db.raw("SELECT id FROM change_requests WHERE ledger_row_id = \(bind: rowId) AND state = 'pending'").first()
            if waiting != nil { throw RoundError.requestPending }
            let sealed = try cipher.encrypt(String(decoding: try JSONEncoder().encode(values), as: UTF8.self))
            let now = Self.now()
            let id: Int64
            do {
                id = try await db.raw(
                    """
                    INSERT INTO change_requests (round_id, ledger_row_id, values_sealed, summary, region_code, indicator_code, old_value, new_value,
                                                 reason, state, requested_by, requested_at)
                    VALUES (\(bind: round), \(bind: rowId), \(bind: sealed), \(bind: summary), \(bind: r.countyCode), \(bind: r.ledger.rawValue), 0, 0,
                            \(bind: reason), 'pending', \(bind: actor.name), \(bind: now)) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
            } catch  where Self.isUniqueViolation(error) {
                throw RoundError.requestPending
            }
            let saved = ChangeRequest(
                id: id, roundId: round, progressId: nil, ledgerRowId: rowId, regionCode: r.countyCode, indicatorCode: r.ledger.rawValue,
                oldValue: 0, newValue: 0, summary: summary, reason: reason, state: .pending, requestedBy: actor.name, requestedAt: now)
            try await Self.audit(db, actor, entity: "change_request", id: String(id), action: "create", before: ChangeRequest?.none, after: saved)
            return saved
        }
    }

    public func changeRequest(id: Int64) async throws -> ChangeRequest? {
        try await backend.read { db in try await db.raw("SELECT * FROM change_requests WHERE id = \(bind: id)").first().map(Self.changeRequest) }
    }

    /// Requests of figures inside `prefixes` (nil: all), optionally of one state or one figure, newest first.
    public func changeRequests(
        within prefixes: [String]?, state: ChangeRequest.State? = nil, progressId: Int64? = nil, ledgerRowId: Int64? = nil,
        roundId: Int64? = nil, limit: Int = 200
    ) async throws -> [ChangeRequest] {
        try await backend.read { db in
            var w: SQLQueryString = " WHERE 1 = 1"
            if let prefixes {
                guard !prefixes.isEmpty else { return [] }
                w += " AND ("
                w += prefixes.map { p -> SQLQueryString in "region_code LIKE \(bind: p + "%")" }.joined(separator: " OR ")
                w += ")"
            }
            if let state { w += " AND state = \(bind: state.rawValue)" }
            if let progressId { w += " AND progress_id = \(bind: progressId)" }
            if let ledgerRowId { w += " AND ledger_row_id = \(bind: ledgerRowId)" }
            if let roundId { w += " AND round_id = \(bind: roundId)" }
            return try await db.raw("SELECT * FROM change_requests\(w) ORDER BY id DESC LIMIT \(bind: limit)").all().map(Self.changeRequest)
        }
    }

    /// Approves (the figure takes the new value, approved by the decider) or rejects a waiting request. The
    /// requester never decides their own request (checked here, in the deciding transaction).
    public func decideChange(id: Int64, approve: Bool, comment: String, actor: Actor) async throws -> ChangeRequest {
        let cipher = try self.cipher
        return try await backend.write { db in
            guard let before = try await db.raw("SELECT * FROM change_requests WHERE id = \(bind: id)").first().map(Self.changeRequest) else {
                throw StoreError.notFound
            }
            guard before.state == .pending else { throw RoundError.decided }
            if actor.name == nil || actor.name == before.requestedBy { throw ReviewError.ownWork }
            if !approve && comment.trimmingWhitespace().isEmpty { throw ReviewError.commentRequired }
            let now = Self.now()
            if approve, let rowId = before.ledgerRowId {
                guard let row = try await db.raw("SELECT * FROM ledger_rows WHERE id = \(bind: rowId)").first(),
                    let sealed = try await db.raw("SELECT values_sealed FROM change_requests WHERE id = \(bind: id)").first()?
                        .decode(column: "values_sealed", as: String?.self)
                else { throw StoreError.notFound }
                if try Self.authorship(row).isAuthor(actor.name) { throw ReviewError.ownWork }
                let values = try JSONDecoder().decode([String].self, from: Data(try cipher.decrypt(sealed).utf8))
                _ = try await Self.rewriteRow(
                    db, row, values: values, state: .approved, keepComment: false, submittedBy: before.requestedBy, approvedBy: actor.name,
                    changedBy: before.requestedBy, action: "change", actor: actor, cipher: cipher)
            } else if approve, let progressId = before.progressId {
                guard let row = try await db.raw("SELECT * FROM progress WHERE id = \(bind: progressId)").first() else {
                    throw StoreError.notFound
                }
                let figure = try Self.progress(from: row)
                // The figure's own authors may not approve its change either.
                if try Self.authorship(row).isAuthor(actor.name) { throw ReviewError.ownWork }
                try await db.raw(
                    """
                    UPDATE progress SET value = \(bind: before.newValue), state = 'approved', review_comment = '', version = version + 1,
                      updated_at = \(bind: now), changed_by = \(bind: before.requestedBy), approved_by = \(bind: actor.name)
                    WHERE id = \(bind: progressId)
                    """
                ).run()
                var removed = figure
                removed.value = -figure.value
                var after = figure
                after.value = before.newValue
                after.state = .approved
                try await Self.addToTotals(db, [removed, after])
                try await Self.audit(
                    db, actor, entity: "progress", id: String(figure.id), action: "change", before: ChangedFigure(figure: figure),
                    after: ChangedFigure(figure: after, changeRequest: id, reason: before.reason))
            }
            try await db.raw(
                """
                UPDATE change_requests SET state = \(bind: approve ? "approved" : "rejected"), decided_by = \(bind: actor.name),
                  decided_at = \(bind: now), decision_comment = \(bind: comment) WHERE id = \(bind: id)
                """
            ).run()
            var after = before
            after.state = approve ? .approved : .rejected
            after.decidedBy = actor.name
            after.decidedAt = now
            after.decisionComment = comment
            try await Self.audit(
                db, actor, entity: "change_request", id: String(id), action: approve ? "approve" : "reject", before: before, after: after)
            return after
        }
    }
}

/// A figure as an approved change request left it: its fields, with the request and its reason beside them.
struct ChangedFigure: Encodable {
    var figure: ProgressReport
    var changeRequest: Int64? = nil
    var reason: String? = nil
    enum Keys: String, CodingKey { case changeRequest, reason }
    func encode(to encoder: any Encoder) throws {
        try figure.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(changeRequest, forKey: .changeRequest)
        try c.encodeIfPresent(reason, forKey: .reason)
    }
}
