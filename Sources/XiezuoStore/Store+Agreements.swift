import SQLKit
import XiezuoDomain

public struct AgreementDetail: Sendable {
    public var agreement: Agreement
    public var pairing: Pairing
    public var tasks: [AgreementTask]
    public var targets: [Target]
}

extension Store {
    static func agreement(from r: any SQLRow) throws -> Agreement {
        Agreement(
            id: try r.decode(column: "id", as: Int64.self), pairingId: try r.decode(column: "pairing_id", as: Int64.self),
            year: try r.decode(column: "year", as: Int.self), title: try r.decode(column: "title", as: String.self),
            status: AgreementStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .draft,
            isDemo: try r.decode(column: "is_demo", as: Int.self) != 0,
            updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    /// `pairingIds`: the pairings the caller may read (nil: all).
    /// The latest year up to `year` that has an agreement (nil when none has).
    public func latestAgreementYear(atMost year: Int) async throws -> Int? {
        try await backend.read { db in
            try await db.raw("SELECT MAX(year) AS y FROM agreements WHERE year <= \(bind: year)").first()?.decode(column: "y", as: Int?.self)
        }
    }

    public func agreements(year: Int? = nil, pairingId: Int64? = nil, pairingIds: [Int64]? = nil) async throws -> [Agreement] {
        try await backend.read { db in
            var q: SQLQueryString = "SELECT * FROM agreements WHERE 1 = 1"
            if let year { q += " AND year = \(bind: year)" }
            if let pairingId { q += " AND pairing_id = \(bind: pairingId)" }
            if let pairingIds { q += pairingIds.isEmpty ? " AND 1 = 0" : " AND pairing_id IN (\(binds: pairingIds))" }
            q += " ORDER BY year DESC, pairing_id, id"
            return try await db.raw(q).all().map(Self.agreement)
        }
    }

    public func agreementDetail(id: Int64) async throws -> AgreementDetail? {
        try await backend.read { db in
            guard let a = try await db.raw("SELECT * FROM agreements WHERE id = \(bind: id)").first().map(Self.agreement),
                let p = try await db.raw("SELECT * FROM pairings WHERE id = \(bind: a.pairingId)").first().map(Self.pairing)
            else { return nil }
            let tasks = try await db.raw("SELECT * FROM agreement_tasks WHERE agreement_id = \(bind: id) ORDER BY position, id").all().map { r in
                AgreementTask(
                    id: try r.decode(column: "id", as: Int64.self), agreementId: id,
                    workArea: WorkArea(rawValue: try r.decode(column: "work_area", as: String.self)) ?? .industry,
                    text: try r.decode(column: "text", as: String.self),
                    updatedAt: try r.decode(column: "updated_at", as: String.self))
            }
            let targets = try await db.raw(
                """
                SELECT t.* FROM targets t JOIN agreement_tasks k ON k.id = t.task_id
                WHERE k.agreement_id = \(bind: id) ORDER BY k.position, t.id
                """
            ).all().map { r in
                Target(
                    id: try r.decode(column: "id", as: Int64.self), taskId: try r.decode(column: "task_id", as: Int64.self),
                    indicatorCode: try r.decode(column: "indicator_code", as: String.self),
                    value: try r.decode(column: "value", as: Int64.self),
                    updatedAt: try r.decode(column: "updated_at", as: String.self), version: try r.decode(column: "version", as: Int64.self))
            }
            return AgreementDetail(agreement: a, pairing: p, tasks: tasks, targets: targets)
        }
    }

    public func createAgreement(
        pairingId: Int64, year: Int, title: String, status: AgreementStatus, isDemo: Bool = false,
        actor: Actor
    ) async throws -> Agreement {
        try await backend.write { db in
            try await Self.insertAgreement(db, pairingId: pairingId, year: year, title: title, status: status, isDemo: isDemo, actor: actor)
        }
    }

    static func insertAgreement(
        _ db: any SQLDatabase, pairingId: Int64, year: Int, title: String, status: AgreementStatus,
        isDemo: Bool, actor: Actor
    ) async throws -> Agreement {
        let exists = try await db.raw("SELECT id FROM agreements WHERE pairing_id = \(bind: pairingId) AND year = \(bind: year)").first()
        if exists != nil { throw StoreError.conflict }
        let now = Self.now()
        let id = try await db.raw(
            """
            INSERT INTO agreements (pairing_id, year, title, status, is_demo, updated_at)
            VALUES (\(bind: pairingId), \(bind: year), \(bind: title), \(bind: status.rawValue), \(bind: isDemo ? 1 : 0), \(bind: now))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let a = Agreement(id: id, pairingId: pairingId, year: year, title: title, status: status, isDemo: isDemo, updatedAt: now)
        try await audit(db, actor, entity: "agreement", id: String(id), action: "create", before: Agreement?.none, after: a)
        return a
    }

    public func addTask(agreementId: Int64, workArea: WorkArea, text: String, actor: Actor) async throws -> AgreementTask {
        try await backend.write { db in try await Self.insertTask(db, agreementId: agreementId, workArea: workArea, text: text, actor: actor) }
    }

    static func insertTask(_ db: any SQLDatabase, agreementId: Int64, workArea: WorkArea, text: String, actor: Actor) async throws -> AgreementTask {
        guard try await db.raw("SELECT id FROM agreements WHERE id = \(bind: agreementId)").first() != nil else { throw StoreError.notFound }
        let pos = try await db.raw("SELECT COUNT(*) AS n FROM agreement_tasks WHERE agreement_id = \(bind: agreementId)").first()!.decode(
            column: "n", as: Int.self)
        let now = Self.now()
        let id = try await db.raw(
            """
            INSERT INTO agreement_tasks (agreement_id, work_area, text, position, updated_at)
            VALUES (\(bind: agreementId), \(bind: workArea.rawValue), \(bind: text), \(bind: pos), \(bind: now)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let t = AgreementTask(id: id, agreementId: agreementId, workArea: workArea, text: text, updatedAt: now)
        try await audit(db, actor, entity: "agreement_task", id: String(id), action: "create", before: AgreementTask?.none, after: t)
        try await db.raw("UPDATE agreements SET updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: agreementId)").run()
        return t
    }

    /// Sets (or changes) the target of one indicator in one task. The change is dated in the audit trail.
    /// Sets a target. Changing an existing one needs the version it was read at (`expectedVersion`); a different
    /// or missing one is a conflict and changes nothing. `nil` with `checked: false` is for loading data.
    public func setTarget(
        taskId: Int64, indicatorCode: String, value: Int64, expectedVersion: Int64? = nil, checked: Bool = false,
        actor: Actor
    ) async throws -> Target {
        try await backend.write { db in
            try await Self.upsertTarget(
                db, taskId: taskId, indicatorCode: indicatorCode, value: value, expectedVersion: expectedVersion,
                checked: checked, actor: actor)
        }
    }

    static func upsertTarget(
        _ db: any SQLDatabase, taskId: Int64, indicatorCode: String, value: Int64, expectedVersion: Int64? = nil,
        checked: Bool = false, actor: Actor
    ) async throws -> Target {
        guard let task = try await db.raw("SELECT agreement_id FROM agreement_tasks WHERE id = \(bind: taskId)").first() else {
            throw StoreError.notFound
        }
        let agreementId = try task.decode(column: "agreement_id", as: Int64.self)
        let now = Self.now()
        let existing = try await db.raw("SELECT * FROM targets WHERE task_id = \(bind: taskId) AND indicator_code = \(bind: indicatorCode)").first()
        let before = try existing.map { r in
            Target(
                id: try r.decode(column: "id", as: Int64.self), taskId: taskId, indicatorCode: indicatorCode,
                value: try r.decode(column: "value", as: Int64.self), updatedAt: try r.decode(column: "updated_at", as: String.self),
                version: try r.decode(column: "version", as: Int64.self))
        }
        let id: Int64
        if let before {
            if checked && expectedVersion != before.version { throw StoreError.conflict }
            id = before.id
            try await db.raw("UPDATE targets SET value = \(bind: value), updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: id)")
                .run()
        } else {
            id = try await db.raw(
                """
                INSERT INTO targets (task_id, indicator_code, value, updated_at)
                VALUES (\(bind: taskId), \(bind: indicatorCode), \(bind: value), \(bind: now)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        let after = Target(id: id, taskId: taskId, indicatorCode: indicatorCode, value: value, updatedAt: now, version: (before?.version ?? 0) + 1)
        try await audit(db, actor, entity: "target", id: String(id), action: before == nil ? "create" : "update", before: before, after: after)
        try await db.raw("UPDATE agreements SET updated_at = \(bind: now), version = version + 1 WHERE id = \(bind: agreementId)").run()
        return after
    }
}

extension Store {
    /// Every target of every agreement of a year with its task's work area, in one read (the dashboard's needs).
    public func targetsByAgreement(year: Int) async throws -> [Int64: [(workArea: WorkArea, target: Target)]] {
        try await backend.read { db in
            var out: [Int64: [(workArea: WorkArea, target: Target)]] = [:]
            for r in try await db.raw(
                """
                SELECT t.id, t.task_id, t.indicator_code, t.value, t.updated_at, k.work_area, k.agreement_id
                FROM targets t JOIN agreement_tasks k ON k.id = t.task_id JOIN agreements a ON a.id = k.agreement_id
                WHERE a.year = \(bind: year) ORDER BY k.agreement_id, k.position, t.id
                """
            ).all() {
                let target = Target(
                    id: try r.decode(column: "id", as: Int64.self), taskId: try r.decode(column: "task_id", as: Int64.self),
                    indicatorCode: try r.decode(column: "indicator_code", as: String.self),
                    value: try r.decode(column: "value", as: Int64.self),
                    updatedAt: try r.decode(column: "updated_at", as: String.self))
                let area = WorkArea(rawValue: try r.decode(column: "work_area", as: String.self)) ?? .industry
                out[try r.decode(column: "agreement_id", as: Int64.self), default: []].append((area, target))
            }
            return out
        }
    }
}
