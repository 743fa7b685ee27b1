import PostgresNIO
import SQLKit
import XiezuoDomain

public struct ProgressFilter: Sendable, Hashable {
    public var indicatorCode: String?
    public var regionCode: String?
    public var year: Int?
    /// One month of the year (a reporting round's period).
    public var month: Int?
    public var state: ProgressState?
    /// The caller's scope, required.
    public var scope: RegionScope
    /// A reviewer's queue: figures someone else made, of regions other than the reviewer's own.
    public var notAuthoredBy: String?
    public var otherThanRegion: String?
    public init(
        indicatorCode: String? = nil, regionCode: String? = nil, year: Int? = nil, state: ProgressState? = nil,
        scope: RegionScope
    ) {
        self.indicatorCode = indicatorCode
        self.regionCode = regionCode
        self.year = year
        self.state = state
        self.scope = scope
    }
}

/// Which review states count in a sum: approved only (the default everywhere) or approved plus pending.
public enum CountedStates: Sendable {
    case approved, includingPending
    var values: [String] {
        self == .approved
            ? [ProgressState.approved.rawValue]
            : [ProgressState.approved.rawValue, ProgressState.submitted.rawValue, ProgressState.draft.rawValue]
    }
}

extension Store {
    static func progress(from r: any SQLRow) throws -> ProgressReport {
        ProgressReport(
            id: try r.decode(column: "id", as: Int64.self),
            indicatorCode: try r.decode(column: "indicator_code", as: String.self),
            regionCode: try r.decode(column: "region_code", as: String.self),
            year: try r.decode(column: "year", as: Int.self), month: try r.decode(column: "month", as: Int.self),
            value: try r.decode(column: "value", as: Int64.self),
            state: ProgressState(rawValue: try r.decode(column: "state", as: String.self)) ?? .draft,
            note: try r.decode(column: "note", as: String.self))
    }

