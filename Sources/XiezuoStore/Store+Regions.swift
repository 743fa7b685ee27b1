import Foundation
import SQLKit
import Synchronization
import XiezuoDomain

/// The regions, kept in memory between requests: every page and the dashboard need them all, and they change only
/// when an administrator sets a flag, a migration runs or a backup is restored. Each such write stamps a new
/// `regions_version` in app_meta; a read compares one small row with the stamp the cached copy was read under, so
/// every instance sees a change on its next request.
final class RegionCache: Sendable {
    let state = Mutex<(version: String, regions: [Region], byCode: [String: Region])?>(nil)
    let pairings = Mutex<(version: String, pairings: [Pairing])?>(nil)
}

extension Store {
    /// Marks the regions and pairings as changed (inside the writing transaction): every instance reads them
    /// afresh on its next request.
    static func stampReferenceData(_ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM app_meta WHERE key = 'regions_version'").run()
        try await db.raw("INSERT INTO app_meta (key, value) VALUES ('regions_version', \(bind: UUID().uuidString))").run()
    }

    static func region(from r: any SQLRow) throws -> Region {
        Region(
            code: try r.decode(column: "code", as: String.self), name: try r.decode(column: "name", as: String.self),
            level: RegionLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .county,
            parentCode: try r.decode(column: "parent_code", as: String?.self),
            side: Side(rawValue: try r.decode(column: "side", as: String.self)) ?? .west,
            keyAssisted: try r.decode(column: "key_assisted", as: Int.self) != 0,
            resettlementArea: try r.decode(column: "resettlement_area", as: Int.self) != 0)
    }

    public func regions() async throws -> [Region] { try await regionTable().regions }

    /// The regions by code (made once per version of the table, not per page).
    public func regionIndex() async throws -> [String: Region] { try await regionTable().byCode }

    func regionTable() async throws -> (regions: [Region], byCode: [String: Region]) {
        let version = try await meta("regions_version")
        if let version, let hit = regionCache.state.withLock({ s in s?.version == version ? s.map { ($0.regions, $0.byCode) } : nil }) {
            return hit
        }
        let list = try await backend.read { db in
            try await db.raw("SELECT * FROM regions ORDER BY code").all().map(Self.region)
        }
        let byCode = Dictionary(uniqueKeysWithValues: list.map { ($0.code, $0) })
        if let version { regionCache.state.withLock { $0 = (version, list, byCode) } }
        return (list, byCode)
    }

    public func region(code: String) async throws -> Region? {
        try await backend.read { db in
            try await db.raw("SELECT * FROM regions WHERE code = \(bind: code)").first().map(Self.region)
        }
    }

