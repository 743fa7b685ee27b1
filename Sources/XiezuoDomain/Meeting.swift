public enum MeetingKind: String, Sendable, Codable, CaseIterable {
    case jointConference = "joint_conference"  // 联席会议
    case workingMeeting = "working_meeting"  // 工作会议
    case studyVisit = "study_visit"  // 考察
}

/// A meeting of a pairing: a joint conference, a working meeting or a study visit (which may last several days).
public struct Meeting: Sendable, Hashable, Codable {
    public var id: Int64
    public var pairingId: Int64
    public var kind: MeetingKind
    public var title: String
    public var date: Day
    public var endDate: Day?
    public var place: String
    public var hostSide: Side
    public var summary: String
    public var agenda: String
    public var minutes: String
    public var isDemo: Bool
    public var version: Int64
    public init(
        id: Int64, pairingId: Int64, kind: MeetingKind, title: String, date: Day, endDate: Day? = nil, place: String,
        hostSide: Side = .east, summary: String, agenda: String = "", minutes: String = "", isDemo: Bool, version: Int64 = 1
    ) {
        self.id = id
        self.pairingId = pairingId
        self.kind = kind
        self.title = title
        self.date = date
        self.endDate = endDate
        self.place = place
        self.hostSide = hostSide
        self.summary = summary
        self.agenda = agenda
        self.minutes = minutes
        self.isDemo = isDemo
        self.version = version
    }
}

/// Someone who attended a meeting, with the position held then and the side represented.
public struct Attendee: Sendable, Hashable, Codable {
    public var id: Int64
    public var meetingId: Int64
    public var name: String
    public var position: String
    public var side: Side
    public init(id: Int64, meetingId: Int64, name: String, position: String, side: Side) {
        self.id = id
        self.meetingId = meetingId
        self.name = name
        self.position = position
        self.side = side
    }
}

public enum StopKind: String, Sendable, Codable, CaseIterable { case site, enterprise }

/// One place a study visit went to.
public struct ItineraryStop: Sendable, Hashable, Codable {
    public var id: Int64
    public var meetingId: Int64
    public var date: Day?
    public var city: String
    public var name: String
    public var kind: StopKind
    public init(id: Int64, meetingId: Int64, date: Day?, city: String, name: String, kind: StopKind) {
        self.id = id
        self.meetingId = meetingId
        self.date = date
        self.city = city
        self.name = name
        self.kind = kind
    }
}

/// What a meeting decided; followed up through tasks.
public struct Decision: Sendable, Hashable, Codable {
    public var id: Int64
    public var meetingId: Int64
    public var workArea: WorkArea?
    public var text: String
    public init(id: Int64, meetingId: Int64, workArea: WorkArea?, text: String) {
        self.id = id
        self.meetingId = meetingId
        self.workArea = workArea
        self.text = text
    }
}

/// The status an owner sets on a follow-up task.
public enum TaskStatus: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case done
}

/// What a task shows: its status, or overdue when its deadline has passed and it is not done. Overdue is derived
/// from the date, never stored, so no task can be overdue and marked open at once.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case done
    case overdue
}

/// A follow-up task (督办事项) from a decision: one owner office in one region, a deadline, a status.
public struct FollowUpTask: Sendable, Hashable, Codable {
    public var id: Int64
    public var decisionId: Int64
    public var meetingId: Int64
    public var title: String
    public var ownerOffice: String
    public var ownerRegionCode: String
    public var deadline: Day
    public var status: TaskStatus
    public var doneOn: Day?
    public var isDemo: Bool
    public var version: Int64
    public init(
        id: Int64, decisionId: Int64, meetingId: Int64, title: String, ownerOffice: String, ownerRegionCode: String,
        deadline: Day, status: TaskStatus = .open, doneOn: Day? = nil, isDemo: Bool = false, version: Int64 = 1
    ) {
        self.id = id
        self.decisionId = decisionId
        self.meetingId = meetingId
        self.title = title
        self.ownerOffice = ownerOffice
        self.ownerRegionCode = ownerRegionCode
        self.deadline = deadline
        self.status = status
        self.doneOn = doneOn
        self.isDemo = isDemo
        self.version = version
    }

    /// Overdue from the day after the deadline; a task done late stays done.
    public func state(on today: Day) -> TaskState {
        if status == .done { return .done }
        if today > deadline { return .overdue }
        return status == .open ? .open : .inProgress
    }
}

/// A dated progress update on a task, with its evidence (a reference, a link, a document number).
public struct TaskUpdate: Sendable, Hashable, Codable {
    public var id: Int64
    public var taskId: Int64
    public var date: Day
    public var text: String
    public var evidence: String
    public var status: TaskStatus
    public var author: String
    public init(id: Int64, taskId: Int64, date: Day, text: String, evidence: String, status: TaskStatus, author: String) {
        self.id = id
        self.taskId = taskId
        self.date = date
        self.text = text
        self.evidence = evidence
        self.status = status
        self.author = author
    }
}

