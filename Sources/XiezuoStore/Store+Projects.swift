import SQLKit
import XiezuoDomain

/// The filters of the project list; every one is optional and each narrows the list in SQL.
public struct ProjectFilter: Sendable, Hashable {
    public var text: String?
    public var regionCode: String?  // a prefecture or county: the project's county lies inside it
    public var workArea: WorkArea?
    public var status: ProjectStatus?
    public var pairingId: Int64?
    /// The caller's scope; always applied, whatever else is asked, and required.
    public var scope: RegionScope
    public init(
        text: String? = nil, regionCode: String? = nil, workArea: WorkArea? = nil, status: ProjectStatus? = nil,
        pairingId: Int64? = nil, scope: RegionScope
    ) {
        self.text = text
        self.regionCode = regionCode
        self.workArea = workArea
        self.status = status
        self.pairingId = pairingId
        self.scope = scope
    }
}

public struct ProjectRow: Sendable, Hashable {
    public var project: Project
    public var countyName: String
    public var funding: FundingSummary

    public init(project: Project, countyName: String, funding: FundingSummary) {
        self.project = project
        self.countyName = countyName
        self.funding = funding
    }
}

extension Store {
    static func project(from r: any SQLRow) throws -> Project {
        Project(
            id: try r.decode(column: "id", as: Int64.self), pairingId: try r.decode(column: "pairing_id", as: Int64.self),
            countyCode: try r.decode(column: "county_code", as: String.self),
            workArea: WorkArea(rawValue: try r.decode(column: "work_area", as: String.self)) ?? .industry,
            title: try r.decode(column: "title", as: String.self),
            status: ProjectStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .planned,
            plannedStart: try r.decode(column: "planned_start", as: String?.self).flatMap(Day.init),
            plannedEnd: try r.decode(column: "planned_end", as: String?.self).flatMap(Day.init),
            beneficiaries: try r.decode(column: "beneficiaries", as: Int64.self),
            description: try r.decode(column: "description", as: String.self),
            isDemo: try r.decode(column: "is_demo", as: Int.self) != 0,
            version: try r.decode(column: "version", as: Int64.self),
            updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    static func whereClause(_ f: ProjectFilter) -> SQLQueryString {
        var q: SQLQueryString = " WHERE 1 = 1"
        if let t = f.text?.trimmingWhitespace(), !t.isEmpty {
            q += " AND p.title LIKE \(bind: likePattern(contains: t)) ESCAPE '\\'"
        }
        if let code = f.regionCode {
            q += " AND p.county_code LIKE \(bind: Region.scopePrefix(code: code, level: ProjectDraft.levelOf(code)) + "%")"
        }
        if let a = f.workArea { q += " AND p.work_area = \(bind: a.rawValue)" }
        if let s = f.status { q += " AND p.status = \(bind: s.rawValue)" }
        if let id = f.pairingId { q += " AND p.pairing_id = \(bind: id)" }
        q += scopeSQL("p.county_code", f.scope)
        return q
    }

    public func projects(_ filter: ProjectFilter, page: Page) async throws -> PageOf<ProjectRow> {
        try await backend.read { db in
            let w = Self.whereClause(filter)
            // The count alone is an index scan; a window count or a count subquery measured slower (docs/BENCHMARKS.md).
            let total = try await db.raw("SELECT COUNT(*) AS n FROM projects p" + w).first()!.decode(column: "n", as: Int.self)
            let rows = try await db.raw(
                """
                SELECT p.*, r.name AS county_name FROM projects p JOIN regions r ON r.code = p.county_code
                """ + w + " ORDER BY p.id DESC LIMIT \(bind: page.size) OFFSET \(bind: page.offset)"
            ).all()
            return PageOf(items: try rows.map(Self.projectRow), total: total, page: page)
        }
    }

    static func projectRow(_ r: any SQLRow) throws -> ProjectRow {
        var f = FundingSummary()
        f.budget = Money(fen: try r.decode(column: "budget_fen", as: Int64.self))
        f.committed = Money(fen: try r.decode(column: "committed_fen", as: Int64.self))
        f.disbursed = Money(fen: try r.decode(column: "disbursed_fen", as: Int64.self))
        f.spent = Money(fen: try r.decode(column: "spent_fen", as: Int64.self))
        return ProjectRow(project: try Self.project(from: r), countyName: try r.decode(column: "county_name", as: String.self), funding: f)
    }

    /// The largest projects by budget matching a filter, ties broken by id so the order is always the same.
    public func keyProjects(_ filter: ProjectFilter, limit: Int) async throws -> [ProjectRow] {
        try await backend.read { db in
            try await db.raw(
                """
                SELECT p.*, r.name AS county_name FROM projects p JOIN regions r ON r.code = p.county_code
                """ + Self.whereClause(filter) + " ORDER BY p.budget_fen DESC, p.id LIMIT \(bind: limit)"
            ).all().map(Self.projectRow)
        }
    }

    public func project(id: Int64) async throws -> Project? {
        try await backend.read { db in try await db.raw("SELECT * FROM projects WHERE id = \(bind: id)").first().map(Self.project) }
    }

    public func createProject(_ p: Project, actor: Actor) async throws -> Project {
        try await backend.write { db in try await Self.insertProject(db, p, actor: actor) }
    }

    static func insertProject(_ db: any SQLDatabase, _ p: Project, actor: Actor) async throws -> Project {
        let now = Self.now()
        let id = try await insertProjectRow(db, p, now: now)
        var saved = p
        saved.id = id
        saved.version = 1
        saved.updatedAt = now
        try await audit(db, actor, entity: "project", id: String(id), action: "create", before: Project?.none, after: saved)
        return saved
    }

    static func insertProjectRow(_ db: any SQLDatabase, _ p: Project, now: String) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO projects (pairing_id, county_code, work_area, title, status, planned_start, planned_end,
                                  beneficiaries, description, is_demo, version, created_at, updated_at)
            VALUES (\(bind: p.pairingId), \(bind: p.countyCode), \(bind: p.workArea.rawValue), \(bind: p.title),
                    \(bind: p.status.rawValue), \(bind: p.plannedStart?.description), \(bind: p.plannedEnd?.description),
                    \(bind: p.beneficiaries), \(bind: p.description), \(bind: p.isDemo ? 1 : 0), 1, \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
    }

    /// Saves an edited project only if nobody saved it since `p.version` was read; otherwise throws `.conflict`
    /// and changes nothing, so no edit is silently lost.
    public func updateProject(_ p: Project, actor: Actor) async throws -> Project {
        try await backend.write { db in
            guard let before = try await db.raw("SELECT * FROM projects WHERE id = \(bind: p.id)").first().map(Self.project) else {
                throw StoreError.notFound
            }
            guard before.version == p.version else { throw StoreError.conflict }
            let now = Self.now()
            try await db.raw(
                """
                UPDATE projects SET pairing_id = \(bind: p.pairingId), county_code = \(bind: p.countyCode),
                  work_area = \(bind: p.workArea.rawValue), title = \(bind: p.title), status = \(bind: p.status.rawValue),
                  planned_start = \(bind: p.plannedStart?.description), planned_end = \(bind: p.plannedEnd?.description),
                  beneficiaries = \(bind: p.beneficiaries), description = \(bind: p.description),
                  version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: p.id) AND version = \(bind: p.version)
                """
            ).run()
            var after = p
            after.version = p.version + 1
            after.updatedAt = now
            after.isDemo = before.isDemo
            try await Self.audit(db, actor, entity: "project", id: String(p.id), action: "update", before: before, after: after)
            return after
        }
    }

    // MARK: transactions and milestones

    public func transactions(projectId: Int64) async throws -> [FundingTransaction] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM transactions WHERE project_id = \(bind: projectId) ORDER BY date, id").all().map { r in
                FundingTransaction(
                    id: try r.decode(column: "id", as: Int64.self), projectId: projectId,
                    kind: TransactionKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .budget,
                    date: Day(try r.decode(column: "date", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
                    amount: Money(fen: try r.decode(column: "amount_fen", as: Int64.self)),
                    note: try r.decode(column: "note", as: String.self))
            }
        }
    }

    public func addTransaction(_ t: FundingTransaction, actor: Actor) async throws -> FundingTransaction {
        try await backend.write { db in try await Self.insertTransaction(db, t, actor: actor) }
    }

    static func insertTransaction(_ db: any SQLDatabase, _ t: FundingTransaction, actor: Actor) async throws -> FundingTransaction {
        guard try await db.raw("SELECT id FROM projects WHERE id = \(bind: t.projectId)").first() != nil else { throw StoreError.notFound }
        let id = try await db.raw(
            """
            INSERT INTO transactions (project_id, kind, date, amount_fen, note, created_at)
            VALUES (\(bind: t.projectId), \(bind: t.kind.rawValue), \(bind: t.date.description), \(bind: t.amount.fen),
                    \(bind: t.note), \(bind: now())) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        try await db.raw(
            "UPDATE projects SET \(unsafeRaw: fundingColumn(t.kind)) = \(unsafeRaw: fundingColumn(t.kind)) + \(bind: t.amount.fen) WHERE id = \(bind: t.projectId)"
        ).run()
        var saved = t
        saved.id = id
        try await audit(db, actor, entity: "transaction", id: String(id), action: "create", before: FundingTransaction?.none, after: saved)
        return saved
    }

    public func milestones(projectId: Int64) async throws -> [Milestone] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM milestones WHERE project_id = \(bind: projectId) ORDER BY due_date, id").all().map { r in
                Milestone(
                    id: try r.decode(column: "id", as: Int64.self), projectId: projectId,
                    title: try r.decode(column: "title", as: String.self),
                    dueDate: Day(try r.decode(column: "due_date", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
                    doneDate: try r.decode(column: "done_date", as: String?.self).flatMap(Day.init))
            }
        }
    }

    public func addMilestone(_ m: Milestone, actor: Actor) async throws -> Milestone {
        try await backend.write { db in
            guard try await db.raw("SELECT id FROM projects WHERE id = \(bind: m.projectId)").first() != nil else { throw StoreError.notFound }
            let id = try await db.raw(
                """
                INSERT INTO milestones (project_id, title, due_date, done_date)
                VALUES (\(bind: m.projectId), \(bind: m.title), \(bind: m.dueDate.description), \(bind: m.doneDate?.description))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            var saved = m
            saved.id = id
            try await Self.audit(db, actor, entity: "milestone", id: String(id), action: "create", before: Milestone?.none, after: saved)
            return saved
        }
    }
}

extension Store {
    /// Projects and their transactions in one transaction, one audit record for the batch. Returns the new ids.
    public func bulkInsert(
        projects: [Project], transactions: [(projectIndex: Int, FundingTransaction)], actor: Actor,
        label: String
    ) async throws {
        try await backend.write { db in
            var ids: [Int64] = []
            ids.reserveCapacity(projects.count)
            let now = Self.now()
            for p in projects { ids.append(try await Self.insertProjectRow(db, p, now: now)) }
            for chunk in stride(from: 0, to: transactions.count, by: 500) {
                let part = transactions[chunk..<min(chunk + 500, transactions.count)]
                var q: SQLQueryString = "INSERT INTO transactions (project_id, kind, date, amount_fen, note, created_at) VALUES "
                q += part.map { (i, t) -> SQLQueryString in
                    "(\(bind: ids[i]), \(bind: t.kind.rawValue), \(bind: t.date.description), \(bind: t.amount.fen), \(bind: t.note), \(bind: now))"
                }.joined(separator: ", ")
                try await db.raw(q).run()
            }
            for kind in TransactionKind.allCases {
                let col = fundingColumn(kind)
                try await db.raw(
                    """
                    UPDATE projects SET \(unsafeRaw: col) = (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM transactions t
                    WHERE t.project_id = projects.id AND t.kind = \(bind: kind.rawValue)) WHERE id IN (\(binds: ids))
                    """
                ).run()
            }
            try await Self.audit(
                db, actor, entity: "project_batch", id: label, action: "import", before: [String: Int]?.none,
                after: ["projects": projects.count, "transactions": transactions.count])
        }
    }
}

/// The per-project running total of each funding stage, kept with every transaction written (a fixed name per kind,
/// never user input).
func fundingColumn(_ kind: TransactionKind) -> String {
    switch kind {
    case .budget: return "budget_fen"
    case .commitment: return "committed_fen"
    case .disbursement: return "disbursed_fen"
    case .expenditure: return "spent_fen"
    }
}
