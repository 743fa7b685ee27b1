import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Meetings, decisions and follow-up tasks in the JSON API, with the same rules as the pages (through FollowUp).
struct MeetingsAPIController {
    let store: Store
    var followUp: FollowUp { FollowUp(store: store) }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        let api = router.group("api/v1")
        api.get("meetings", use: list)
        api.post("meetings", use: create)
        api.get("meetings/:id", use: show)
        api.post("meetings/:id/attendees", use: addAttendee)
        api.post("meetings/:id/stops", use: addStop)
        api.post("meetings/:id/decisions", use: addDecision)
        api.post("decisions/:id/tasks", use: addTask)
        api.get("tasks", use: tasks)
        api.get("tasks/:id", use: task)
        api.post("tasks/:id/updates", use: postUpdate)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let a = context.access
        let q = try ListQuery(request)
        let year = try q.year
        let pairing = try q.value("pairing") { Int64($0) }
        let items = try await store.meetings(pairingId: pairing, year: year, pairingIds: a.readablePairingIds)
        return jsonResponse(ListOut(items.map(MeetingOut.init)))
    }

    struct MeetingBody: Decodable {
        var kind, title, date, endDate, place, hostSide, summary, agenda, minutes: String?
        var pairingId: Int64?
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let b = try await decodeJSON(MeetingBody.self, request, context)
        let m = try await followUp.createMeeting(
            MeetingDraft(
                kind: b.kind, pairingId: b.pairingId.map(String.init), title: b.title, date: b.date,
                endDate: b.endDate, place: b.place, hostSide: b.hostSide, summary: b.summary,
                agenda: b.agenda, minutes: b.minutes), context)
        return jsonResponse(MeetingOut(m), status: .created)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let (m, _, _) = try await followUp.meeting(id, context)
        let today = context.today
        let tasks = try await store.tasks(TaskFilter(meetingIds: [id], today: today))
        return jsonResponse(
            MeetingDetailOut(
                meeting: MeetingOut(m), attendees: try await store.attendees(meetingId: id).map(AttendeeOut.init),
                itinerary: try await store.stops(meetingId: id).map(StopOut.init),
                decisions: try await store.decisions(meetingId: id).map { d in
                    DecisionOut(d, tasks: tasks.filter { $0.decisionId == d.id }.map { TaskOut($0, today: today) })
                }))
    }

    struct AttendeeBody: Decodable { var name, position, side: String? }
    @Sendable func addAttendee(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let b = try await decodeJSON(AttendeeBody.self, request, context)
        return jsonResponse(
            AttendeeOut(try await followUp.addAttendee(id, name: b.name, position: b.position, side: b.side, context)), status: .created)
    }

    struct StopBody: Decodable { var date, city, name, kind: String? }
    @Sendable func addStop(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let b = try await decodeJSON(StopBody.self, request, context)
        return jsonResponse(
            StopOut(try await followUp.addStop(id, date: b.date, city: b.city, name: b.name, kind: b.kind, context)), status: .created)
    }

    struct DecisionBody: Decodable { var text, workArea: String? }
    @Sendable func addDecision(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let b = try await decodeJSON(DecisionBody.self, request, context)
        return jsonResponse(DecisionOut(try await followUp.addDecision(id, text: b.text, workArea: b.workArea, context)), status: .created)
    }

    struct TaskBody: Decodable { var title, ownerOffice, ownerRegionCode, deadline: String? }
    @Sendable func addTask(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let b = try await decodeJSON(TaskBody.self, request, context)
        let t = try await followUp.createTask(
            decisionId: id, title: b.title, ownerOffice: b.ownerOffice, ownerRegionCode: b.ownerRegionCode,
            deadline: b.deadline, context)
        return jsonResponse(TaskOut(t, today: context.today), status: .created)
    }

    @Sendable func tasks(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request)
        let state = try q.choice("state", TaskState.self)
        let scope = try q.value("scope") { $0 == "mine" || $0 == "all" ? $0 : nil } ?? "mine"
        let today = context.today
        let items = try await followUp.tasks(context, mine: scope == "mine", state: state, today: today)
        return jsonResponse(ListOut(items.map { TaskOut($0, today: today) }))
    }

    @Sendable func task(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let (t, _, _) = try await followUp.task(id, context)
        return jsonResponse(TaskOut(t, today: context.today, updates: try await store.taskUpdates(taskId: id)))
    }

    struct UpdateBody: Decodable {
        var date, text, evidence, status: String?
        var version: Int64?
    }
    @Sendable func postUpdate(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let b = try await decodeJSON(UpdateBody.self, request, context)
        let t = try await followUp.postUpdate(
            taskId: id, date: b.date, text: b.text, evidence: b.evidence, status: b.status,
            version: b.version, context)
        return jsonResponse(TaskOut(t, today: context.today), status: .created)
    }
}