    public func progress(_ f: ProgressFilter, page: Page) async throws -> PageOf<ProgressReport> {
        try await backend.read { db in
            var w: SQLQueryString = " WHERE 1 = 1"
            if let i = f.indicatorCode { w += " AND indicator_code = \(bind: i)" }
            if let c = f.regionCode { w += " AND region_code LIKE \(bind: Region.scopePrefix(code: c, level: ProjectDraft.levelOf(c)) + "%")" }
            if let y = f.year { w += " AND year = \(bind: y)" }
            if let m = f.month { w += " AND month = \(bind: m)" }
            if let s = f.state { w += " AND state = \(bind: s.rawValue)" }
            w += scopeSQL("region_code", f.scope)
            if let me = f.notAuthoredBy {
                w +=
                    " AND COALESCE(created_by, '') <> \(bind: me) AND COALESCE(changed_by, '') <> \(bind: me) AND COALESCE(submitted_by, '') <> \(bind: me)"
            }
            if let own = f.otherThanRegion { w += " AND region_code <> \(bind: own)" }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM progress" + w).first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw(
                "SELECT * FROM progress" + w + " ORDER BY year DESC, month DESC, id DESC LIMIT \(bind: page.size) OFFSET \(bind: page.offset)"
            )
            .all().map(Self.progress)
            return PageOf(items: items, total: total, page: page)
        }
    }

    public func addProgress(_ p: ProgressReport, actor: Actor) async throws -> ProgressReport {
        try await backend.write { db in try await Self.insertProgress(db, p, actor: actor) }
    }

    static func insertProgress(_ db: any SQLDatabase, _ p: ProgressReport, actor: Actor) async throws -> ProgressReport {
        try await refuseLocked(db, p, actor: actor)
        if let existing = try await db.raw(
            """
            SELECT id FROM progress WHERE indicator_code = \(bind: p.indicatorCode) AND region_code = \(bind: p.regionCode)
              AND year = \(bind: p.year) AND month = \(bind: p.month)
            """
        ).first()?.decode(column: "id", as: Int64.self) {
            throw DuplicateFigure(existingId: existing)
        }
        let submitter: String? = p.state == .draft ? nil : actor.name
        let id: Int64
        do {
            id = try await db.raw(
                """
                INSERT INTO progress (indicator_code, region_code, year, month, value, state, note, updated_at, created_by, changed_by, submitted_by)
                VALUES (\(bind: p.indicatorCode), \(bind: p.regionCode), \(bind: p.year), \(bind: p.month), \(bind: p.value),
                        \(bind: p.state.rawValue), \(bind: p.note), \(bind: now()), \(bind: actor.name), \(bind: actor.name), \(bind: submitter)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        } catch  where isUniqueViolation(error) {
            // Another request saved the same figure between our check and our insert: the index decided.
            throw DuplicateFigure(existingId: nil)
        }
        try await addToTotals(db, [p])
        var saved = p
        saved.id = id
        try await audit(db, actor, entity: "progress", id: String(id), action: "create", before: ProgressReport?.none, after: saved)
        return saved
    }

    /// An import of figures: all of them in one transaction, or none.
    public func importProgress(_ rows: [ProgressReport], actor: Actor) async throws {
        try await backend.write { db in try await Self.insertProgressBatch(db, rows, actor: actor) }
    }

    /// Many figures at once, each with its own audit record, in statements of a few hundred rows: the same result as
    /// `insertProgress` row by row, in a fraction of the round trips (which is what a database server charges for).
    static func insertProgressBatch(_ db: any SQLDatabase, _ rows: [ProgressReport], actor: Actor) async throws {
        let now = now()
        // The locked periods read once (rounds are few), each row checked against them in memory.
        let locks = try await lockedPeriods(db, column: "indicators", today: actor.day)
        for p in rows where p.state != .returned {
            if let l = locks.first(where: {
                $0.items.contains(p.indicatorCode) && $0.year == p.year && $0.month == p.month && p.regionCode.hasPrefix($0.prefix)
            }) {
                throw RoundError.periodLocked(roundId: l.round)
            }
        }
        for start in stride(from: 0, to: rows.count, by: 400) {
            let part = Array(rows[start..<min(start + 400, rows.count)])
            var q: SQLQueryString =
                "INSERT INTO progress (indicator_code, region_code, year, month, value, state, note, updated_at, created_by, changed_by) VALUES "
            q += part.map { p -> SQLQueryString in
                "(\(bind: p.indicatorCode), \(bind: p.regionCode), \(bind: p.year), \(bind: p.month), \(bind: p.value), \(bind: p.state.rawValue), \(bind: p.note), \(bind: now), \(bind: actor.name), \(bind: actor.name))"
            }.joined(separator: ", ")
            q += " RETURNING id"
            // Both engines number the rows of one statement in the order of its VALUES.
            let ids = try await db.raw(q).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
            var a: SQLQueryString = "INSERT INTO audit_log (at, actor, address, entity, entity_id, action, before_json, after_json) VALUES "
            a += zip(part, ids).map { p, id -> SQLQueryString in
                var saved = p
                saved.id = id
                return
                    "(\(bind: now), \(bind: actor.name), \(bind: actor.address), 'progress', \(bind: String(id)), 'create', NULL, \(bind: json(saved)))"
            }.joined(separator: ", ")
            try await db.raw(a).run()
        }
        try await addToTotals(db, rows)
    }

    /// The figures that already exist for the periods of `rows` (by their position in `rows`), to name each clash
    /// of an import before anything is written.
    public func existingFigures(_ rows: [ProgressReport]) async throws -> [Int: Int64] {
        struct Key: Hashable {
            var i: String
            var r: String
            var y: Int
            var m: Int
        }
        var wanted: [Key: [Int]] = [:]
        for (n, p) in rows.enumerated() { wanted[Key(i: p.indicatorCode, r: p.regionCode, y: p.year, m: p.month), default: []].append(n) }
        guard !wanted.isEmpty else { return [:] }
        let lookup = wanted
        let years = Set(rows.map(\.year))
        let indicators = Set(rows.map(\.indicatorCode))
        return try await backend.read { db in
            var out: [Int: Int64] = [:]
            for r in try await db.raw(
                """
                SELECT id, indicator_code, region_code, year, month FROM progress
                WHERE year IN (\(binds: Array(years))) AND indicator_code IN (\(binds: Array(indicators)))
                """
            ).all() {
                let k = Key(
                    i: try r.decode(column: "indicator_code", as: String.self), r: try r.decode(column: "region_code", as: String.self),
                    y: try r.decode(column: "year", as: Int.self), m: try r.decode(column: "month", as: Int.self))
                for n in lookup[k] ?? [] { out[n] = try r.decode(column: "id", as: Int64.self) }
            }
            return out
        }
    }

    /// Actual values per indicator inside a region in a year: the roll-up of every report at or below it.
    public func actuals(year: Int, regionCode: String, counted: CountedStates = .approved) async throws -> [String: Int64] {
        let prefix = Region.scopePrefix(code: regionCode, level: ProjectDraft.levelOf(regionCode))
        return try await backend.read { db in
            var out: [String: Int64] = [:]
            for r in try await db.raw(
                """
                SELECT indicator_code, CAST(SUM(total) AS BIGINT) AS total FROM progress_totals
                WHERE year = \(bind: year) AND state IN (\(binds: counted.values)) AND region_code LIKE \(bind: prefix + "%")
                GROUP BY indicator_code
                """
            ).all() {
                out[try r.decode(column: "indicator_code", as: String.self)] = try r.decode(column: "total", as: Int64.self)
            }
            return out
        }
    }

    /// Actual values per child region (prefectures of a province, counties of a prefecture) and indicator, in one pass.
    public func actualsByChild(year: Int, parent: Region, counted: CountedStates = .approved) async throws -> [String: [String: Int64]] {
        let prefix = parent.scopePrefix
        let childLength = parent.level == .province ? 4 : 6
        return try await backend.read { db in
            var out: [String: [String: Int64]] = [:]
            for r in try await db.raw(
                """
                SELECT SUBSTR(region_code, 1, \(literal: childLength)) AS child, indicator_code, CAST(SUM(total) AS BIGINT) AS total
                FROM progress_totals WHERE year = \(bind: year) AND state IN (\(binds: counted.values)) AND region_code LIKE \(bind: prefix + "%")
                GROUP BY SUBSTR(region_code, 1, \(literal: childLength)), indicator_code
                """
            ).all() {
                var child = try r.decode(column: "child", as: String.self)
                if child.count < 6 { child += String(repeating: "0", count: 6 - child.count) }
                out[child, default: [:]][try r.decode(column: "indicator_code", as: String.self)] = try r.decode(column: "total", as: Int64.self)
            }
            return out
        }
    }

    /// Funding totals by kind for every project inside a region (prefix) — the dashboard's money overview.
    public func fundingTotals(regionCode: String, scope: RegionScope) async throws -> FundingSummary {
        let prefix = Region.scopePrefix(code: regionCode, level: ProjectDraft.levelOf(regionCode))
        return try await backend.read { db in
            var s = FundingSummary()
            for r in try await db.raw(
                """
                SELECT CAST(SUM(budget_fen) AS BIGINT) AS b, CAST(SUM(committed_fen) AS BIGINT) AS c, CAST(SUM(disbursed_fen) AS BIGINT) AS d, CAST(SUM(spent_fen) AS BIGINT) AS s
                FROM projects WHERE county_code LIKE \(bind: prefix + "%")
                """ + scopeSQL("county_code", scope)
            ).all() {
                s.budget = Money(fen: try r.decode(column: "b", as: Int64?.self) ?? 0)
                s.committed = Money(fen: try r.decode(column: "c", as: Int64?.self) ?? 0)
                s.disbursed = Money(fen: try r.decode(column: "d", as: Int64?.self) ?? 0)
                s.spent = Money(fen: try r.decode(column: "s", as: Int64?.self) ?? 0)
            }
            return s
        }
    }

    public func projectCount(regionCode: String? = nil, scope: RegionScope) async throws -> Int {
        try await backend.read { db in
            var q: SQLQueryString = "SELECT COUNT(*) AS n FROM projects WHERE 1 = 1"
            if let c = regionCode { q += " AND county_code LIKE \(bind: Region.scopePrefix(code: c, level: ProjectDraft.levelOf(c)) + "%")" }
            q += scopeSQL("county_code", scope)
            return try await db.raw(q).first()!.decode(column: "n", as: Int.self)
        }
    }
}

extension Store {
    /// Inserts many rows in one transaction with one audit record for the whole batch (what a file import or the
    /// benchmark generator does): all rows land, or none.
    public func bulkInsert(progress rows: [ProgressReport], actor: Actor, label: String) async throws {
        try await backend.write { db in
            for chunk in stride(from: 0, to: rows.count, by: 500) {
                let part = rows[chunk..<min(chunk + 500, rows.count)]
                var q: SQLQueryString =
                    "INSERT INTO progress (indicator_code, region_code, year, month, value, state, note, updated_at, created_by, changed_by) VALUES "
                let now = Self.now()
                q += part.map { p -> SQLQueryString in
                    "(\(bind: p.indicatorCode), \(bind: p.regionCode), \(bind: p.year), \(bind: p.month), \(bind: p.value), \(bind: p.state.rawValue), \(bind: p.note), \(bind: now), \(bind: actor.name), \(bind: actor.name))"
                }.joined(separator: ", ")
                try await db.raw(q).run()
            }
            try await Self.addToTotals(db, rows)
            try await Self.audit(db, actor, entity: "progress_batch", id: label, action: "import", before: Int?.none, after: rows.count)
        }
    }
}

extension Store {
    /// Adds reported values to the running totals, inside the caller's transaction.
    static func addToTotals(_ db: any SQLDatabase, _ rows: [ProgressReport]) async throws {
        struct Key: Hashable {
            var year: Int
            var state: String
            var indicator: String
            var region: String
        }
        var sums: [Key: Int64] = [:]
        for r in rows { sums[Key(year: r.year, state: r.state.rawValue, indicator: r.indicatorCode, region: r.regionCode), default: 0] += r.value }
        // One statement per few hundred totals (each key once per statement, as ON CONFLICT requires).
        let all = Array(sums)
        for start in stride(from: 0, to: all.count, by: 400) {
            var q: SQLQueryString = "INSERT INTO progress_totals (year, state, indicator_code, region_code, total) VALUES "
            q += all[start..<min(start + 400, all.count)].map { k, v -> SQLQueryString in
                "(\(bind: k.year), \(bind: k.state), \(bind: k.indicator), \(bind: k.region), \(bind: v))"
            }.joined(separator: ", ")
            q += " ON CONFLICT (year, state, indicator_code, region_code) DO UPDATE SET total = progress_totals.total + excluded.total"
            try await db.raw(q).run()
        }
    }
}

public enum ReviewError: Error, Equatable {
    case notAllowedFrom(ProgressState)
    case commentRequired, notEditable, ownWork
}

/// A second figure for an indicator, region and period that already has one (its id, when known).
public struct DuplicateFigure: Error, Equatable { public var existingId: Int64? }

extension Store {
    /// Whether a database error is a unique-constraint violation (SQLite's message, PostgreSQL's SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let e = error as? PSQLError { return e.serverInfo?[.sqlState] == "23505" }
        let text = String(describing: error)
        return text.contains("UNIQUE constraint failed") || text.contains("constraint failed: UNIQUE")
    }

    static func authorship(_ r: any SQLRow) throws -> Authorship {
        func col(_ name: String) -> String? { (try? r.decode(column: name, as: String?.self)) ?? nil }
        return Authorship(
            createdBy: col("created_by"), changedBy: col("changed_by"), submittedBy: col("submitted_by"),
            approvedBy: col("approved_by"), confirmedBy: col("confirmed_by"))
    }

    public func progressAuthors(id: Int64) async throws -> Authorship {
        try await backend.read { db in
            try await db.raw("SELECT * FROM progress WHERE id = \(bind: id)").first().map(Self.authorship) ?? Authorship()
        }
    }
}

extension Store {
    public func progressReport(id: Int64) async throws -> ProgressReport? {
        try await backend.read { db in try await db.raw("SELECT * FROM progress WHERE id = \(bind: id)").first().map(Self.progress) }
    }

    public func progressVersion(id: Int64) async throws -> Int64? {
        try await backend.read { db in
            try await db.raw("SELECT version FROM progress WHERE id = \(bind: id)").first()?.decode(column: "version", as: Int64.self)
        }
    }

    public func reviewComment(id: Int64) async throws -> String {
        try await backend.read { db in
            try await db.raw("SELECT review_comment FROM progress WHERE id = \(bind: id)").first()?.decode(column: "review_comment", as: String.self)
                ?? ""
        }
    }

    /// Moves a figure along the review chain, keeping the running totals per state in step, in one transaction.
    public func review(progressId: Int64, _ action: ProgressState.Action, comment: String, actor: Actor) async throws -> ProgressReport {
        try await backend.write { db in try await Self.moveFigure(db, progressId, action, comment: comment, actor: actor) }
    }

    static func moveFigure(
        _ db: any SQLDatabase, _ progressId: Int64, _ action: ProgressState.Action, comment: String, actor: Actor
    ) async throws -> ProgressReport {
        guard let row = try await db.raw("SELECT * FROM progress WHERE id = \(bind: progressId)").first() else { throw StoreError.notFound }
        let before = try Self.progress(from: row)
        guard let next = before.state.after(action) else { throw ReviewError.notAllowedFrom(before.state) }
        if action == .return && comment.trimmingWhitespace().isEmpty { throw ReviewError.commentRequired }
        // Checked here, in the transaction that approves, so no route can forget it.
        let authors = try Self.authorship(row)
        if action == .approve && (actor.name == nil || authors.isAuthor(actor.name)) { throw ReviewError.ownWork }
        let who: SQLQueryString
        switch action {
        case .submit: who = "submitted_by = \(bind: actor.name), approved_by = NULL"
        case .approve: who = "approved_by = \(bind: actor.name)"
        case .return: who = "approved_by = NULL"
        }
        try await db.raw(
            """
            UPDATE progress SET state = \(bind: next.rawValue), review_comment = \(bind: action == .return ? comment : ""),
              version = version + 1, updated_at = \(bind: Self.now()), \(who) WHERE id = \(bind: progressId)
            """
        ).run()
        var moved = before
        moved.value = -before.value
        try await Self.addToTotals(db, [moved])
        var after = before
        after.state = next
        try await Self.addToTotals(db, [after])
        try await Self.audit(db, actor, entity: "progress", id: String(progressId), action: action.rawValue, before: before, after: after)
        return after
    }

    /// Corrects the value of a draft or returned figure, if it is still at `expectedVersion` (conflict otherwise).
    public func correct(progressId: Int64, value: Int64, expectedVersion: Int64?, actor: Actor) async throws -> ProgressReport {
        try await backend.write { db in
            guard let row = try await db.raw("SELECT * FROM progress WHERE id = \(bind: progressId)").first() else {
                throw StoreError.notFound
            }
            let before = try Self.progress(from: row)
            guard before.state.editable else { throw ReviewError.notEditable }
            try await Self.refuseLocked(db, before, actor: actor)
            guard try row.decode(column: "version", as: Int64.self) == expectedVersion else { throw StoreError.conflict }
            try await db.raw(
                """
                UPDATE progress SET value = \(bind: value), version = version + 1, updated_at = \(bind: Self.now()), changed_by = \(bind: actor.name)
                WHERE id = \(bind: progressId)
                """
            ).run()
            var delta = before
            delta.value = value - before.value
            try await Self.addToTotals(db, [delta])
            var after = before
            after.value = value
            try await Self.audit(db, actor, entity: "progress", id: String(progressId), action: "correct", before: before, after: after)
            return after
        }
    }
}

extension Store {
    /// One indicator's actual per county inside a region (a province or prefecture prefix) in a year — the map's
    /// colours. Reports made for a whole prefecture or the province belong to no county and are not counted here.
    public func actualsByCounty(
        year: Int, within prefix: String, indicatorCode: String, counted: CountedStates = .approved
    ) async throws
        -> [String: Int64]
    {
        try await backend.read { db in
            var out: [String: Int64] = [:]
            for r in try await db.raw(
                """
                SELECT region_code, CAST(SUM(total) AS BIGINT) AS total FROM progress_totals
                WHERE year = \(bind: year) AND state IN (\(binds: counted.values)) AND indicator_code = \(bind: indicatorCode)
                AND region_code LIKE \(bind: prefix + "%") GROUP BY region_code
                """
            ).all() {
                let code = try r.decode(column: "region_code", as: String.self)
                guard code.count == 6, !code.hasSuffix("00") else { continue }
                out[code] = try r.decode(column: "total", as: Int64.self)
            }
            return out
        }
    }

    /// The month-by-month sums of every indicator inside a region in a year (a trend line per indicator).
    public func monthlyActuals(year: Int, within prefix: String, counted: CountedStates = .approved) async throws -> [String: [Int: Int64]] {
        try await backend.read { db in
            var out: [String: [Int: Int64]] = [:]
            for r in try await db.raw(
                """
                SELECT indicator_code, month, CAST(SUM(value) AS BIGINT) AS total FROM progress
                WHERE year = \(bind: year) AND state IN (\(binds: counted.values)) AND region_code LIKE \(bind: prefix + "%")
                GROUP BY indicator_code, month
                """
            ).all() {
                out[try r.decode(column: "indicator_code", as: String.self), default: [:]][try r.decode(column: "month", as: Int.self)] =
                    try r.decode(column: "total", as: Int64.self)
            }
            return out
        }
    }
}

extension Store {
    /// Approved totals per reported region and indicator inside the given prefixes in a year: the public portal's
    /// figures (nothing submitted, drafted or returned is ever among them).
    public func approvedTotals(year: Int, within prefixes: [String]) async throws -> [(region: String, indicator: String, total: Int64)] {
        guard !prefixes.isEmpty else { return [] }
        return try await backend.read { db in
            var q: SQLQueryString = """
                SELECT region_code, indicator_code, CAST(SUM(total) AS BIGINT) AS total FROM progress_totals
                WHERE year = \(bind: year) AND state = \(bind: ProgressState.approved.rawValue) AND (
                """
            for (i, p) in prefixes.enumerated() { q += (i == 0 ? "" : " OR ") + "region_code LIKE \(bind: p + "%")" }
            q += ") GROUP BY region_code, indicator_code ORDER BY region_code, indicator_code"
            return try await db.raw(q).all().map {
                (
                    try $0.decode(column: "region_code", as: String.self), try $0.decode(column: "indicator_code", as: String.self),
                    try $0.decode(column: "total", as: Int64.self)
                )
            }
        }
    }

    /// The data's version (moved by every write): what a public answer's ETag is made of.
    public func dataVersion() async throws -> Int64 {
        try await backend.read { db in
            try await db.raw("SELECT n FROM data_version WHERE id = 1").first()?.decode(column: "n", as: Int64.self) ?? 0
        }
    }
}
