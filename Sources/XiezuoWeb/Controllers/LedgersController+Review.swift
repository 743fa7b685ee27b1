import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// Review of ledger rows: one at a time, the list shown, and the eastern partner's confirmation.
extension LedgersController {
    func reviewOne(_ context: SignedInContext, _ action: ProgressState.Action, comment: String) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard let county = try await pages.regionIndex()[r.countyCode], ReviewRule.mayReview(a.user, region: county) else { throw AppError.forbidden }
        if action == .approve, !ReviewRule.mayApprove(a.user, region: county, authors: try await store.ledgerAuthors(id: r.id)) {
            throw AppError.ownWork
        }
        do { _ = try await store.reviewLedgerRow(id: r.id, action, comment: comment, actor: context.actor) } catch ReviewError.notAllowedFrom {
            throw AppError(status: .conflict, code: "state", key: "error.state")
        } catch ReviewError.commentRequired { throw AppError.invalid(ValidationFailure([ValidationIssue(field: "comment", key: "error.required")])) }
        return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)", type: .normal)
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
        try await reviewOne(context, .approve, comment: "")
    }

    @Sendable func returnOne(_ request: Request, context: SignedInContext) async throws -> Response {
        try await reviewOne(context, .return, comment: try await returnComment(request, context))
    }

    /// Approves the pending rows the list's filter shows, limited to what the reviewer reads.
    @Sendable func approveShown(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let d = name.definition
        let a = context.access
        // The western side's offices approve its counties' rows; the eastern partner records and confirms only.
        guard ReviewRule.approvesLedgerRows(a.user) else { throw AppError.forbidden }
        _ = try await decodeForm(request, context)
        let f = try LedgerFilter(try ListQuery(request), d, scope: a.ownScope)
        let n = try await store.approveLedgerRows(name, f, actor: context.actor)
        var q = Self.query(f, Array(d.fields.indices), d)
        q = q.replacingOccurrences(of: "state=submitted", with: "state=approved")
        return Response.redirect(to: "/ledgers/\(name.rawValue)?\(q)&approved=\(n)", type: .normal)
    }
}
