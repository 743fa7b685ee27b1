import XiezuoDomain

// Meetings and follow-up tasks: the list, the form, one meeting, the task queue and one task.

struct MeetingListPage: PageModel {
    struct Item: Sendable {
        let id: Int64
        let title: String
        let date: String
        let place: String
        let kind: String
        let pairing: String
    }
    let items: [Item]
    let canCreate: Bool
}

struct MeetingFormPage: PageModel {
    let f: [String: FormField]
    let kinds: [Option]
    let sides: [Option]
    let pairings: [Option]
    let action: String
    let editing: Bool
    let version: String
    let hasErrors: Bool
}

/// A follow-up task as a row (of a decision on the meeting page, of the queue, atop its own page).
struct TaskRow: Sendable {
    let id: Int64
    let title: String
    let office: String
    let region: String
    let deadline: String
    let state: String
    let stateCode: String
    let overdue: Bool
    let doneOn: String?
    /// In the queue: the meeting the task came from.
    var meeting: String? = nil
    var meetingId: Int64? = nil

    init(_ t: FollowUpTask, _ regions: [String: Region], _ l: Labels, today: Day) {
        let state = t.state(on: today)
        id = t.id
        title = t.title
        office = t.ownerOffice
        region = regions[t.ownerRegionCode]?.name ?? t.ownerRegionCode
        deadline = t.deadline.description
        self.state = l.t("task_" + state.rawValue)
        stateCode = state.rawValue
        overdue = state == .overdue
        doneOn = t.doneOn?.description
    }
}

struct MeetingPage: PageModel {
    struct Record: Sendable {
        let id: Int64
        let title: String
        let kind: String
        let date: String
        let place: String
        let host: String
        let summary: String?
        let agenda: String?
        let minutes: String?
        let demo: Bool
        let pairing: String
        let jointConference: Bool
    }
    struct Person: Sendable {
        let name: String
        let position: String
    }
    struct Stop: Sendable {
        let date: String
        let city: String
        let name: String
        let kind: String
    }
    struct Decision: Sendable {
        let id: Int64
        let number: Int
        let text: String
        let workArea: String?
        let tasks: [TaskRow]
        let attached: AttachmentsBlock
    }
    struct StateCount: Sendable {
        let state: String
        let code: String
        let count: Int
    }
    struct Document: Sendable {
        let id: Int64
        let title: String
        let date: String
    }
    struct Problem: Sendable { let message: String }
    let m: Record
    let east: [Person]
    let west: [Person]
    let showItinerary: Bool
    let stops: [Stop]
    let decisions: [Decision]
    let counts: [StateCount]
    let taskTotal: Int
    let documents: [Document]
    let organiser: Bool
    let sides: [Option]
    let workAreas: [Option]
    let stopKinds: [Option]
    let ownerRegions: [Option]
    let hasProblems: Bool
    let problems: [Problem]
    let historyBlock: HistoryBlock
}

struct TaskQueuePage: PageModel {
    let items: [TaskRow]
    let all: Bool
    let states: [Option]
    let overdueCount: Int
    let hasOverdue: Bool
}

struct TaskPage: PageModel {
    struct MeetingRef: Sendable {
        let id: Int64
        let title: String
        let date: String
    }
    struct Update: Sendable {
        let date: String
        let text: String
        let evidence: String
        let status: String
        let author: String
        let attached: AttachmentsBlock
    }
    let task: TaskRow
    let version: Int64
    let meeting: MeetingRef
    let decision: String
    let updates: [Update]
    let canUpdate: Bool
    let f: [String: FormField]
    let hasErrors: Bool
    let statuses: [Option]
    let historyBlock: HistoryBlock
}