/// A meeting form or API body before validation.
public struct MeetingDraft: Sendable, Codable, Hashable {
    public var kind: String?, pairingId: String?, title: String?, date: String?, endDate: String?, place: String?
    public var hostSide: String?, summary: String?, agenda: String?, minutes: String?
    public init(
        kind: String? = nil, pairingId: String? = nil, title: String? = nil, date: String? = nil, endDate: String? = nil,
        place: String? = nil, hostSide: String? = nil, summary: String? = nil, agenda: String? = nil, minutes: String? = nil
    ) {
        self.kind = kind
        self.pairingId = pairingId
        self.title = title
        self.date = date
        self.endDate = endDate
        self.place = place
        self.hostSide = hostSide
        self.summary = summary
        self.agenda = agenda
        self.minutes = minutes
    }

    public func validate(pairing: Pairing?) -> Result<Meeting, ValidationFailure> {
        var v = Validator()
        let kind = v.choice("kind", kind, MeetingKind.self)
        if (pairingId ?? "").trimmingWhitespace().isEmpty {
            v.fail("pairingId", "error.required")
        } else if pairing == nil {
            v.fail("pairingId", "error.unknown_pairing")
        }
        let title = v.text("title", title, max: 200)
        let date = v.day("date", date, required: true)
        let end = v.day("endDate", endDate)
        if let date, let end, end < date { v.fail("endDate", "error.end_before_start") }
        let place = v.text("place", place, max: 200)
        let host = (hostSide ?? "").isEmpty ? Side.east : v.choice("hostSide", hostSide, Side.self)
        let summary = v.text("summary", summary, required: false, max: 5000)
        let agenda = v.text("agenda", agenda, required: false, max: 5000)
        let minutes = v.text("minutes", minutes, required: false, max: 50_000)
        return v.result(
            Meeting(
                id: 0, pairingId: pairing?.id ?? 0, kind: kind ?? .workingMeeting, title: title,
                date: date ?? Day(year: 2000, month: 1, day: 1)!, endDate: end, place: place,
                hostSide: host ?? .east, summary: summary, agenda: agenda, minutes: minutes, isDemo: false))
    }
}

public enum FollowUpRules {
    public static func attendee(name: String?, position: String?, side: String?, meetingId: Int64) -> Result<Attendee, ValidationFailure> {
        var v = Validator()
        let n = v.text("name", name, max: 50)
        let p = v.text("position", position, required: false, max: 200)
        let s = v.choice("side", side, Side.self)
        return v.result(Attendee(id: 0, meetingId: meetingId, name: n, position: p, side: s ?? .east))
    }

    public static func decision(text: String?, workArea: String?, meetingId: Int64) -> Result<Decision, ValidationFailure> {
        var v = Validator()
        let t = v.text("text", text, max: 2000)
        let area = (workArea ?? "").isEmpty ? nil : v.choice("workArea", workArea, WorkArea.self)
        return v.result(Decision(id: 0, meetingId: meetingId, workArea: area, text: t))
    }

    public static func stop(date: String?, city: String?, name: String?, kind: String?, meetingId: Int64) -> Result<ItineraryStop, ValidationFailure>
    {
        var v = Validator()
        let d = v.day("date", date)
        let c = v.text("city", city, max: 50)
        let n = v.text("name", name, max: 200)
        let k = (kind ?? "").isEmpty ? StopKind.site : v.choice("kind", kind, StopKind.self)
        return v.result(ItineraryStop(id: 0, meetingId: meetingId, date: d, city: c, name: n, kind: k ?? .site))
    }

    /// A task's owner region must exist and lie on a side of the meeting's pairing.
    public static func task(
        title: String?, ownerOffice: String?, ownerRegion: Region?, ownerRegionText: String?, deadline: String?,
        pairing: Pairing, decision: Decision
    ) -> Result<FollowUpTask, ValidationFailure> {
        var v = Validator()
        let t = v.text("title", title, max: 500)
        let office = v.text("ownerOffice", ownerOffice, max: 100)
        if (ownerRegionText ?? "").trimmingWhitespace().isEmpty {
            v.fail("ownerRegionCode", "error.required")
        } else if let r = ownerRegion {
            let sides = [pairing.eastCode, pairing.westCode].map { Region.scopePrefix(code: $0, level: ProjectDraft.levelOf($0)) }
            if !sides.contains(where: { r.code.hasPrefix($0) }) { v.fail("ownerRegionCode", "error.region_outside_pairing") }
        } else {
            v.fail("ownerRegionCode", "error.unknown_region")
        }
        let d = v.day("deadline", deadline, required: true)
        return v.result(
            FollowUpTask(
                id: 0, decisionId: decision.id, meetingId: decision.meetingId, title: t, ownerOffice: office,
                ownerRegionCode: ownerRegion?.code ?? "", deadline: d ?? Day(year: 2000, month: 1, day: 1)!))
    }

    public static func update(
        date: String?, text: String?, evidence: String?, status: String?, taskId: Int64,
        author: String
    ) -> Result<TaskUpdate, ValidationFailure> {
        var v = Validator()
        let d = v.day("date", date, required: true)
        let t = v.text("text", text, max: 5000)
        let e = v.text("evidence", evidence, required: false, max: 500)
        let s = v.choice("status", status, TaskStatus.self)
        return v.result(
            TaskUpdate(
                id: 0, taskId: taskId, date: d ?? Day(year: 2000, month: 1, day: 1)!, text: t, evidence: e,
                status: s ?? .inProgress, author: author))
    }
}
