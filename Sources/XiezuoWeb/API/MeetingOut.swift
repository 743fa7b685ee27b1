import XiezuoDomain

// Meetings, their decisions and the follow-up tasks in the API.

struct MeetingOut: Codable, Sendable {
    let id: Int64
    let pairingId: Int64
    let kind: String
    let title: String
    let date: String
    @Null var endDate: String?
    let place: String
    let hostSide: String
    let summary: String
    let agenda: String
    let minutes: String
    let demo: Bool
    let version: Int64

    init(_ m: Meeting) {
        id = m.id
        pairingId = m.pairingId
        kind = m.kind.rawValue
        title = m.title
        date = m.date.description
        endDate = m.endDate?.description
        place = m.place
        hostSide = m.hostSide.rawValue
        summary = m.summary
        agenda = m.agenda
        minutes = m.minutes
        demo = m.isDemo
        version = m.version
    }
}

struct AttendeeOut: Codable, Sendable {
    let id: Int64
    let name: String
    let position: String
    let side: String

    init(_ a: Attendee) {
        id = a.id
        name = a.name
        position = a.position
        side = a.side.rawValue
    }
}

struct StopOut: Codable, Sendable {
    let id: Int64
    @Null var date: String?
    let city: String
    let name: String
    let kind: String

    init(_ s: ItineraryStop) {
        id = s.id
        date = s.date?.description
        city = s.city
        name = s.name
        kind = s.kind.rawValue
    }
}

struct TaskUpdateOut: Codable, Sendable {
    let id: Int64
    let date: String
    let text: String
    let evidence: String
    let status: String
    let author: String

    init(_ u: TaskUpdate) {
        id = u.id
        date = u.date.description
        text = u.text
        evidence = u.evidence
        status = u.status.rawValue
        author = u.author
    }
}

/// A task; its updates are listed on the task's own address only.
struct TaskOut: Codable, Sendable {
    let id: Int64
    let decisionId: Int64
    let meetingId: Int64
    let title: String
    let ownerOffice: String
    let ownerRegionCode: String
    let deadline: String
    let status: String
    let state: String
    @Null var doneOn: String?
    let version: Int64
    var updates: [TaskUpdateOut]? = nil

    init(_ t: FollowUpTask, today: Day, updates: [TaskUpdate]? = nil) {
        id = t.id
        decisionId = t.decisionId
        meetingId = t.meetingId
        title = t.title
        ownerOffice = t.ownerOffice
        ownerRegionCode = t.ownerRegionCode
        deadline = t.deadline.description
        status = t.status.rawValue
        state = t.state(on: today).rawValue
        doneOn = t.doneOn?.description
        version = t.version
        self.updates = updates?.map(TaskUpdateOut.init)
    }
}

/// A decision; with its tasks when shown inside its meeting.
struct DecisionOut: Codable, Sendable {
    let id: Int64
    let meetingId: Int64
    @Null var workArea: String?
    let text: String
    var tasks: [TaskOut]? = nil

    init(_ d: Decision, tasks: [TaskOut]? = nil) {
        id = d.id
        meetingId = d.meetingId
        workArea = d.workArea?.rawValue
        text = d.text
        self.tasks = tasks
    }
}

/// A meeting with everything recorded about it.
struct MeetingDetailOut: Codable, Sendable {
    let meeting: MeetingOut
    let attendees: [AttendeeOut]
    let itinerary: [StopOut]
    let decisions: [DecisionOut]

    private enum Parts: String, CodingKey { case attendees, itinerary, decisions }

    init(meeting: MeetingOut, attendees: [AttendeeOut], itinerary: [StopOut], decisions: [DecisionOut]) {
        self.meeting = meeting
        self.attendees = attendees
        self.itinerary = itinerary
        self.decisions = decisions
    }

    init(from decoder: any Decoder) throws {
        meeting = try MeetingOut(from: decoder)
        let c = try decoder.container(keyedBy: Parts.self)
        attendees = try c.decode([AttendeeOut].self, forKey: .attendees)
        itinerary = try c.decode([StopOut].self, forKey: .itinerary)
        decisions = try c.decode([DecisionOut].self, forKey: .decisions)
    }

    /// The meeting's fields at the top level, beside its parts (the shape the API has always had).
    func encode(to encoder: any Encoder) throws {
        try meeting.encode(to: encoder)
        var c = encoder.container(keyedBy: Parts.self)
        try c.encode(attendees, forKey: .attendees)
        try c.encode(itinerary, forKey: .itinerary)
        try c.encode(decisions, forKey: .decisions)
    }
}
