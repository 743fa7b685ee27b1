import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The rules and writes of meetings and their follow-up, shared by the pages and the JSON API so both check the same
/// rights and validate the same way. Meetings (and their decisions and tasks) are pairing-level: readable by both sides;
/// recorded by the sides' offices; a task's updates are posted by its owner region.
struct FollowUp: Sendable {
    let store: Store

    func meeting(_ id: Int64, _ context: SignedInContext, organise: Bool = false) async throws -> (Meeting, Pairing, Access) {
        let l = Labels(lang: context.language)
        let a = context.access
        let m = try await context.find(l.t("meeting")) { try await store.meeting(id: id) }
        guard let p = a.pairing(m.pairingId) else { throw AppError.notFound(l.t("meeting")) }
        if organise { guard AccessRule.canOrganise(a.user, pairing: p) else { throw AppError.forbidden } }
        return (m, p, a)
    }

    func createMeeting(_ draft: MeetingDraft, _ context: SignedInContext) async throws -> Meeting {
        let a = context.access
        let pairing = Int64(draft.pairingId ?? "").flatMap { id in a.pairings.first { $0.id == id } }
        switch draft.validate(pairing: pairing) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let m):
            guard let pairing, AccessRule.canOrganise(a.user, pairing: pairing) else {
                // A pairing the user cannot read is answered as unknown, not as forbidden.
                if let pairing, AccessRule.canRead(a.user, pairing: pairing) { throw AppError.forbidden }
                throw AppError.invalid(ValidationFailure([ValidationIssue(field: "pairingId", key: "error.unknown_pairing")]))
            }
            return try await store.createMeeting(m, actor: context.actor)
        }
    }

    func updateMeeting(_ id: Int64, _ draft: MeetingDraft, version: Int64?, _ context: SignedInContext) async throws -> Meeting {
        let (m, p, _) = try await meeting(id, context, organise: true)
        var d = draft
        d.pairingId = String(p.id)
        switch d.validate(pairing: p) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(var changed):
            guard let version else { throw AppError.invalid(ValidationFailure([ValidationIssue(field: "version", key: "error.required")])) }
            changed.id = m.id
            do { return try await store.updateMeeting(changed, expectedVersion: version, actor: context.actor) } catch StoreError.conflict {
                throw AppError.conflict
            }
        }
    }

    func addAttendee(_ id: Int64, name: String?, position: String?, side: String?, _ context: SignedInContext) async throws -> Attendee {
        _ = try await meeting(id, context, organise: true)
        switch FollowUpRules.attendee(name: name, position: position, side: side, meetingId: id) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let a): return try await store.addAttendee(a, actor: context.actor)
        }
    }

    func addStop(_ id: Int64, date: String?, city: String?, name: String?, kind: String?, _ context: SignedInContext) async throws -> ItineraryStop {
        _ = try await meeting(id, context, organise: true)
        switch FollowUpRules.stop(date: date, city: city, name: name, kind: kind, meetingId: id) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let s): return try await store.addStop(s, actor: context.actor)
        }
    }

    func addDecision(_ id: Int64, text: String?, workArea: String?, _ context: SignedInContext) async throws -> Decision {
        _ = try await meeting(id, context, organise: true)
        switch FollowUpRules.decision(text: text, workArea: workArea, meetingId: id) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let d): return try await store.addDecision(d, actor: context.actor)
        }
    }

    func createTask(
        decisionId: Int64, title: String?, ownerOffice: String?, ownerRegionCode: String?, deadline: String?,
        _ context: SignedInContext
    ) async throws -> FollowUpTask {
        guard let d = try await store.decision(id: decisionId) else { throw AppError.notFound(Labels(lang: context.language).t("decision")) }
        let (_, pairing, _) = try await meeting(d.meetingId, context, organise: true)
        let code = (ownerRegionCode ?? "").trimmingWhitespace()
        let region = Region.isWellFormedCode(code) ? try await store.region(code: code) : nil
        switch FollowUpRules.task(
            title: title, ownerOffice: ownerOffice, ownerRegion: region, ownerRegionText: code, deadline: deadline,
            pairing: pairing, decision: d)
        {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let t): return try await store.createTask(t, actor: context.actor)
        }
    }

    /// A task is readable with its meeting; `write` asks for the owner's right to post updates.
    func task(_ id: Int64, _ context: SignedInContext, write: Bool = false) async throws -> (FollowUpTask, Meeting, Access) {
        let l = Labels(lang: context.language)
        let found: TaskInMeeting = try await context.find(l.t("task"), write ? .write : .read) {
            guard let t = try await store.followUpTask(id: id), let m = try await store.meeting(id: t.meetingId) else { return nil }
            return TaskInMeeting(task: t, meeting: m)
        }
        return (found.task, found.meeting, context.access)
    }

    func postUpdate(
        taskId: Int64, date: String?, text: String?, evidence: String?, status: String?, version: Int64?,
        _ context: SignedInContext
    ) async throws -> FollowUpTask {
        let (_, _, a) = try await task(taskId, context, write: true)
        switch FollowUpRules.update(date: date, text: text, evidence: evidence, status: status, taskId: taskId, author: a.user.username) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let u):
            do { return try await store.postUpdate(u, expectedVersion: version, actor: context.actor) } catch StoreError.conflict {
                throw AppError.conflict
            }
        }
    }

    /// Tasks of meetings the user reads; with `mine`, only those owned inside the user's own region (its queue).
    func tasks(_ context: SignedInContext, mine: Bool, state: TaskState?, today: Day) async throws -> [FollowUpTask] {
        let a = context.access
        let owner: [String]? = mine && a.user.role != .admin ? [a.user.scopePrefix] : nil
        return try await store.tasks(TaskFilter(pairingIds: a.readablePairingIds, ownerPrefixes: owner, state: state, today: today))
    }
}

extension AppError {
    static let conflict = AppError(status: .conflict, code: "conflict", key: "conflict")
}
