import SQLKit
import XiezuoDomain

/// Why a round's step was refused; the web says it in the user's language.
public enum RoundError: Error, Equatable {
    /// The return lacks figures for these indicators.
    case missingFigures([String])
    /// The figure (or row) lies in a period a round has locked: change it through a change request.
    case periodLocked(roundId: Int64)
    case alreadySubmitted
    case notAMember
    /// A change request is already waiting for this figure.
    case requestPending
    case notLocked
    case decided
}

/// A round as lists show it, with its members' progress counted.
public struct RoundSummary: Sendable, Hashable {
    public var round: ReportingRound
    public var members: Int
    public var submitted: Int
}

extension Store {
    static func round(from r: any SQLRow) throws -> ReportingRound {
        func list(_ c: String) throws -> [String] { try r.decode(column: c, as: String.self).split(separator: ",").map(String.init) }
        return ReportingRound(
            id: try r.decode(column: "id", as: Int64.self), title: try r.decode(column: "title", as: String.self),
            openerRegionCode: try r.decode(column: "opener_region", as: String.self), openedBy: try r.decode(column: "opened_by", as: String?.self),
            year: try r.decode(column: "year", as: Int.self), month: try r.decode(column: "month", as: Int.self),
            deadline: Day(try r.decode(column: "deadline", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
            indicatorCodes: try list("indicators"), ledgers: try list("ledgers").compactMap(LedgerName.init(rawValue:)),
            lock: RoundLock(rawValue: try r.decode(column: "lock_state", as: String.self)) ?? .locked,
            note: try r.decode(column: "note", as: String.self))
    }

    /// Opens a round for `members` (regions the caller has checked the opener may include), audited with them.
    public func openRound(_ round: ReportingRound, members: [Region], isDemo: Bool = false, actor: Actor) async throws -> ReportingRound {
        try await backend.write { db in
            let now = Self.now()
            let id = try await db.raw(
                """
                INSERT INTO rounds (title, opener_region, opened_by, year, month, deadline, indicators, ledgers, lock_state, note, is_demo,
                                    created_at, updated_at)
                VALUES (\(bind: round.title), \(bind: round.openerRegionCode), \(bind: actor.name), \(bind: round.year), \(bind: round.month),
                        \(bind: round.deadline.description), \(bind: round.indicatorCodes.joined(separator: ",")),
                        \(bind: round.ledgers.map(\.rawValue).joined(separator: ",")), \(bind: round.lock.rawValue), \(bind: round.note),
                        \(bind: isDemo ? 1 : 0), \(bind: now), \(bind: now)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            for m in members {
                try await db.raw(
                    """
                    INSERT INTO round_members (round_id, region_code, scope_prefix)
                    VALUES (\(bind: id), \(bind: m.code), \(bind: Region.scopePrefix(code: m.code, level: m.level)))
                    """
                ).run()
            }
            var saved = round
            saved.id = id
            saved.openedBy = actor.name
            try await Self.audit(
                db, actor, entity: "round", id: String(id), action: "create", before: AuditedRound?.none,
                after: AuditedRound(round: saved, members: members.map(\.code)))
            return saved
        }
    }

    public func round(id: Int64) async throws -> ReportingRound? {
        try await backend.read { db in try await db.raw("SELECT * FROM rounds WHERE id = \(bind: id)").first().map(Self.round) }
    }

    /// Rounds a reader follows: opened inside its scope, or with a member inside it (nil prefixes: all), newest
    /// period first.
    public func rounds(within prefixes: [String]?, limit: Int = 200) async throws -> [RoundSummary] {
        try await backend.read { db in
            var w: SQLQueryString = ""
            if let prefixes {
                guard !prefixes.isEmpty else { return [] }
                let likes = prefixes.map { $0 + "%" }
                w = " WHERE "
                w += likes.map { p -> SQLQueryString in
                    "r.opener_region LIKE \(bind: p) OR EXISTS (SELECT 1 FROM round_members x WHERE x.round_id = r.id AND x.region_code LIKE \(bind: p))"
                }.joined(separator: " OR ")
            }
            let rows = try await db.raw(
                """
                SELECT r.*, (SELECT COUNT(*) FROM round_members m WHERE m.round_id = r.id) AS members,
                  (SELECT COUNT(*) FROM round_members m WHERE m.round_id = r.id AND m.submitted_at IS NOT NULL) AS submitted
                FROM rounds r\(w) ORDER BY r.year DESC, r.month DESC, r.id DESC LIMIT \(bind: limit)
                """
            ).all()
            return try rows.map {
                RoundSummary(
                    round: try Self.round(from: $0), members: try $0.decode(column: "members", as: Int.self),
                    submitted: try $0.decode(column: "submitted", as: Int.self))
            }
        }
    }

    /// A round's members with what the live table shows, returned figures counted in SQL.
    public func roundMembers(_ round: ReportingRound) async throws -> [RoundMember] {
        try await backend.read { db in try await Self.members(db, round) }
    }

    static func members(_ db: any SQLDatabase, _ round: ReportingRound) async throws -> [RoundMember] {
        let codes = round.indicatorCodes.isEmpty ? [""] : round.indicatorCodes
        return try await db.raw(
            """
            SELECT m.*, (SELECT COUNT(*) FROM progress p WHERE p.region_code = m.region_code AND p.year = \(bind: round.year)
                           AND p.month = \(bind: round.month) AND p.state = 'returned' AND p.indicator_code IN (\(binds: codes))) AS returned
            FROM round_members m WHERE m.round_id = \(bind: round.id) ORDER BY m.region_code
            """
        ).all().map { r in
            RoundMember(
                regionCode: try r.decode(column: "region_code", as: String.self), submittedAt: try r.decode(column: "submitted_at", as: String?.self),
                submittedBy: try r.decode(column: "submitted_by", as: String?.self), reminders: try r.decode(column: "reminders", as: Int.self),
                remindedAt: try r.decode(column: "reminded_at", as: String?.self), returned: try r.decode(column: "returned", as: Int.self))
        }
    }

    /// The rounds that have one of `regionCodes` as a member, with that member's state: an office's to-do.
    public func roundsAsking(regionCodes: [String]) async throws -> [(ReportingRound, RoundMember)] {
        guard !regionCodes.isEmpty else { return [] }
        return try await backend.read { db in
            let rows = try await db.raw(
                """
                SELECT r.*, m.region_code AS member_region FROM rounds r JOIN round_members m ON m.round_id = r.id
                WHERE m.region_code IN (\(binds: regionCodes)) ORDER BY r.deadline, r.id LIMIT 200
                """
            ).all()
            var out: [(ReportingRound, RoundMember)] = []
            var cache: [Int64: [RoundMember]] = [:]
            for row in rows {
                let round = try Self.round(from: row)
                let code = try row.decode(column: "member_region", as: String.self)
                if cache[round.id] == nil { cache[round.id] = try await Self.members(db, round) }
                if let m = cache[round.id]?.first(where: { $0.regionCode == code }) { out.append((round, m)) }
            }
            return out
        }
    }

    /// A member office's return (上报): every indicator asked must have a figure for the period; drafts and
    /// returned figures among them, and the draft rows of the asked ledgers dated in the period, go to review; the
    /// member is marked submitted. All in one transaction.
    public func submitRound(_ round: ReportingRound, member regionCode: String, actor: Actor) async throws {
        let cipher = try self.cipher
        try await backend.write { db in
            guard
                let m = try await db.raw(
                    "SELECT * FROM round_members WHERE round_id = \(bind: round.id) AND region_code = \(bind: regionCode)"
                ).first()
            else { throw RoundError.notAMember }
            let before = try m.decode(column: "submitted_at", as: String?.self)
            let figures = try await db.raw(
                """
                SELECT * FROM progress WHERE region_code = \(bind: regionCode) AND year = \(bind: round.year) AND month = \(bind: round.month)
                  AND indicator_code IN (\(binds: round.indicatorCodes.isEmpty ? [""] : round.indicatorCodes))
                """
            ).all().map(Self.progress)
            let missing = round.indicatorCodes.filter { code in !figures.contains { $0.indicatorCode == code } }
            if !missing.isEmpty { throw RoundError.missingFigures(missing) }
            let returned = figures.contains { $0.state == .returned }
            if before != nil && !returned { throw RoundError.alreadySubmitted }
            for f in figures where f.state.after(.submit) != nil {
                _ = try await Self.moveFigure(db, f.id, .submit, comment: "", actor: actor)
            }
            for ledger in round.ledgers {
                let rows = try await db.raw(
                    """
                    SELECT * FROM ledger_rows WHERE ledger = \(bind: ledger.rawValue) AND county_code = \(bind: regionCode)
                      AND occurred_on BETWEEN \(bind: round.firstDay.description) AND \(bind: round.lastDay.description)
                      AND state IN ('draft', 'returned')
                    """
                ).all()
                let records = try rows.map { (try Self.record($0, cipher: cipher), try $0.decode(column: "values_json", as: String.self)) }
                if !records.isEmpty {
                    try await db.raw("UPDATE ledger_rows SET submitted_by = \(bind: actor.name) WHERE id IN (\(binds: records.map(\.0.id)))").run()
                    try await Self.moveLedgerRows(db, records, to: .submitted, comment: "", action: "submit", actor: actor)
                }
            }
            let now = Self.now()
            try await db.raw(
                """
                UPDATE round_members SET submitted_at = \(bind: now), submitted_by = \(bind: actor.name)
                WHERE round_id = \(bind: round.id) AND region_code = \(bind: regionCode)
                """
            ).run()
            try await Self.audit(
                db, actor, entity: "round", id: String(round.id), action: "submit",
                before: AuditedMember(region: regionCode, submittedAt: before, reminders: nil),
                after: AuditedMember(region: regionCode, submittedAt: now, reminders: nil))
        }
    }

    /// Reminds the members among `regionCodes` that have not submitted (催报): each reminder counted, dated and
    /// audited. Returns the regions reminded.
    public func remindRound(_ round: ReportingRound, regionCodes: [String], actor: Actor) async throws -> [String] {
        guard !regionCodes.isEmpty else { return [] }
        return try await backend.write { db in
            let rows = try await db.raw(
                """
                SELECT region_code, reminders FROM round_members WHERE round_id = \(bind: round.id) AND submitted_at IS NULL
                  AND region_code IN (\(binds: regionCodes)) ORDER BY region_code
                """
            ).all()
            let now = Self.now()
            var out: [String] = []
            for r in rows {
                let code = try r.decode(column: "region_code", as: String.self)
                let n = try r.decode(column: "reminders", as: Int.self)
                try await db.raw(
                    """
                    UPDATE round_members SET reminders = reminders + 1, reminded_at = \(bind: now), reminded_by = \(bind: actor.name)
                    WHERE round_id = \(bind: round.id) AND region_code = \(bind: code)
                    """
                ).run()
                try await Self.audit(
                    db, actor, entity: "round", id: String(round.id), action: "remind",
                    before: AuditedMember(region: code, submittedAt: nil, reminders: n),
                    after: AuditedMember(region: code, submittedAt: nil, reminders: n + 1))
                out.append(code)
            }
            return out
        }
    }

    /// Unlocks or locks again a round's period (audited with the state before).
    public func setRoundLock(_ round: ReportingRound, to lock: RoundLock, actor: Actor) async throws {
        try await backend.write { db in
            try await db.raw("UPDATE rounds SET lock_state = \(bind: lock.rawValue), updated_at = \(bind: Self.now()) WHERE id = \(bind: round.id)")
                .run()
            try await Self.audit(
                db, actor, entity: "round", id: String(round.id), action: lock == .unlocked ? "unlock" : "lock",
                before: ["lock": round.lock.rawValue], after: ["lock": lock.rawValue])
        }
    }

    // MARK: the lock

    /// The round whose lock holds a figure of `indicator`, `region`, `year`/`month` on `today`: a round asking for it
    /// whose member (the region or an office above it) has submitted, past its deadline and not unlocked.
    static func lockingRound(
        _ db: any SQLDatabase, indicator: String, region: String, year: Int, month: Int, today: Day
    ) async throws -> Int64? {
        try await lockingRound(db, column: "indicators", item: indicator, region: region, year: year, month: month, today: today)
    }

    static func lockingRound(
        _ db: any SQLDatabase, column: String, item: String, region: String, year: Int, month: Int, today: Day
    ) async throws -> Int64? {
        let rows = try await db.raw(
            """
            SELECT r.* FROM rounds r JOIN round_members m ON m.round_id = r.id
            WHERE r.year = \(bind: year) AND r.month = \(bind: month) AND (',' || r.\(unsafeRaw: column) || ',') LIKE \(bind: "%," + item + ",%")
              AND \(bind: region) LIKE m.scope_prefix || '%' AND m.submitted_at IS NOT NULL
            """
        ).all()
        for r in rows {
            let round = try Self.round(from: r)
            if round.isLocked(on: today) { return round.id }
        }
        return nil
    }

    /// Refuses a change to a figure of a locked period (a returned figure stays correctable: the level above asked
    /// for the change).
    static func refuseLocked(_ db: any SQLDatabase, _ p: ProgressReport, actor: Actor) async throws {
        guard p.state != .returned else { return }
        if let id = try await lockingRound(db, indicator: p.indicatorCode, region: p.regionCode, year: p.year, month: p.month, today: actor.day) {
            throw RoundError.periodLocked(roundId: id)
        }
    }

    /// The same for a ledger row dated `date` in `county`.
    static func refuseLockedRow(_ db: any SQLDatabase, _ ledger: LedgerName, county: String, date: String, actor: Actor) async throws {
        guard let day = Day(date) else { return }
        if let id = try await lockingRound(
            db, column: "ledgers", item: ledger.rawValue, region: county, year: day.year, month: day.month, today: actor.day)
        {
            throw RoundError.periodLocked(roundId: id)
        }
    }

    /// Whether a figure is held by a round's lock now (for the page to offer a change request instead of a form).
    public func lockingRound(of p: ProgressReport, today: Day) async throws -> Int64? {
        try await backend.read { db in
            try await Self.lockingRound(db, indicator: p.indicatorCode, region: p.regionCode, year: p.year, month: p.month, today: today)
        }
    }

    /// Whether a ledger row's period is held by a round's lock now (the row's page then offers a change request).
    public func lockingRound(of r: LedgerRecord, today: Day) async throws -> Int64? {
        guard r.state != .returned, let day = Day(r.date) else { return nil }
        return try await backend.read { db in
            try await Self.lockingRound(
                db, column: "ledgers", item: r.ledger.rawValue, region: r.countyCode, year: day.year, month: day.month, today: today)
        }
    }

    /// Every locked period of one kind (`indicators` or `ledgers`) at once, for imports: rounds are few.
    static func lockedPeriods(
        _ db: any SQLDatabase, column: String, today: Day
    ) async throws -> [(items: Set<String>, prefix: String, year: Int, month: Int, round: Int64)] {
        let rows = try await db.raw(
            """
            SELECT r.*, m.scope_prefix FROM rounds r JOIN round_members m ON m.round_id = r.id
            WHERE r.\(unsafeRaw: column) <> '' AND m.submitted_at IS NOT NULL
            """
        ).all()
        return try rows.compactMap { r in
            let round = try Self.round(from: r)
            guard round.isLocked(on: today) else { return nil }
            let items = column == "ledgers" ? Set(round.ledgers.map(\.rawValue)) : Set(round.indicatorCodes)
            return (items, try r.decode(column: "scope_prefix", as: String.self), round.year, round.month, round.id)
        }
    }
}

/// A round as the audit trail keeps it.
struct AuditedRound: Encodable {
    var round: ReportingRound
    var members: [String]
}

/// One member's step in a round, as the audit trail keeps it.
struct AuditedMember: Encodable {
    var region: String
    var submittedAt: String?
    var reminders: Int?
}
