import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Reported actual values: the list with filters and the form to report a figure.
struct ProgressController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/progress", use: list)
        router.post("/progress", use: create)
        router.get("/progress/:id", use: show)
        router.post("/progress/:id/submit", use: submit)
        router.post("/progress/:id/approve", use: approve)
        router.post("/progress/:id/return", use: giveBack)
        router.post("/progress/:id/correct", use: correct)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        // A new figure is most likely for the last closed month (in China), of the user's own region; a link from
        // the workbench ("not yet reported") names the indicator and period.
        let (year, month) = context.today.previousMonth
        let user = context.access.user
        let draft = ProgressDraft(
            indicatorCode: request.query("new_indicator"),
            regionCode: request.query("new_region") ?? (AccessRule.canWrite(user, regionCode: user.regionCode) ? user.regionCode : nil),
            year: request.query("new_year") ?? String(year), month: request.query("new_month") ?? String(month))
        return try await page(request, context, draft: draft, issues: [])
    }

    func page(_ request: Request, _ context: SignedInContext, draft: ProgressDraft, issues: [ValidationIssue]) async throws -> Response {
        let l = Labels(lang: context.language)
        let q = try ListQuery(request, defaultSize: 50)
        let f = try ProgressFilter(q, scope: context.access.scope)
        let result = try await pages.store.progress(f, page: q.page)
        let pager = q.links(pageCount: result.pageCount, total: result.total)
        let regions = try await pages.regionIndex()
        let a = context.access
        // Only the regions this user may report for, its own preselected: a county reporter sees one choice.
        let west = a.offeredRegions(in: try await pages.store.regions()).filter {
            $0.side == .west && AccessRule.canWrite(a.user, regionCode: $0.code)
        }
        var draft = draft
        if draft.regionCode == nil, west.contains(where: { $0.code == a.user.regionCode }) { draft.regionCode = a.user.regionCode }
        let model = ProgressListPage(
            items: result.items.map { Self.row($0, regions, l) },
            prev: pager.previous, next: pager.next, pageInfo: pager.info(l),
            indicators: IndicatorCatalogue.all.filter { $0.ledger == nil }.map {
                Option(value: $0.code, label: "\($0.name(l.lang))（\(l.unit($0.unit))）", selected: $0.code == draft.indicatorCode)
            },
            regions: west.map { Option(value: $0.code, label: $0.name, selected: $0.code == draft.regionCode) },
            f: FormState(
                values: [
                    "indicatorCode": draft.indicatorCode ?? "", "regionCode": draft.regionCode ?? "",
                    "year": draft.year ?? "", "month": draft.month ?? "", "value": draft.value ?? "",
                    "note": draft.note ?? "",
                ], issues: issues, lang: l.lang
            ).fields,
            hasErrors: !issues.isEmpty,
            canReport: !west.isEmpty)
        return try await pages.render(
            "progress", title: l.t("progress_title"), section: "progress", request, context, model,
            status: issues.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let draft = ProgressDraft(
            indicatorCode: form["indicatorCode"], regionCode: form["regionCode"], year: form["year"],
            month: form["month"], value: form["value"], note: form["note"])
        let code = (draft.regionCode ?? "").trimmingWhitespace()
        let region = Region.isWellFormedCode(code) ? try await pages.store.region(code: code) : nil
        switch draft.validate(region: region) {
        case .failure(let f): return try await page(request, context, draft: draft, issues: f.issues)
        case .success(let p):
            // A region outside the user's scope: the form comes back with the reason, nothing typed is lost.
            guard AccessRule.canWrite(context.access.user, regionCode: p.regionCode) else {
                return try await page(
                    request, context, draft: draft,
                    issues: [ValidationIssue(field: "regionCode", key: "error.forbidden")])
            }
            do {
                let saved = try await pages.store.addProgress(p, actor: context.actor)
                return Response.redirect(to: "/progress/\(saved.id)?done=saved", type: .normal)
            } catch let e as DuplicateFigure {
                // Back, then Save again: the form comes back with the figure that already exists.
                let link = e.existingId.map { "/progress/\($0)" } ?? "/progress"
                return try await page(
                    request, context, draft: draft,
                    issues: [ValidationIssue(field: "month", key: "error.duplicate_figure", params: [link])])
            }
        }
    }

    // MARK: the review chain

    /// The figure of a route, readable by the caller, with its region; otherwise 404.
    func scoped(_ context: SignedInContext) async throws -> (ProgressReport, Region, Access) {
        let l = Labels(lang: context.language)
        let id = try context.id()
        let p = try await context.find(l.t("progress_title")) { try await pages.store.progressReport(id: id) }
        guard let r = try await pages.store.region(code: p.regionCode) else { throw AppError.notFound(l.t("progress_title")) }
        return (p, r, context.access)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let (p, region, a) = try await scoped(context)
        let writer = AccessRule.canWrite(a.user, regionCode: p.regionCode)
        let authors = try await pages.store.progressAuthors(id: p.id)
        let reviewer = ReviewRule.mayApprove(a.user, region: region, authors: authors)
        let ownWork = ReviewRule.mayReview(a.user, region: region) && authors.isAuthor(a.user.username) && p.state == .submitted
        // In a period a round has locked, the office asks for a change instead of correcting.
        let lockingRound = p.state == .returned ? nil : try await pages.store.lockingRound(of: p, today: context.today)
        let changes = try await pages.store.changeRequests(within: nil, progressId: p.id, limit: 20)
        let waiting = changes.contains { $0.state == .pending }
        let regions = [region.code: region]
        let model = ProgressDetailPage(
            p: Self.row(p, [region.code: region], l),
            comment: try await pages.store.reviewComment(id: p.id).nilIfEmpty,
            version: try await pages.store.progressVersion(id: p.id) ?? 0,
            canSubmit: writer && p.state.after(.submit) != nil && lockingRound == nil, canCorrect: writer && p.state.editable && lockingRound == nil,
            lockedBy: lockingRound.map { "/rounds/\($0)" }, canRequestChange: writer && lockingRound != nil && !waiting,
            changes: changes.map { ChangesController.row($0, regions, l) }, hasChanges: !changes.isEmpty,
            canReview: reviewer && p.state == .submitted, ownWork: ownWork,
            authors: .init(created: authors.createdBy ?? "—", submitted: authors.submittedBy ?? "—", approved: authors.approvedBy ?? "—"),
            historyBlock: try await pages.historyBlock("progress", p.id, l),
            attachmentsBlock: try await pages.attachments(.progress, p.id, canWrite: writer, l),
            returnError: request.query("return") == "missing" ? l.t("error.return_comment") : nil,
            notice: request.query("done").flatMap {
                ["saved", "submitted", "corrected", "approved", "returned", "requested", "attached", "detached"].contains($0)
                    ? l.t("figure_done_" + $0) : nil
            })
        return try await pages.render("progress_detail", title: l.t("progress_title"), section: "progress", request, context, model)
    }

    func act(_ request: Request, _ context: SignedInContext, _ action: ProgressState.Action, comment: String = "") async throws -> Response {
        let (p, region, a) = try await scoped(context)
        switch action {
        case .submit: try a.requireWrite(region: p.regionCode)
        case .approve:
            let authors = try await pages.store.progressAuthors(id: p.id)
            guard ReviewRule.mayReview(a.user, region: region) else { throw AppError.forbidden }
            guard ReviewRule.mayApprove(a.user, region: region, authors: authors) else { throw AppError.ownWork }
        case .return:
            guard ReviewRule.mayReview(a.user, region: region) else { throw AppError.forbidden }
        }
        do { _ = try await pages.store.review(progressId: p.id, action, comment: comment, actor: context.actor) } catch ReviewError.commentRequired {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "comment", key: "error.required")]))
        } catch ReviewError.notAllowedFrom {
            throw AppError(status: .conflict, code: "state", key: "error.state")
        }
        return ReviewController.afterReview(request, item: "/progress/\(p.id)?done=\(Self.doneWord(action))")
    }

    @Sendable func submit(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await decodeForm(request, context)
        return try await act(request, context, .submit)
    }
    @Sendable func approve(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await decodeForm(request, context)
        return try await act(request, context, .approve)
    }

    @Sendable func giveBack(_ request: Request, context: SignedInContext) async throws -> Response {
        let (p, _, _) = try await scoped(context)
        switch try await ReviewController.comment(request, context) {
        case .success(let comment): return try await act(request, context, .return, comment: comment)
        case .failure(let refused):
            return try await ReviewController(pages: pages).refusedReturn(request, context, item: "/progress/\(p.id)", refused)
        }
    }

    @Sendable func correct(_ request: Request, context: SignedInContext) async throws -> Response {
        let (p, _, a) = try await scoped(context)
        try a.requireWrite(region: p.regionCode)
        let form = try await decodeForm(request, context)
        guard let ind = IndicatorCatalogue.byCode[p.indicatorCode], let value = ind.parse(form["value"] ?? ""), value >= 0 else {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "value", key: "error.integer")]))
        }
        do {
            _ = try await pages.store.correct(progressId: p.id, value: value, expectedVersion: Int64(form["version"] ?? ""), actor: context.actor)
        } catch ReviewError.notEditable { throw AppError(status: .conflict, code: "state", key: "error.state") } catch StoreError.conflict {
            throw AppError.conflict
        }
        return Response.redirect(to: "/progress/\(p.id)?done=corrected", type: .normal)
    }

    /// What waits for the user: figures to review at the levels below (someone else's, on its own side), or its own
    /// figures returned to it. Paged like any list, in SQL.
    static func doneWord(_ a: ProgressState.Action) -> String {
        switch a {
        case .submit: return "submitted"
        case .approve: return "approved"
        case .return: return "returned"
        }
    }

    static func period(_ p: ProgressReport) -> String { "\(p.year)-\(p.month < 10 ? "0" : "")\(p.month)" }

    static func row(_ p: ProgressReport, _ regions: [String: Region], _ l: Labels) -> FigureRow {
        let ind = IndicatorCatalogue.byCode[p.indicatorCode]
        return FigureRow(
            id: p.id, indicator: ind?.name(l.lang) ?? p.indicatorCode, region: regions[p.regionCode]?.name ?? p.regionCode,
            period: period(p), value: ind?.format(p.value) ?? String(p.value), unit: ind.map { l.unit($0.unit) } ?? "",
            state: l.t("state_" + p.state.rawValue), stateCode: p.state.rawValue, note: p.note)
    }
}
