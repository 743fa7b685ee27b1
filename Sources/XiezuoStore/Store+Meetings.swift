import Foundation
import SQLKit
import XiezuoDomain

/// Which follow-up tasks to list: of some meetings, owned inside some regions, in one state as of a day.
public struct TaskFilter: Sendable, Hashable {
    public var meetingIds: [Int64]?
    public var pairingIds: [Int64]?
    public var ownerPrefixes: [String]?
    public var state: TaskState?
    public var today: Day
    public init(
        meetingIds: [Int64]? = nil, pairingIds: [Int64]? = nil, ownerPrefixes: [String]? = nil, state: TaskState? = nil,
        today: Day
    ) {
        self.meetingIds = meetingIds
        self.pairingIds = pairingIds
        self.ownerPrefixes = ownerPrefixes
        self.state = state
        self.today = today
    }
}

/// A pairing's assessment of one year as stored: weights, the self-assessment and the partner's comment.
public struct AssessmentRecord: Sendable, Hashable, Codable {
    public var pairingId: Int64
    public var year: Int
    public var selfAssessment: String
    public var partnerComment: String
    public var weights: [String: Int]
    public var version: Int64
    public init(
        pairingId: Int64, year: Int, selfAssessment: String = "", partnerComment: String = "", weights: [String: Int] = [:],
        version: Int64 = 0
    ) {
        self.pairingId = pairingId
        self.year = year
        self.selfAssessment = selfAssessment
        self.partnerComment = partnerComment
        self.weights = weights
        self.version = version
    }
}

