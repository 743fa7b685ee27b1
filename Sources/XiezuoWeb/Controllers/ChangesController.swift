import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Change requests (申请修改) for figures of a locked period: asked from the figure's page by its office, decided
/// by the level above on the list of requests.
struct ChangesController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/changes", use: list)
        router.post("/progress/:id/change", use: request)
        router.post("/changes/:id/approve", use: approve)
        router.post("/changes/:id/reject", use: reject)
    }

    static func row(_ c: ChangeRequest, _ regions: [String: Region], _ l: Labels) -> RoundPage.Change {
        if let rowId = c.ledgerRowId, let ledger = LedgerName(rawValue: c.indicatorCode) {
            return RoundPage.Change(
                id: c.id, figure: "\(ledger.title(l.lang)) · \(rowId)", region: regions[c.regionCode]?.name ?? c.regionCode, oldValue: "—",
                newValue: c.summary, reason: c.reason, state: l.t("change_state_" + c.state.rawValue), stateCode: c.state.rawValue,
                requestedBy: c.requestedBy ?? "—", href: "/ledgers/\(ledger.rawValue)/\(rowId)")
        }
        let ind = IndicatorCatalogue.byCode[c.indicatorCode]
        func shown(_ v: Int64) -> String { (ind?.format(v) ?? String(v)) + (ind.map { " " + l.unit($0.unit) } ?? "") }
        return RoundPage.Change(
            id: c.id, figure: ind?.name(l.lang) ?? c.indicatorCode, region: regions[c.regionCode]?.name ?? c.regionCode,
            oldValue: shown(c.oldValue), newValue: shown(c.newValue), reason: c.reason, state: l.t("change_state_" + c.state.rawValue),
            stateCode: c.state.rawValue, requestedBy: c.requestedBy ?? "—", href: "/progress/\(c.progressId ?? 0)")
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let regions = try await pages.regionIndex()
        let waiting = try await pages.store.changeRequests(
            within: a.user.role == .admin ? nil : [a.user.scopePrefix], state: .pending)
        let toDecide = waiting.filter { c in
            regions[c.regionCode].map { ChangeRequest.mayDecide(a.user, region: $0, requestedBy: c.requestedBy) } ?? false
        }
        let mine = try await pages.store.changeRequests(within: a.user.role == .admin ? nil : [a.user.scopePrefix], limit: 500)
            .filter { $0.requestedBy == a.user.username }.prefix(50)
        return try await pages.render(
            "changes", title: l.t("changes_title"), section: "review", request, context,
            ChangesPage(toDecide: toDecide.map { Self.row($0, regions, l) }, mine: mine.map { Self.row($0, regions, l) }))
    }

    /// Asks to change a locked figure: its office (a writer of its region), with the new value and a reason.
    @Sendable func request(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try context.id()
        let p = try await context.find(l.t("progress_title"), .write) { try await pages.store.progressReport(id: id) }
        let form = try await decodeForm(request, context)
        var issues: [ValidationIssue] = []
        let ind = IndicatorCatalogue.byCode[p.indicatorCode]
        let value = ind.flatMap { $0.parse(form["value"] ?? "") }
        if value == nil || value! < 0 { issues.append(.init(field: "value", key: "error.integer")) }
        let reason = (form["reason"] ?? "").trimmingWhitespace()
        if reason.isEmpty { issues.append(.init(field: "reason", key: "error.required")) }
        if reason.count > ChangeRequest.maxReason {
            issues.append(.init(field: "reason", key: "error.too_long", params: [String(ChangeRequest.maxReason)]))
        }
        guard issues.isEmpty, let value else { throw AppError.invalid(ValidationFailure(issues)) }
        if value == p.value { throw AppError.invalid(ValidationFailure([.init(field: "value", key: "error.change_same")])) }
        _ = try await pages.store.requestChange(progressId: p.id, newValue: value, reason: reason, actor: context.actor)
        return Response.redirect(to: "/progress/\(p.id)?done=requested", type: .normal)
    }

    func decide(_ request: Request, _ context: SignedInContext, approve: Bool) async throws -> Response {
        let l = Labels(lang: context.language)
        let form = try await decodeForm(request, context)
        let id = try context.id()
        guard let c = try await pages.store.changeRequest(id: id), context.access.canRead(region: c.regionCode),
            let region = try await pages.store.region(code: c.regionCode)
        else { throw AppError.notFound(l.t("changes_title")) }
        guard ReviewRule.mayReview(context.user, region: region) else { throw AppError.forbidden }
        guard ChangeRequest.mayDecide(context.user, region: region, requestedBy: c.requestedBy) else { throw AppError.ownWork }
        do {
            _ = try await pages.store.decideChange(
                id: id, approve: approve, comment: (form["comment"] ?? "").trimmingWhitespace(), actor: context.actor)
        } catch ReviewError.commentRequired {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "comment", key: "error.required")]))
        } catch Store.LedgerSaveError.duplicateKey(let other) {
            // The row's new values now name another stored record: the change cannot be applied as asked.
            throw AppError(status: .conflict, code: "duplicate", key: "error.ledger_duplicate", params: [String(other)])
        }
        return Response.redirect(to: "/changes?done=" + (approve ? "approved" : "rejected"), type: .normal)
    }

    @Sendable func approve(_ request: Request, context: SignedInContext) async throws -> Response {
        try await decide(request, context, approve: true)
    }

    @Sendable func reject(_ request: Request, context: SignedInContext) async throws -> Response {
        try await decide(request, context, approve: false)
    }
}
