import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Projects, their funding transactions and milestones.
extension APIController {

    @Sendable func projects(_ request: Request, context: SignedInContext) async throws -> Response {
        // The busiest read of the API (docs/BENCHMARKS.md): kept while the data is unchanged.
        try await cache.respond(request, context) {
            let q = try ListQuery(request)
            let page = q.page
            let r = try await store.projects(try ProjectFilter(q, scope: context.access.scope), page: page)
            return jsonResponse(ListOut(r.items.map(ProjectOut.init), total: r.total, page: page))
        }
    }

    @Sendable func project(_ request: Request, context: SignedInContext) async throws -> Response {
        return jsonResponse(try await projectOut(try await scopedProject(context, write: false)))
    }

    @Sendable func createProject(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = try await decodeJSON(ProjectDraft.self, request, context)
        switch try await draft.validated(store: store) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let p):
            try context.access.requireWrite(region: p.countyCode)
            let saved = try await store.createProject(p, actor: context.actor)
            return jsonResponse(try await projectOut(saved), status: .created)
        }
    }

    struct ProjectUpdate: Decodable {
        var draft: ProjectDraft
        var version: Int64?
        enum K: String, CodingKey { case version }
        init(from decoder: any Decoder) throws {
            draft = try ProjectDraft(from: decoder)
            version = try decoder.container(keyedBy: K.self).decodeIfPresent(Int64.self, forKey: .version)
        }
    }

    @Sendable func updateProject(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let a = context.access
        let body = try await decodeJSON(ProjectUpdate.self, request, context)
        guard let version = body.version else {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "version", key: "error.required")]))
        }
        switch try await body.draft.validated(store: store) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(var p):
            try a.requireWrite(region: p.countyCode)
            p.id = id
            p.version = version
            do {
                return jsonResponse(try await projectOut(try await store.updateProject(p, actor: context.actor)))
            } catch StoreError.conflict {
                let current = try await store.project(id: id)
                var e = AppError(status: .conflict, code: "conflict", key: "error.conflict", params: [String(current?.version ?? 0)])
                e.issues = []
                throw e
            }
        }
    }

    func scopedProject(_ context: SignedInContext, write: Bool) async throws -> Project {
        let id = try context.id()
        return try await context.find("project \(id)", write ? .write : .read) { try await store.project(id: id) }
    }

    @Sendable func transactions(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: false).id
        return jsonResponse(ListOut(try await store.transactions(projectId: id).map(TransactionOut.init)))
    }

    @Sendable func addTransaction(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let draft = try await decodeJSON(TransactionDraft.self, request, context)
        switch draft.validate(projectId: id) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let t): return jsonResponse(TransactionOut(try await store.addTransaction(t, actor: context.actor)), status: .created)
        }
    }

    @Sendable func milestones(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: false).id
        return jsonResponse(ListOut(try await store.milestones(projectId: id).map(MilestoneOut.init)))
    }

    struct MilestoneBody: Decodable {
        var title: String?
        var dueDate: String?
        var doneDate: String?
    }

    @Sendable func addMilestone(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let b = try await decodeJSON(MilestoneBody.self, request, context)
        var v = Validator()
        let title = v.text("title", b.title, max: 200)
        let due = v.day("dueDate", b.dueDate, required: true)
        let done = v.day("doneDate", b.doneDate)
        guard v.issues.isEmpty, let due else { throw AppError.invalid(ValidationFailure(v.issues)) }
        let m = try await store.addMilestone(Milestone(id: 0, projectId: id, title: title, dueDate: due, doneDate: done), actor: context.actor)
        return jsonResponse(MilestoneOut(m), status: .created)
    }
}
