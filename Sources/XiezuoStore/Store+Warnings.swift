import SQLKit
import XiezuoDomain

/// What the early warnings read: monthly pace profiles, the months with figures, and the projects not completed with
/// their last disbursement.
public struct ProjectForWarning: Sendable {
    public var id: Int64
    public var title: String
    public var countyCode: String
    public var status: ProjectStatus
    public var plannedStart: Day?
    public var plannedEnd: Day?
    public var lastDisbursed: Day?
}

extension Store {
    /// The offices' monthly profiles of the given agreements' targets, by agreement and indicator.
    public func paceProfiles(agreementIds: [Int64]) async throws -> [Int64: [String: PaceProfile]] {
        guard !agreementIds.isEmpty else { return [:] }
        return try await backend.read { db in
            var out: [Int64: [String: PaceProfile]] = [:]
            for r in try await db.raw(
                "SELECT agreement_id, indicator_code, cumulative FROM pace_profiles WHERE agreement_id IN (\(binds: agreementIds))"
            ).all() {
                let shares = try r.decode(column: "cumulative", as: String.self).split(separator: ",").compactMap { Int($0) }
                guard let p = PaceProfile(cumulative: shares) else { continue }
                out[try r.decode(column: "agreement_id", as: Int64.self), default: [:]][try r.decode(column: "indicator_code", as: String.self)] = p
            }
            return out
        }
    }

    /// Sets (or, with nil, removes) an agreement indicator's monthly profile, audited with the profile before.
    public func setPaceProfile(agreementId: Int64, indicatorCode: String, profile: PaceProfile?, actor: Actor) async throws {
        try await backend.write { db in
            guard try await db.raw("SELECT id FROM agreements WHERE id = \(bind: agreementId)").first() != nil else { throw StoreError.notFound }
            let key = "\(agreementId)-\(indicatorCode)"
            let before = try await db.raw(
                "SELECT cumulative FROM pace_profiles WHERE agreement_id = \(bind: agreementId) AND indicator_code = \(bind: indicatorCode)"
            ).first().map { try $0.decode(column: "cumulative", as: String.self) }
            let now = Self.now()
            if let profile {
                let text = profile.cumulative.map(String.init).joined(separator: ",")
                if before == nil {
                    try await db.raw(
                        """
                        INSERT INTO pace_profiles (agreement_id, indicator_code, cumulative, updated_by, updated_at)
                        VALUES (\(bind: agreementId), \(bind: indicatorCode), \(bind: text), \(bind: actor.name), \(bind: now))
                        """
                    ).run()
                } else {
                    try await db.raw(
                        """
                        UPDATE pace_profiles SET cumulative = \(bind: text), updated_by = \(bind: actor.name), updated_at = \(bind: now)
                        WHERE agreement_id = \(bind: agreementId) AND indicator_code = \(bind: indicatorCode)
                        """
                    ).run()
                }
                try await Self.audit(
                    db, actor, entity: "pace_profile", id: key, action: before == nil ? "create" : "update", before: before, after: text)
            } else if let before {
                try await db.raw("DELETE FROM pace_profiles WHERE agreement_id = \(bind: agreementId) AND indicator_code = \(bind: indicatorCode)")
                    .run()
                try await Self.audit(db, actor, entity: "pace_profile", id: key, action: "delete", before: before, after: String?.none)
            }
        }
    }

    /// The last month of `year` with an approved figure, per reported region and indicator (the projection's base).
    public func lastMonths(year: Int) async throws -> [(region: String, indicator: String, month: Int)] {
        try await backend.read { db in
            try await db.raw(
                """
                SELECT region_code, indicator_code, MAX(month) AS m FROM progress
                WHERE year = \(bind: year) AND state = \(bind: ProgressState.approved.rawValue) GROUP BY region_code, indicator_code
                """
            ).all().map {
                (
                    try $0.decode(column: "region_code", as: String.self), try $0.decode(column: "indicator_code", as: String.self),
                    try $0.decode(column: "m", as: Int.self)
                )
            }
        }
    }

    /// Projects planned or under way inside the scope that the project rule flags on `today` (picked out in SQL
    /// by `WarningRules.projectCutoffs`), red ones first: how many of each level, and the first `limit` with the date
    /// of their last disbursement. Reading every flagged project would cost more than the rest of a page.
    public func projectsForWarnings(scope: RegionScope, today: Day, limit: Int) async throws -> (red: Int, amber: Int, first: [ProjectForWarning]) {
        let (amberBy, redBy) = WarningRules.projectCutoffs(today: today)
        let t = today.description
        let inner: SQLQueryString =
            """
            SELECT p.id, p.title, p.county_code, p.status, p.planned_start, p.planned_end,
              (SELECT MAX(t.date) FROM transactions t WHERE t.project_id = p.id AND t.kind = 'disbursement') AS last_disbursed
            FROM projects p WHERE p.status IN ('planned', 'ongoing')
            """ + scopeSQL("p.county_code", scope)
        let red: SQLQueryString =
            "(x.planned_end < \(bind: t) OR (x.status = 'ongoing' AND COALESCE(x.last_disbursed, x.planned_start) <= \(bind: redBy.description)))"
        let flagged: SQLQueryString =
            "(x.planned_end < \(bind: t) OR (x.status = 'ongoing' AND COALESCE(x.last_disbursed, x.planned_start) <= \(bind: amberBy.description)))"
        return try await backend.read { db in
            let counts = try await db.raw(
                "SELECT COUNT(*) AS n, SUM(CASE WHEN " + red + " THEN 1 ELSE 0 END) AS r FROM (" + inner + ") x WHERE " + flagged
            ).first()
            let n = try counts?.decode(column: "n", as: Int.self) ?? 0
            let r = try counts?.decode(column: "r", as: Int?.self) ?? 0
            let first = try await db.raw(
                "SELECT x.* FROM (" + inner + ") x WHERE " + flagged + " ORDER BY CASE WHEN " + red
                    + " THEN 0 ELSE 1 END, x.county_code, x.id LIMIT \(bind: limit)"
            ).all().map { r in
                ProjectForWarning(
                    id: try r.decode(column: "id", as: Int64.self), title: try r.decode(column: "title", as: String.self),
                    countyCode: try r.decode(column: "county_code", as: String.self),
                    status: ProjectStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .ongoing,
                    plannedStart: (try r.decode(column: "planned_start", as: String?.self)).flatMap(Day.init),
                    plannedEnd: (try r.decode(column: "planned_end", as: String?.self)).flatMap(Day.init),
                    lastDisbursed: (try r.decode(column: "last_disbursed", as: String?.self)).flatMap(Day.init))
            }
            return (r, n - r, first)
        }
    }
}
