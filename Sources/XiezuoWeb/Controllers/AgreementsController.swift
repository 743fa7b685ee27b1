import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

struct AgreementsController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/agreements", use: list)
        router.get("/agreements/:id", use: show)
        router.post("/agreements/:id/pace", use: setPace)
    }

    /// An office's monthly plan for one of the agreement's indicators (the early warnings' expected pace); empty
    /// months put back the even pace. Only who manages the pairing may set it.
    @Sendable func setPace(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try context.id()
        let d = try await context.find(l.t("agreement")) { try await pages.store.agreementDetail(id: id) }
        try context.access.requireManage(pairing: d.pairing)
        let form = try await decodeForm(request, context)
        guard let code = form["indicator"], d.targets.contains(where: { $0.indicatorCode == code }) else { throw AppError.badFilter("indicator") }
        let text = (form["months"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var profile: PaceProfile?
        if !text.isEmpty {
            guard let p = PaceProfile(typed: text) else {
                throw AppError(status: .unprocessableContent, code: "pace_profile", key: "error.pace_profile")
            }
            profile = p
        }
        try await pages.store.setPaceProfile(agreementId: id, indicatorCode: code, profile: profile, actor: context.actor)
        return Response.redirect(to: "/agreements/\(id)?done=pace#pace", type: .normal)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let regions = try await pages.regionIndex()
        let a = context.access
        let pairings = Dictionary(uniqueKeysWithValues: a.pairings.map { ($0.id, $0) })
        let items = try await pages.store.agreements(pairingIds: a.readablePairingIds).map { a in
            AgreementListPage.Item(
                id: a.id, title: a.title, year: a.year, status: l.t("agreement_" + a.status.rawValue),
                pairing: pairings[a.pairingId].map { pages.pairingLabel($0, regions, l) } ?? "")
        }
        return try await pages.render(
            "agreements", title: l.t("agreements_title"), section: "agreements", request, context, AgreementListPage(items: items))
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try context.id()
        let d = try await context.find(l.t("agreement")) { try await pages.store.agreementDetail(id: id) }
        let counted = Pages.counted(request)
        let c = try await Overview.completion(of: id, store: pages.store, counted: counted)!
        let regions = try await pages.regionIndex()
        let rowsByTask = Dictionary(grouping: d.targets, by: \.taskId)
        let tasks = d.tasks.map { t in
            let targets = (rowsByTask[t.id] ?? []).compactMap { target -> AgreementPage.Target? in
                guard let row = c.rows.first(where: { $0.indicator.code == target.indicatorCode && $0.target == target.value }) else { return nil }
                return .init(
                    name: row.indicator.name(l.lang), unit: l.unit(row.indicator.unit), target: row.indicator.format(row.target),
                    actual: row.indicator.format(row.actual), completion: Completion.percentText(row.basisPoints),
                    updatedAt: target.updatedAt)
            }
            return AgreementPage.Task(workArea: t.workArea.name(l.lang), text: t.text, targets: targets)
        }
        let profiles = try await pages.store.paceProfiles(agreementIds: [id])[id] ?? [:]
        let codes = Array(Set(d.targets.map(\.indicatorCode))).sorted()
        var model = AgreementPage(
            agreement: .init(
                id: d.agreement.id, title: d.agreement.title, year: d.agreement.year,
                status: l.t("agreement_" + d.agreement.status.rawValue), updatedAt: d.agreement.updatedAt),
            pairing: pages.pairingLabel(d.pairing, regions, l), westCode: d.pairing.westCode,
            overall: Completion.percentText(c.overall), tasks: tasks, workAreas: Pages.workAreaRows(c, l),
            chart: Pages.indicatorChart(c, l, title: l.t("by_indicator")), pending: counted == .includingPending,
            historyBlock: try await pages.historyBlock("agreement", id, l))
        model.pace = codes.compactMap { code in
            guard let i = IndicatorCatalogue.byCode[code] else { return nil }
            return AgreementPage.PaceLine(
                code: code, name: i.name(l.lang),
                months: profiles[code].map { $0.monthlyPercent.map { "\($0)%" }.joined(separator: " ") } ?? l.t("pace_even"),
                value: profiles[code].map { $0.monthlyPercent.map(String.init).joined(separator: " ") } ?? "")
        }
        model.canManage = AccessRule.canManage(context.user, pairing: d.pairing)
        model.notice = request.query("done") == "pace" ? l.t("pace_saved") : nil
        return try await pages.render("agreement", title: d.agreement.title, section: "agreements", request, context, model)
    }
}
