import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The leaders' screen (驾驶舱): one page for a wall display — the year's headline indicators with completion and
/// pace, the county map, monthly trends, indicators behind pace and overdue tasks. It reloads itself every five
/// minutes without a script; scope is the signed-in reader's, as on every page.
struct ScreenController {
    let pages: Pages

    /// Seconds between reloads of the wall display.
    static let refreshSeconds = 300

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/screen", use: screen)
    }

    @Sendable func screen(_ request: Request, context: SignedInContext) async throws -> Response {
        try await pages.cache.respond(request, context) { try await build(request, context) }
    }

    func build(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let year = try await ListQuery(request).year.asyncOr { try await pages.defaultYear(context) }
        let o = try await Overview.build(
            store: pages.store, year: year, counted: .approved, pairingIds: a.readablePairingIds, scope: a.scope,
            pairingId: try DashboardController.pairingChoice(request))
        let today = context.today
        let west = o.pairing.map { Region.scopePrefix(code: $0.westCode, level: ProjectDraft.levelOf($0.westCode)) } ?? ""
        let monthly = west.isEmpty ? [:] : try await pages.store.monthlyActuals(year: year, within: west)

        // One rule for every flag: the early warnings (Pace, an office's monthly plan, WarningRules).
        let all = try await EarlyWarnings.build(
            store: pages.store, year: year, today: today, scope: a.scope, pairingIds: a.readablePairingIds, lang: l.lang, projectLimit: 8
        ).items
        let levels = Dictionary(
            all.filter { $0.kind == .indicatorBehind && $0.agreementId == o.agreement?.id }.map { ($0.subject, $0.level) },
            uniquingKeysWith: { a, _ in a })
        let warnings = all.filter { $0.level == .red && $0.kind != .taskOverdue }.prefix(6).map {
            ScreenPage.Warning(code: $0.subject, region: $0.regionCode, text: $0.title + "：" + WarningsController.detail($0, l))
        }
        var tiles: [ScreenPage.Tile] = []
        var series: [TrendChart.Series] = []
        for r in o.completion?.rows ?? [] {
            let level = levels[r.indicator.code]
            let byMonth = monthly[r.indicator.code] ?? [:]
            let lastMonth = byMonth.keys.max() ?? 0
            var running: Int64 = 0
            let cumulative = (0..<lastMonth).map { m -> Int in
                running += byMonth[m + 1] ?? 0
                return Completion.basisPoints(actual: running, target: r.target) ?? 0
            }
            tiles.append(
                ScreenPage.Tile(
                    code: r.indicator.code, name: r.indicator.name(l.lang), completion: Completion.percentText(r.basisPoints),
                    actual: r.indicator.format(r.actual), target: r.indicator.format(r.target), unit: l.unit(r.indicator.unit),
                    level: level?.rawValue ?? "ok"))
            series.append(TrendChart.Series(name: r.indicator.name(l.lang), cumulative: cumulative, level: level))
        }
        // The six furthest behind first: red, then amber, then the rest, each in the agreement's order.
        let rank: (PaceLevel?) -> Int = { $0 == .red ? 0 : $0 == .amber ? 1 : 2 }
        let shown = series.enumerated().filter { !$0.element.cumulative.isEmpty }.sorted {
            (rank($0.element.level), $0.offset) < (rank($1.element.level), $1.offset)
        }.prefix(6).map(\.element)
        var trend = TrendChart(title: l.t("screen_trends"), series: shown)
        trend.dark = true
        trend.columns = 2

        var mapSVG: String?
        if let c = try await MapController.choice(request, context, pages: pages),
            let m = try await MapController.map(c, context, pages: pages, compact: true)
        {
            mapSVG = m.svg()
        }
        let regions = try await pages.regionIndex()
        let overdue = try await pages.store.tasks(
            TaskFilter(pairingIds: a.readablePairingIds, state: .overdue, today: today), firstWithin: a.user.scopePrefix, limit: 5)
        let model = ScreenPage(
            year: year, refreshSeconds: Self.refreshSeconds,
            heading: l.t("screen_heading", String(year), o.pairing.map { pages.pairingLabel($0, regions, l) } ?? ""),
            asOf: today.description, overall: o.completion.map { Completion.percentText($0.overall) } ?? "—",
            tiles: tiles, map: mapSVG, trend: series.isEmpty ? nil : trend.svg(), warnings: Array(warnings),
            overdueCount: overdue.count, overdue: overdue.first.map { TaskRow($0, regions, l, today: today) },
            rule: l.t("screen_rule", String(Pace.amberBelow / 100), String(Pace.redBelow / 100)),
            funding: Pages.funding(o.funding), projectCount: o.projectCount)
        return try await pages.render("screen", title: model.heading, section: "screen", request, context, model)
    }
}