extension Store {
    static func meeting(from r: any SQLRow) throws -> Meeting {
        Meeting(
            id: try r.decode(column: "id", as: Int64.self), pairingId: try r.decode(column: "pairing_id", as: Int64.self),
            kind: MeetingKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .jointConference,
            title: try r.decode(column: "title", as: String.self),
            date: Day(try r.decode(column: "date", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
            endDate: try r.decode(column: "end_date", as: String?.self).flatMap(Day.init),
            place: try r.decode(column: "place", as: String.self),
            hostSide: Side(rawValue: try r.decode(column: "host_side", as: String.self)) ?? .east,
            summary: try r.decode(column: "summary", as: String.self),
            agenda: try r.decode(column: "agenda", as: String.self), minutes: try r.decode(column: "minutes", as: String.self),
            isDemo: try r.decode(column: "is_demo", as: Int.self) != 0, version: try r.decode(column: "version", as: Int64.self))
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

    public func createMeeting(_ m: Meeting, actor: Actor) async throws -> Meeting {
        try await backend.write { db in try await Self.insertMeeting(db, m, actor: actor) }
    }

    static func insertMeeting(_ db: any SQLDatabase, _ m: Meeting, actor: Actor) async throws -> Meeting {
        let id = try await db.raw(
            """
            INSERT INTO meetings (pairing_id, kind, title, date, end_date, place, host_side, summary, agenda, minutes, is_demo, version)
            VALUES (\(bind: m.pairingId), \(bind: m.kind.rawValue), \(bind: m.title), \(bind: m.date.description),
                    \(bind: m.endDate?.description), \(bind: m.place), \(bind: m.hostSide.rawValue), \(bind: m.summary),
                    \(bind: m.agenda), \(bind: m.minutes), \(bind: m.isDemo ? 1 : 0), 1) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = m
        saved.id = id
        saved.version = 1
        try await audit(db, actor, entity: "meeting", id: String(id), action: "create", before: Meeting?.none, after: saved)
        return saved
    }

    /// Changes a meeting's record if nobody changed it since `expectedVersion` was read (conflict otherwise).
    public func updateMeeting(_ m: Meeting, expectedVersion: Int64, actor: Actor) async throws -> Meeting {
        try await backend.write { db in
            guard let before = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: m.id)").first().map(Self.meeting) else {
                throw StoreError.notFound
            }
            guard before.version == expectedVersion else { throw StoreError.conflict }
            try await db.raw(
                """
                UPDATE meetings SET kind = \(bind: m.kind.rawValue), title = \(bind: m.title), date = \(bind: m.date.description),
                  end_date = \(bind: m.endDate?.description), place = \(bind: m.place), host_side = \(bind: m.hostSide.rawValue),
                  summary = \(bind: m.summary), agenda = \(bind: m.agenda), minutes = \(bind: m.minutes), version = version + 1
                WHERE id = \(bind: m.id) AND version = \(bind: expectedVersion)
                """
            ).run()
            var after = m
            after.pairingId = before.pairingId
            after.isDemo = before.isDemo
            after.version = before.version + 1
            try await Self.audit(db, actor, entity: "meeting", id: String(m.id), action: "update", before: before, after: after)
            return after
        }
    }

    // MARK: attendees, itinerary, decisions

    static func attendee(from r: any SQLRow) throws -> Attendee {
        Attendee(
            id: try r.decode(column: "id", as: Int64.self), meetingId: try r.decode(column: "meeting_id", as: Int64.self),
            name: try r.decode(column: "name", as: String.self), position: try r.decode(column: "position", as: String.self),
            side: Side(rawValue: try r.decode(column: "side", as: String.self)) ?? .east)
    }

    public func attendees(meetingId: Int64) async throws -> [Attendee] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM meeting_attendees WHERE meeting_id = \(bind: meetingId) ORDER BY id").all().map(Self.attendee)
        }
    }

    /// Everyone who attended any meeting, for recognising people in documents.
    public func knownPeople() async throws -> [Attendee] {
        try await backend.read { db in try await db.raw("SELECT * FROM meeting_attendees ORDER BY id").all().map(Self.attendee) }
    }

    public func addAttendee(_ a: Attendee, actor: Actor) async throws -> Attendee {
        try await backend.write { db in try await Self.insertAttendee(db, a, actor: actor) }
    }

    static func insertAttendee(_ db: any SQLDatabase, _ a: Attendee, actor: Actor) async throws -> Attendee {
        let id = try await db.raw(
            """
            INSERT INTO meeting_attendees (meeting_id, name, position, side)
            VALUES (\(bind: a.meetingId), \(bind: a.name), \(bind: a.position), \(bind: a.side.rawValue)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = a
        saved.id = id
        try await audit(db, actor, entity: "attendee", id: String(id), action: "create", before: Attendee?.none, after: saved)
        return saved
    }

    public func stops(meetingId: Int64) async throws -> [ItineraryStop] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM itinerary_stops WHERE meeting_id = \(bind: meetingId) ORDER BY id").all().map { r in
                ItineraryStop(
                    id: try r.decode(column: "id", as: Int64.self), meetingId: meetingId,
                    date: try r.decode(column: "date", as: String?.self).flatMap(Day.init),
                    city: try r.decode(column: "city", as: String.self), name: try r.decode(column: "name", as: String.self),
                    kind: StopKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .site)
            }
        }
    }

    public func addStop(_ s: ItineraryStop, actor: Actor) async throws -> ItineraryStop {
        try await backend.write { db in try await Self.insertStop(db, s, actor: actor) }
    }

    static func insertStop(_ db: any SQLDatabase, _ s: ItineraryStop, actor: Actor) async throws -> ItineraryStop {
        let id = try await db.raw(
            """
            INSERT INTO itinerary_stops (meeting_id, date, city, name, kind)
            VALUES (\(bind: s.meetingId), \(bind: s.date?.description), \(bind: s.city), \(bind: s.name), \(bind: s.kind.rawValue)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = s
        saved.id = id
        try await audit(db, actor, entity: "itinerary_stop", id: String(id), action: "create", before: ItineraryStop?.none, after: saved)
        return saved
    }

    static func decision(from r: any SQLRow) throws -> Decision {
        Decision(
            id: try r.decode(column: "id", as: Int64.self), meetingId: try r.decode(column: "meeting_id", as: Int64.self),
            workArea: try r.decode(column: "work_area", as: String?.self).flatMap(WorkArea.init(rawValue:)),
            text: try r.decode(column: "text", as: String.self))
    }

    public func decisions(meetingId: Int64) async throws -> [Decision] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM decisions WHERE meeting_id = \(bind: meetingId) ORDER BY id").all().map(Self.decision)
        }
    }

    public func decision(id: Int64) async throws -> Decision? {
        try await backend.read { db in try await db.raw("SELECT * FROM decisions WHERE id = \(bind: id)").first().map(Self.decision) }
    }

    public func addDecision(_ d: Decision, actor: Actor) async throws -> Decision {
        try await backend.write { db in try await Self.insertDecision(db, d, actor: actor) }
    }

    static func insertDecision(_ db: any SQLDatabase, _ d: Decision, actor: Actor) async throws -> Decision {
        let id = try await db.raw(
            """
            INSERT INTO decisions (meeting_id, work_area, text)
            VALUES (\(bind: d.meetingId), \(bind: d.workArea?.rawValue), \(bind: d.text)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = d
        saved.id = id
        try await audit(db, actor, entity: "decision", id: String(id), action: "create", before: Decision?.none, after: saved)
        return saved
    }

    // MARK: follow-up tasks

    static func task(from r: any SQLRow) throws -> FollowUpTask {
        FollowUpTask(
            id: try r.decode(column: "id", as: Int64.self), decisionId: try r.decode(column: "decision_id", as: Int64.self),
            meetingId: try r.decode(column: "meeting_id", as: Int64.self), title: try r.decode(column: "title", as: String.self),
            ownerOffice: try r.decode(column: "owner_office", as: String.self),
            ownerRegionCode: try r.decode(column: "owner_region_code", as: String.self),
            deadline: Day(try r.decode(column: "deadline", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
            status: TaskStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .open,
            doneOn: try r.decode(column: "done_on", as: String?.self).flatMap(Day.init),
            isDemo: try r.decode(column: "is_demo", as: Int.self) != 0, version: try r.decode(column: "version", as: Int64.self))
    }

    /// Tasks in deadline order. The overdue state is a date comparison, so it is filtered in SQL as one.
    public func tasks(_ f: TaskFilter) async throws -> [FollowUpTask] {
        try await backend.read { db in
            try await db.raw(
                "SELECT t.* FROM follow_up_tasks t JOIN meetings m ON m.id = t.meeting_id" + Self.taskWhere(f) + " ORDER BY t.deadline, t.id"
            )
            .all().map(Self.task)
        }
    }

    /// How many tasks a filter selects and the first `limit` of them, those owned within `firstWithin` (the reader's
    /// own office) first, then by deadline: the dashboard's overdue list, without reading every task.
    public func tasks(_ f: TaskFilter, firstWithin prefix: String, limit: Int) async throws -> (count: Int, first: [FollowUpTask]) {
        try await backend.read { db in
            let w = Self.taskWhere(f)
            let count = try await db.raw("SELECT COUNT(*) AS n FROM follow_up_tasks t JOIN meetings m ON m.id = t.meeting_id" + w).first()!
                .decode(column: "n", as: Int.self)
            let first = try await db.raw(
                "SELECT t.* FROM follow_up_tasks t JOIN meetings m ON m.id = t.meeting_id" + w
                    + " ORDER BY CASE WHEN t.owner_region_code LIKE \(bind: prefix + "%") THEN 0 ELSE 1 END, t.deadline, t.id LIMIT \(bind: limit)"
            ).all().map(Self.task)
            return (count, first)
        }
    }

    /// The conditions of a task filter (tasks `t` joined to their meetings `m`).
    static func taskWhere(_ f: TaskFilter) -> SQLQueryString {
        var q: SQLQueryString = " WHERE 1 = 1"
        if let ids = f.meetingIds { q += ids.isEmpty ? " AND 1 = 0" : " AND t.meeting_id IN (\(binds: ids))" }
        if let ids = f.pairingIds { q += ids.isEmpty ? " AND 1 = 0" : " AND m.pairing_id IN (\(binds: ids))" }
        if let owner = f.ownerPrefixes { q += scopeSQL("t.owner_region_code", .within(owner)) }
        let today = f.today.description
        switch f.state {
        case nil: break
        case .done: q += " AND t.status = 'done'"
        case .overdue: q += " AND t.status <> 'done' AND t.deadline < \(bind: today)"
        case .open: q += " AND t.status = 'open' AND t.deadline >= \(bind: today)"
        case .inProgress: q += " AND t.status = 'in_progress' AND t.deadline >= \(bind: today)"
        }
        return q
    }

    public func followUpTask(id: Int64) async throws -> FollowUpTask? {
        try await backend.read { db in try await db.raw("SELECT * FROM follow_up_tasks WHERE id = \(bind: id)").first().map(Self.task) }
    }

    public func createTask(_ t: FollowUpTask, actor: Actor) async throws -> FollowUpTask {
        try await backend.write { db in try await Self.insertTask(db, t, actor: actor) }
    }

    static func insertTask(_ db: any SQLDatabase, _ t: FollowUpTask, actor: Actor) async throws -> FollowUpTask {
        let now = now()
        let id = try await db.raw(
            """
            INSERT INTO follow_up_tasks (decision_id, meeting_id, title, owner_office, owner_region_code, deadline, status, done_on,
                                         is_demo, version, created_at, updated_at)
            VALUES (\(bind: t.decisionId), \(bind: t.meetingId), \(bind: t.title), \(bind: t.ownerOffice), \(bind: t.ownerRegionCode),
                    \(bind: t.deadline.description), \(bind: t.status.rawValue), \(bind: t.doneOn?.description), \(bind: t.isDemo ? 1 : 0),
                    1, \(bind: now), \(bind: now)) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = t
        saved.id = id
        saved.version = 1
        try await audit(db, actor, entity: "task", id: String(id), action: "create", before: FollowUpTask?.none, after: saved)
        return saved
    }

    public func taskUpdates(taskId: Int64) async throws -> [TaskUpdate] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM task_updates WHERE task_id = \(bind: taskId) ORDER BY date, id").all().map { r in
                TaskUpdate(
                    id: try r.decode(column: "id", as: Int64.self), taskId: taskId,
                    date: Day(try r.decode(column: "date", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
                    text: try r.decode(column: "text", as: String.self), evidence: try r.decode(column: "evidence", as: String.self),
                    status: TaskStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .inProgress,
                    author: try r.decode(column: "author", as: String.self))
            }
        }
    }

    /// Records an update and sets the task's status from it, in one transaction. With `expectedVersion`, a task changed
    /// since it was read is a conflict and nothing is written.
    public func postUpdate(_ u: TaskUpdate, expectedVersion: Int64?, actor: Actor) async throws -> FollowUpTask {
        try await backend.write { db in try await Self.insertUpdate(db, u, expectedVersion: expectedVersion, actor: actor) }
    }

    static func insertUpdate(_ db: any SQLDatabase, _ u: TaskUpdate, expectedVersion: Int64?, actor: Actor) async throws -> FollowUpTask {
        guard let before = try await db.raw("SELECT * FROM follow_up_tasks WHERE id = \(bind: u.taskId)").first().map(Self.task) else {
            throw StoreError.notFound
        }
        if let expectedVersion, expectedVersion != before.version { throw StoreError.conflict }
        let id = try await db.raw(
            """
            INSERT INTO task_updates (task_id, date, text, evidence, status, author, created_at)
            VALUES (\(bind: u.taskId), \(bind: u.date.description), \(bind: u.text), \(bind: u.evidence), \(bind: u.status.rawValue),
                    \(bind: u.author), \(bind: now())) RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        var saved = u
        saved.id = id
        try await audit(db, actor, entity: "task_update", id: String(id), action: "create", before: TaskUpdate?.none, after: saved)
        var after = before
        after.status = u.status
        after.doneOn = u.status == .done ? (before.doneOn ?? u.date) : nil
        after.version = before.version + 1
        try await db.raw(
            """
            UPDATE follow_up_tasks SET status = \(bind: after.status.rawValue), done_on = \(bind: after.doneOn?.description),
              version = version + 1, updated_at = \(bind: now()) WHERE id = \(bind: before.id)
            """
        ).run()
        try await audit(db, actor, entity: "task", id: String(before.id), action: "update", before: before, after: after)
        return after
    }

    // MARK: assessments

    public func assessment(pairingId: Int64, year: Int) async throws -> AssessmentRecord {
        try await backend.read { db in
            guard let r = try await db.raw("SELECT * FROM assessments WHERE pairing_id = \(bind: pairingId) AND year = \(bind: year)").first() else {
                return AssessmentRecord(pairingId: pairingId, year: year)
            }
            return try Self.assessment(from: r)
        }
    }

    static func assessment(from r: any SQLRow) throws -> AssessmentRecord {
        let weights = try r.decode(column: "weights_json", as: String.self)
        return AssessmentRecord(
            pairingId: try r.decode(column: "pairing_id", as: Int64.self), year: try r.decode(column: "year", as: Int.self),
            selfAssessment: try r.decode(column: "self_assessment", as: String.self),
            partnerComment: try r.decode(column: "partner_comment", as: String.self),
            weights: (try? JSONDecoder().decode([String: Int].self, from: Data(weights.utf8))) ?? [:],
            version: try r.decode(column: "version", as: Int64.self))
    }

    /// The stored assessments of a pairing, every year, oldest first.
    public func assessments(pairingId: Int64) async throws -> [AssessmentRecord] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM assessments WHERE pairing_id = \(bind: pairingId) ORDER BY year").all().map(Self.assessment)
        }
    }

    /// Saves the record if it is still at `expected.version` (0: not yet stored); conflict otherwise.
    public func saveAssessment(_ a: AssessmentRecord, actor: Actor) async throws -> AssessmentRecord {
        try await backend.write { db in try await Self.upsertAssessment(db, a, actor: actor) }
    }

    static func upsertAssessment(_ db: any SQLDatabase, _ a: AssessmentRecord, actor: Actor) async throws -> AssessmentRecord {
        let current = try await db.raw("SELECT * FROM assessments WHERE pairing_id = \(bind: a.pairingId) AND year = \(bind: a.year)")
            .first().map(Self.assessment)
        guard (current?.version ?? 0) == a.version else { throw StoreError.conflict }
        let weights = json(a.weights) ?? "{}"
        var after = a
        after.version = a.version + 1
        if current == nil {
            try await db.raw(
                """
                INSERT INTO assessments (pairing_id, year, self_assessment, partner_comment, weights_json, version, updated_at)
                VALUES (\(bind: a.pairingId), \(bind: a.year), \(bind: a.selfAssessment), \(bind: a.partnerComment), \(bind: weights), 1, \(bind: now()))
                """
            ).run()
        } else {
            try await db.raw(
                """
                UPDATE assessments SET self_assessment = \(bind: a.selfAssessment), partner_comment = \(bind: a.partnerComment),
                  weights_json = \(bind: weights), version = version + 1, updated_at = \(bind: now())
                WHERE pairing_id = \(bind: a.pairingId) AND year = \(bind: a.year)
                """
            ).run()
        }
        try await audit(
            db, actor, entity: "assessment", id: "\(a.pairingId)-\(a.year)", action: current == nil ? "create" : "update",
            before: current, after: after)
        return after
    }
}
