import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Agreements: the list, one agreement with its completion, and what its managers change (tasks, targets).
extension APIController {

    @Sendable func agreements(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request)
        let year = try q.year
        let pairing = try q.value("pairing") { Int64($0) }
        let a = context.access
        return jsonResponse(
            ListOut(try await store.agreements(year: year, pairingId: pairing, pairingIds: a.readablePairingIds).map(AgreementOut.init)))
    }

    @Sendable func agreement(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let d = try await context.find("agreement \(id)") { try await store.agreementDetail(id: id) }
        guard let c = try await Overview.completion(of: id, store: store, counted: Pages.counted(request)) else {
            throw AppError.notFound("agreement \(id)")
        }
        return jsonResponse(AgreementDetailOut(d, c))
    }

    struct AgreementBody: Decodable {
        var pairingId: Int64?
        var year: Int?
        var title: String?
        var status: String?
    }

    @Sendable func createAgreement(_ request: Request, context: SignedInContext) async throws -> Response {
        let b = try await decodeJSON(AgreementBody.self, request, context)
        var v = Validator()
        let title = v.text("title", b.title, max: 200)
        let status = (b.status ?? "").isEmpty ? AgreementStatus.draft : v.choice("status", b.status, AgreementStatus.self)
        if b.year == nil || !Day.validYears.contains(b.year!) { v.fail("year", "error.year", ["1996", "2100"]) }
        let pairing = try await b.pairingId.asyncMap { try await store.pairing(id: $0) } ?? nil
        if pairing == nil { v.fail("pairingId", b.pairingId == nil ? "error.required" : "error.unknown_pairing") }
        guard v.issues.isEmpty, let pairing, let year = b.year, let status else { throw AppError.invalid(ValidationFailure(v.issues)) }
        try context.access.requireManage(pairing: pairing)
        do {
            let a = try await store.createAgreement(pairingId: pairing.id, year: year, title: title, status: status, actor: context.actor)
            return jsonResponse(AgreementOut(a), status: .created)
        } catch StoreError.conflict {
            throw AppError(status: .conflict, code: "duplicate", key: "error.duplicate_agreement")
        }
    }

    /// The agreement of the route, if the caller may read it (404) and manage its pairing (403).
    func managedAgreement(_ context: SignedInContext) async throws -> AgreementDetail {
        let id = try context.id()
        return try await context.find("agreement \(id)", .write) { try await store.agreementDetail(id: id) }
    }

    struct TaskBody: Decodable {
        var workArea: String?
        var text: String?
    }

    @Sendable func addTask(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await managedAgreement(context).agreement.id
        let b = try await decodeJSON(TaskBody.self, request, context)
        var v = Validator()
        let area = v.choice("workArea", b.workArea, WorkArea.self)
        let text = v.text("text", b.text, max: 2000)
        guard v.issues.isEmpty, let area else { throw AppError.invalid(ValidationFailure(v.issues)) }
        let t = try await store.addTask(agreementId: id, workArea: area, text: text, actor: context.actor)
        return jsonResponse(AgreementTaskOut(t, targets: []), status: .created)
    }

    struct TargetBody: Decodable {
        var taskId: Int64?
        var indicatorCode: String?
        var value: String?
        var version: Int64?
    }

    @Sendable func setTarget(_ request: Request, context: SignedInContext) async throws -> Response {
        let d = try await managedAgreement(context)
        let b = try await decodeJSON(TargetBody.self, request, context)
        var v = Validator()
        if b.taskId == nil || !d.tasks.contains(where: { $0.id == b.taskId }) { v.fail("taskId", "error.choice") }
        let indicator = IndicatorCatalogue.byCode[b.indicatorCode ?? ""]
        if indicator == nil { v.fail("indicatorCode", "error.unknown_indicator") }
        let value = indicator.flatMap { $0.parse(b.value ?? "") }
        if indicator != nil && value == nil { v.fail("value", "error.money") }
        if let value, value < 0 { v.fail("value", "error.negative") }
        guard v.issues.isEmpty, let taskId = b.taskId, let indicator, let value else { throw AppError.invalid(ValidationFailure(v.issues)) }
        do {
            let t = try await store.setTarget(
                taskId: taskId, indicatorCode: indicator.code, value: value, expectedVersion: b.version,
                checked: true, actor: context.actor)
            return jsonResponse(TargetOut(t))
        } catch StoreError.conflict {
            // Stale (or no) version for a target that exists: 409 with what is stored now.
            let current = (try await store.agreementDetail(id: d.agreement.id))?.targets.first {
                $0.taskId == taskId && $0.indicatorCode == indicator.code
            }
            var e = AppError(status: .conflict, code: "conflict", key: "error.conflict", params: [String(current?.version ?? 0)])
            e.issues = [ValidationIssue(field: "version", key: "error.conflict", params: [String(current?.version ?? 0)])]
            throw e
        }
    }
}
