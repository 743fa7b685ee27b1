import Foundation
import SQLKit
import XiezuoDomain

/// One change anywhere, as the audit log holds it.
public struct AuditRecord: Sendable, Hashable {
    public var id: Int64
    public var at: String
    public var actor: String?
    public var address: String?
    public var entity: String
    public var entityId: String
    public var action: String
}

/// Which changes to list: by whom, of what, when, and by the offices of which region.
public struct AuditFilter: Sendable, Hashable {
    public var actor: String?
    public var entity: String?
    public var from: Day?
    public var to: Day?
    /// Changes made by accounts whose home region lies inside this one (prefix of the code).
    public var actorScope: String?
    public init(actor: String? = nil, entity: String? = nil, from: Day? = nil, to: Day? = nil, actorScope: String? = nil) {
        self.actor = actor
        self.entity = entity
        self.from = from
        self.to = to
        self.actorScope = actorScope
    }
}

extension Store {
    func auditWhere(_ f: AuditFilter) -> SQLQueryString {
        var w: SQLQueryString = " WHERE 1 = 1"
        if let a = f.actor { w += " AND a.actor = \(bind: a)" }
        if let e = f.entity { w += " AND a.entity = \(bind: e)" }
        // Stored times are UTC ISO 8601; a day in Beijing runs from 16:00 UTC the day before.
        if let d = f.from { w += " AND a.at >= \(bind: Self.chinaDayStart(d))" }
        if let d = f.to, let next = Day.after(d) { w += " AND a.at < \(bind: Self.chinaDayStart(next))" }
        if let p = f.actorScope {
            w += " AND EXISTS (SELECT 1 FROM users u WHERE u.username = a.actor" + scopeSQL("u.region_code", .within([p])) + ")"
        }
        return w
    }

    /// The first instant of a day in Beijing, as the audit log writes instants.
    static func chinaDayStart(_ d: Day) -> String {
        let date = Day.chinaCalendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day)) ?? .distantPast
        return date.ISO8601Format()
    }

    public func auditLog(_ f: AuditFilter, page: Page) async throws -> PageOf<AuditRecord> {
        let w = auditWhere(f)
        return try await backend.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM audit_log a" + w).first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw(
                "SELECT a.id, a.at, a.actor, a.address, a.entity, a.entity_id, a.action FROM audit_log a" + w
                    + " ORDER BY a.id DESC LIMIT \(bind: page.size) OFFSET \(bind: page.offset)"
            ).all().map(Self.auditRecord)
            return PageOf(items: items, total: total, page: page)
        }
    }

    /// Every change the filter selects, newest first, a slice at a time (for the CSV export).
    public func auditLog(_ f: AuditFilter, beforeId: Int64?, limit: Int) async throws -> [AuditRecord] {
        var clause = auditWhere(f)
        if let beforeId { clause += " AND a.id < \(bind: beforeId)" }
        let w = clause
        return try await backend.read { db in
            try await db.raw(
                "SELECT a.id, a.at, a.actor, a.address, a.entity, a.entity_id, a.action FROM audit_log a" + w
                    + " ORDER BY a.id DESC LIMIT \(bind: limit)"
            ).all().map(Self.auditRecord)
        }
    }

    static func auditRecord(_ r: any SQLRow) throws -> AuditRecord {
        AuditRecord(
            id: try r.decode(column: "id", as: Int64.self), at: try r.decode(column: "at", as: String.self),
            actor: try r.decode(column: "actor", as: String?.self), address: try r.decode(column: "address", as: String?.self),
            entity: try r.decode(column: "entity", as: String.self), entityId: try r.decode(column: "entity_id", as: String.self),
            action: try r.decode(column: "action", as: String.self))
    }
}
