import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// Review of ledger rows: one at a time, the list shown, and the eastern partner's confirmation.
extension LedgersController {
    func reviewOne(_ request: Request, _ context: SignedInContext, _ action: ProgressState.Action, comment: String) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard let county = try await pages.regionIndex()[r.countyCode], ReviewRule.mayReview(a.user, region: county) else { throw AppError.forbidden }
        if action == .approve, !ReviewRule.mayApprove(a.user, region: county, authors: try await store.ledgerAuthors(id: r.id)) {
            throw AppError.ownWork
        }
        do { _ = try await store.reviewLedgerRow(id: r.id, action, comment: comment, actor: context.actor) } catch ReviewError.notAllowedFrom {
            throw AppError(status: .conflict, code: "state", key: "error.state")
        } catch ReviewError.commentRequired { throw AppError.invalid(ValidationFailure([ValidationIssue(field: "comment", key: "error.required")])) }
        return ReviewController.afterReview(request, item: "/ledgers/\(r.ledger.rawValue)/\(r.id)?done=\(ProgressController.doneWord(action))")
    }

    /// The eastern partner's "confirmed" mark on a western row.
    @Sendable func confirm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        _ = try await decodeForm(request, context)
        guard let county = try await pages.regionIndex()[r.countyCode],
            ReviewRule.mayConfirm(a.user, region: county, readable: a.readable, authors: try await store.ledgerAuthors(id: r.id))
        else {
            throw AppError.forbidden
        }
        try await store.confirmLedgerRow(id: r.id, actor: context.actor)
        return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)", type: .normal)
    }

    @Sendable func approveOne(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await decodeForm(request, context)
        return try await reviewOne(request, context, .approve, comment: "")
    }

    @Sendable func returnOne(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, _) = try await scopedRow(context)
        switch try await ReviewController.comment(request, context) {
        case .success(let comment): return try await reviewOne(request, context, .return, comment: comment)
        case .failure(let refused):
            return try await ReviewController(pages: pages).refusedReturn(request, context, item: "/ledgers/\(r.ledger.rawValue)/\(r.id)", refused)
        }
    }

    /// Approves the pending rows the list's filter shows, limited to what the reviewer reads.
    @Sendable func approveShown(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let d = name.definition
        let a = context.access
        // The western side's offices approve its counties' rows; the eastern partner records and confirms only.
        guard ReviewRule.approvesLedgerRows(a.user) else { throw AppError.forbidden }
        let form = try await decodeForm(request, context)
        let f = try LedgerFilter(try ListQuery(request), d, scope: a.ownScope)
        // Said first, and asked once: how many rows this approves.
        guard form["confirm"] == "1" else {
            let l = Labels(lang: context.language)
            let count = try await store.approvableLedgerRows(name, f, reviewer: a.user.username)
            let query = request.uri.query.map { "?" + $0 } ?? ""
            let model = ConfirmPage(
                heading: l.t("ledger_approve_shown"), message: l.t(count > 0 ? "bulk_confirm" : "bulk_none", String(count)),
                action: count > 0 ? "/ledgers/\(name.rawValue)/approve" + query : nil, button: l.t("bulk_confirm_button", String(count)),
                back: "/ledgers/\(name.rawValue)" + query, count: count)
            return try await pages.render("confirm", title: l.t("ledger_approve_shown"), section: "ledgers", request, context, model)
        }
        let n = try await store.approveLedgerRows(name, f, actor: context.actor)
        var q = Self.query(f, Array(d.fields.indices), d)
        q = q.replacingOccurrences(of: "state=submitted", with: "state=approved")
        return Response.redirect(to: "/ledgers/\(name.rawValue)?\(q)&approved=\(n)", type: .normal)
    }
}
