import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The overview: the province agreement's completion by indicator and by prefecture, funding and meetings.
struct DashboardController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/", use: dashboard)
    }

    @Sendable func dashboard(_ request: Request, context: SignedInContext) async throws -> Response {
        // Every reader opens it first and it changes only when data does.
        try await pages.cache.respond(request, context) { try await build(request, context) }
    }

    func build(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let year = try await ListQuery(request).year.asyncOr { try await pages.defaultYear(context) }
        let counted = Pages.counted(request)
        let a = context.access
        let o = try await Overview.build(
            store: pages.store, year: year, counted: counted, pairingIds: a.readablePairingIds,
            scope: a.scope, pairingId: try Self.pairingChoice(request))
        var rows: [CompletionRow] = []
        var prefectureChart: String?
        if let c = o.completion {
            // A ledger-sourced figure links to the rows it is computed from: same region, year and review state.
            let west = o.pairing?.westCode ?? "520000"
            rows = zip(c.rows, Pages.completionRows(c, l)).map { r, row in
                var row = row
                if let (ledger, fields) = LedgerCatalogue.rows(of: r.indicator.code) {
                    var q = "region=\(west)&year=\(year)" + (counted == .approved ? "&state=approved" : "")
                    for (k, v) in fields.sorted(by: { $0.key < $1.key }) { q += "&f.\(k)=\(v)" }
                    row.rowsHref = "/ledgers/\(ledger.rawValue)?\(q)"
                }
                return row
            }
            let pending = counted == .includingPending ? "&pending=1" : ""
            prefectureChart = BarChart(
                title: l.t("by_prefecture"),
                bars: o.prefectures.map {
                    .init(label: $0.region.name, basisPoints: $0.completion.overall, link: "/regions/\($0.region.code)?year=\(year)\(pending)")
                }
            ).svg()
        }
        // Overdue follow-up tasks stand out: every one the reader can see, those of its own office first.
        let today = context.today
        let regions = try await pages.regionIndex()
        let overdue = try await pages.store.tasks(
            TaskFilter(pairingIds: a.readablePairingIds, state: .overdue, today: today), firstWithin: a.user.scopePrefix, limit: 10)
        let shown = o.completion == nil ? nil : o.agreement
        // The key assisted counties of the pairing's western side that the reader may see (its prefecture on the page).
        let westPrefix = o.pairing.map { Region.scopePrefix(code: $0.westCode, level: ProjectDraft.levelOf($0.westCode)) } ?? ""
        let keyCounties = regions.values
            .filter { $0.keyAssisted && $0.level == .county && $0.code.hasPrefix(westPrefix) && a.canRead(region: $0.code) }
            .sorted { $0.code < $1.code }
            .map { r in
                Option(value: "/regions/\(r.code)?year=\(year)", label: (r.parentCode.flatMap { regions[$0]?.name } ?? "") + r.name, selected: false)
            }
        // The county map of the indicator the province has figures for first; the map page offers every other.
        var countyMap: String?
        if let c = try await MapController.choice(request, context, pages: pages),
            let m = try await MapController.map(c, context, pages: pages, compact: true)
        {
            countyMap = m.svg()
        }
        var model = DashboardPage(
            years: Pages.yearOptions(year), year: year, pending: counted == .includingPending,
            noAgreement: l.t("no_agreement", String(year)),
            agreement: shown.map { .init(id: $0.id, title: $0.title, status: l.t("agreement_" + $0.status.rawValue)) },
            overall: o.completion.map { Completion.percentText($0.overall) },
            rows: rows,
            indicatorChart: o.completion.map { Pages.indicatorChart($0, l, title: l.t("by_indicator")) },
            workAreas: o.completion.map { Pages.workAreaRows($0, l) } ?? [],
            prefectureChart: prefectureChart,
            prefectures: o.completion == nil
                ? []
                : o.prefectures.map {
                    .init(
                        code: $0.region.code, name: $0.region.name, agreementId: $0.agreement.id,
                        completion: Completion.percentText($0.completion.overall))
                },
            funding: Pages.funding(o.funding),
            projectCount: o.projectCount,
            meetings: o.meetings.map {
                .init(
                    title: $0.title, date: $0.date.description, place: $0.place, kind: l.t("meeting_" + $0.kind.rawValue),
                    summary: $0.summary)
            },
            overdueCount: overdue.count, hasOverdue: overdue.count > 0,
            overdue: overdue.first.map { TaskRow($0, regions, l, today: today) },
            keyCounties: keyCounties, hasKeyCounties: !keyCounties.isEmpty,
            partners: Self.partners(o, l))
        model.countyMap = countyMap
        // The warnings of the reader's scope: how many, and the first red ones.
        let warnings = try await EarlyWarnings.build(
            store: pages.store, year: year, today: today, scope: a.scope, pairingIds: a.readablePairingIds, lang: l.lang, projectLimit: 5)
        model.warningCounts = DashboardPage.WarningCounts(
            red: warnings.red, amber: warnings.amber,
            first: warnings.items.prefix { $0.level == .red }.prefix(5).map {
                .init(title: $0.title, link: $0.link, region: regions[$0.regionCode]?.name ?? $0.regionCode, detail: WarningsController.detail($0, l))
            }, href: "/warnings?year=\(year)")
        return try await pages.render("dashboard", title: l.t("dashboard_title"), section: "dashboard", request, context, model)
    }

    /// `?pairing=ID`: which of a province's partners the page follows.
    static func pairingChoice(_ request: Request) throws -> Int64? {
        guard let text = request.query("pairing"), !text.isEmpty else { return nil }
        guard let id = Int64(text), id > 0 else { throw AppError.badFilter("pairing") }
        return id
    }

    /// An eastern province with several partners: the choice among them, and its own totals beside each one's.
    static func partners(_ o: Overview, _ l: Labels) -> DashboardPage.Partners? {
        guard o.partners.count > 1 else { return nil }
        let codes = IndicatorCatalogue.all.filter { o.combined[$0.code] != nil }
        return DashboardPage.Partners(
            choices: o.partners.map { Option(value: String($0.pairing.id), label: $0.west.name, selected: $0.pairing.id == o.pairing?.id) },
            names: o.partners.map(\.west.name),
            rows: codes.map { i in
                DashboardPage.PartnerRow(
                    code: i.code, name: i.name(l.lang), unit: l.unit(i.unit),
                    values: o.partners.map { i.format($0.actuals[i.code] ?? 0) }, total: i.format(o.combined[i.code] ?? 0))
            })
    }
}
