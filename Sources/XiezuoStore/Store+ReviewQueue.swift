import Foundation
import SQLKit
import XiezuoDomain

/// A figure awaiting review, with who submitted it and when.
public struct QueuedFigure: Sendable {
    public var report: ProgressReport
    public var submittedBy: String?
    public var updatedAt: String
}

/// A ledger row awaiting review, with who submitted it and when.
public struct QueuedLedgerRow: Sendable {
    public var record: LedgerRecord
    public var submittedBy: String?
}

/// One reviewer's queue: figures and ledger rows submitted inside its scope, of regions other than its own, that
/// it did not make (created, last changed or submitted) itself — the oldest first, as they arrived.
public struct ReviewQueue: Sendable {
    public var figures: [QueuedFigure]
    public var rows: [QueuedLedgerRow]
    public var figureTotal: Int
    public var rowTotal: Int
}

extension Store {
    static func notAuthored(by me: String) -> SQLQueryString {
        " AND COALESCE(created_by, '') <> \(bind: me) AND COALESCE(changed_by, '') <> \(bind: me) AND COALESCE(submitted_by, '') <> \(bind: me)"
    }

    public func reviewQueue(scope: RegionScope, reviewer: String, otherThanRegion: String?, ledgers: Bool, limit: Int) async throws -> ReviewQueue {
        let cipher = try self.cipher
        return try await backend.read { db in
            var w: SQLQueryString = " WHERE state = 'submitted'" + scopeSQL("region_code", scope) + Self.notAuthored(by: reviewer)
            if let own = otherThanRegion { w += " AND region_code <> \(bind: own)" }
            let figureTotal = try await db.raw("SELECT COUNT(*) AS n FROM progress" + w).first()!.decode(column: "n", as: Int.self)
            let figures = try await db.raw("SELECT * FROM progress" + w + " ORDER BY updated_at, id LIMIT \(bind: limit)").all().map { r in
                QueuedFigure(
                    report: try Self.progress(from: r), submittedBy: try r.decode(column: "submitted_by", as: String?.self),
                    updatedAt: try r.decode(column: "updated_at", as: String.self))
            }
            guard ledgers else { return ReviewQueue(figures: figures, rows: [], figureTotal: figureTotal, rowTotal: 0) }
            var lw: SQLQueryString = " WHERE state = 'submitted'" + scopeSQL("county_code", scope) + Self.notAuthored(by: reviewer)
            if let own = otherThanRegion { lw += " AND county_code <> \(bind: own)" }
            let rowTotal = try await db.raw("SELECT COUNT(*) AS n FROM ledger_rows" + lw).first()!.decode(column: "n", as: Int.self)
            let rows = try await db.raw("SELECT * FROM ledger_rows" + lw + " ORDER BY updated_at, id LIMIT \(bind: limit)").all().map { r in
                QueuedLedgerRow(record: try Self.record(r, cipher: cipher), submittedBy: try r.decode(column: "submitted_by", as: String?.self))
            }
            return ReviewQueue(figures: figures, rows: rows, figureTotal: figureTotal, rowTotal: rowTotal)
        }
    }

    /// The figure of the month before, for the same indicator and region (what a reviewer compares with).
    public func previousFigure(of p: ProgressReport) async throws -> ProgressReport? {
        let (year, month) = p.month == 1 ? (p.year - 1, 12) : (p.year, p.month - 1)
        return try await backend.read { db in
            try await db.raw(
                """
                SELECT * FROM progress WHERE indicator_code = \(bind: p.indicatorCode) AND region_code = \(bind: p.regionCode)
                  AND year = \(bind: year) AND month = \(bind: month)
                """
            ).first().map(Self.progress)
        }
    }

    /// How many rows `approveLedgerRows` would approve for this reviewer now (for its confirmation).
    public func approvableLedgerRows(_ ledger: LedgerName, _ f: LedgerFilter, reviewer: String) async throws -> Int {
        var f = f
        f.state = .submitted
        let w = filterSQL(ledger, f) + Self.notAuthored(by: reviewer)
        return try await backend.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM ledger_rows" + w).first()!.decode(column: "n", as: Int.self)
        }
    }
}
