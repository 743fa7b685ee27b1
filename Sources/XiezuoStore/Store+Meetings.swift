import SQLKit
import XiezuoDomain

extension Store {
    static func meeting(from r: any SQLRow) throws -> Meeting {
        Meeting(id: try r.decode(column: "id", as: Int64.self), pairingId: try r.decode(column: "pairing_id", as: Int64.self),
                kind: MeetingKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .jointConference,
                title: try r.decode(column: "title", as: String.self),
                date: Day(try r.decode(column: "date", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
                place: try r.decode(column: "place", as: String.self), summary: try r.decode(column: "summary", as: String.self),
                isDemo: try r.decode(column: "is_demo", as: Int.self) != 0)
    }

    public func meetings(pairingId: Int64? = nil, year: Int? = nil, pairingIds: [Int64]? = nil) async throws -> [Meeting] {
        try await backend.read { db in
            var q: SQLQueryString = "SELECT * FROM meetings WHERE 1 = 1"
            if let pairingId { q += " AND pairing_id = \(bind: pairingId)" }
            if let pairingIds { q += pairingIds.isEmpty ? " AND 1 = 0" : " AND pairing_id IN (\(binds: pairingIds))" }
            if let year { q += " AND date LIKE \(bind: String(year) + "-%")" }
            q += " ORDER BY date DESC, id DESC"
            return try await db.raw(q).all().map(Self.meeting)
        }
    }

    static func insertMeeting(_ db: any SQLDatabase, _ m: Meeting, actor: Actor) async throws -> Meeting {
        let id = try await db.raw("""
            INSERT INTO meetings (pairing_id, kind, title, date, place, summary, is_demo)
            VALUES (\(bind: m.pairingId), \(bind: m.kind.rawValue), \(bind: m.title), \(bind: m.date.description),
                    \(bind: m.place), \(bind: m.summary), \(bind: m.isDemo ? 1 : 0)) RETURNING id
            """).first()!.decode(column: "id", as: Int64.self)
        var saved = m; saved.id = id
        try await audit(db, actor, entity: "meeting", id: String(id), action: "create", before: Meeting?.none, after: saved)
        return saved
    }
}