    public func children(of code: String) async throws -> [Region] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM regions WHERE parent_code = \(bind: code) ORDER BY code").all().map(Self.region)
        }
    }

    public func setRegionFlags(code: String, keyAssisted: Bool, resettlementArea: Bool, actor: Actor) async throws -> Region {
        try await backend.write { db in
            guard let before = try await db.raw("SELECT * FROM regions WHERE code = \(bind: code)").first().map(Self.region) else {
                throw StoreError.notFound
            }
            try await db.raw(
                """
                UPDATE regions SET key_assisted = \(bind: keyAssisted ? 1 : 0), resettlement_area = \(bind: resettlementArea ? 1 : 0)
                WHERE code = \(bind: code)
                """
            ).run()
            var after = before
            after.keyAssisted = keyAssisted
            after.resettlementArea = resettlementArea
            try await Self.audit(db, actor, entity: "region", id: code, action: "update", before: before, after: after)
            try await Self.stampReferenceData(db)
            return after
        }
    }

    // MARK: pairings

    static func pairing(from r: any SQLRow) throws -> Pairing {
        Pairing(
            id: try r.decode(column: "id", as: Int64.self),
            level: PairingLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .city,
            eastCode: try r.decode(column: "east_code", as: String.self),
            westCode: try r.decode(column: "west_code", as: String.self),
            eastParty: try r.decode(column: "east_party", as: String?.self),
            westParty: try r.decode(column: "west_party", as: String?.self),
            sinceYear: try r.decode(column: "since_year", as: Int.self),
            untilYear: try r.decode(column: "until_year", as: Int?.self))
    }

    public func pairings() async throws -> [Pairing] {
        try await backend.read { db in try await db.raw("SELECT * FROM pairings ORDER BY id").all().map(Self.pairing) }
    }

    /// The pairings, from memory while the reference data's version is the one a request's user was read with.
    public func pairings(referenceVersion: String?) async throws -> [Pairing] {
        guard let version = referenceVersion else { return try await pairings() }
        if let hit = regionCache.pairings.withLock({ $0?.version == version ? $0?.pairings : nil }) { return hit }
        let list = try await pairings()
        regionCache.pairings.withLock { $0 = (version, list) }
        return list
    }

    public func pairing(id: Int64) async throws -> Pairing? {
        try await backend.read { db in
            try await db.raw("SELECT * FROM pairings WHERE id = \(bind: id)").first().map(Self.pairing)
        }
    }

    public func addPairing(_ p: Pairing, actor: Actor) async throws -> Pairing {
        try await backend.write { db in
            let id = try await db.raw(
                """
                INSERT INTO pairings (level, east_code, west_code, east_party, west_party, since_year, until_year)
                VALUES (\(bind: p.level.rawValue), \(bind: p.eastCode), \(bind: p.westCode), \(bind: p.eastParty),
                        \(bind: p.westParty), \(bind: p.sinceYear), \(bind: p.untilYear)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            var saved = p
            saved.id = id
            try await Self.audit(db, actor, entity: "pairing", id: String(id), action: "create", before: Pairing?.none, after: saved)
            try await Self.stampReferenceData(db)
            return saved
        }
    }
}

extension Store {
    /// Rows of user data without the audit record of their creation, and changes recorded without the values
    /// before: both should be zero (tests check it after every run of the app).
    public func unauditedWrites() async throws -> [String] {
        let tables: [(String, String, String)] = [
            ("projects", "project", "CAST(t.id AS TEXT)"), ("transactions", "transaction", "CAST(t.id AS TEXT)"),
            ("milestones", "milestone", "CAST(t.id AS TEXT)"), ("progress", "progress", "CAST(t.id AS TEXT)"),
            ("agreements", "agreement", "CAST(t.id AS TEXT)"), ("agreement_tasks", "agreement_task", "CAST(t.id AS TEXT)"),
            ("targets", "target", "CAST(t.id AS TEXT)"), ("documents", "document", "CAST(t.id AS TEXT)"),
            ("pairings", "pairing", "CAST(t.id AS TEXT)"), ("meetings", "meeting", "CAST(t.id AS TEXT)"),
            ("users", "user", "t.username"), ("api_tokens", "api_token", "t.name"),
            ("meeting_attendees", "attendee", "CAST(t.id AS TEXT)"), ("itinerary_stops", "itinerary_stop", "CAST(t.id AS TEXT)"),
            ("decisions", "decision", "CAST(t.id AS TEXT)"), ("follow_up_tasks", "task", "CAST(t.id AS TEXT)"),
            ("task_updates", "task_update", "CAST(t.id AS TEXT)"), ("ledger_rows", "ledger_row", "CAST(t.id AS TEXT)"),
            ("assessments", "assessment", "CAST(t.pairing_id AS TEXT) || '-' || CAST(t.year AS TEXT)"),
            ("pace_profiles", "pace_profile", "CAST(t.agreement_id AS TEXT) || '-' || t.indicator_code"),
        ]
        return try await backend.read { db in
            var out: [String] = []
            for (table, entity, key) in tables {
                let n = try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM \(unsafeRaw: table) t WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                    WHERE a.entity = \(bind: entity) AND a.entity_id = \(unsafeRaw: key) AND a.action IN ('create', 'import'))
                    """
                ).first()!.decode(column: "n", as: Int.self)
                if n > 0 { out.append("\(n) \(table) rows without a create record") }
            }
            let missing = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM audit_log WHERE action NOT IN ('create', 'import') AND before_json IS NULL
                  AND action <> 'reset-password'
                """
            ).first()!.decode(column: "n", as: Int.self)
            if missing > 0 { out.append("\(missing) changes without the values before") }
            return out
        }
    }
}
