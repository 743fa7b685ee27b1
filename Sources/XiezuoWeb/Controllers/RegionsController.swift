import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Region pages: what a region is, the completion of the regions below it, and its projects.
struct RegionsController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/regions", use: index)
        router.get("/regions/:code", use: show)
        router.get("/pairings", use: pairings)
        router.get("/indicators", use: indicators)
    }

    /// A user's own region is its natural start; administrators start at the western province.
    @Sendable func index(_ request: Request, context: SignedInContext) async throws -> Response {
        let home = context.user.role == .admin ? "520000" : context.user.regionCode
        return Response.redirect(to: "/regions/\(home)", type: .normal)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let code = context.parameters.get("code") ?? ""
        guard Region.isWellFormedCode(code), let region = try await pages.store.region(code: code) else {
            throw AppError.notFound(l.t("region"))
        }
        // Figures of a region are shown to those who may read it; a region above one's own shows its reference
        // data only, and any other region is not there at all.
        let a = context.access
        let figures = a.canRead(region: code)
        guard figures || a.user.regionCode.hasPrefix(region.scopePrefix) else { throw AppError.notFound(l.t("region")) }
        let year = try await ListQuery(request).year.asyncOr { try await pages.defaultYear(context) }
        let counted = Pages.counted(request)
        let children = try await pages.store.children(of: code).filter { a.canRead(region: $0.code) || a.user.regionCode.hasPrefix($0.scopePrefix) }
        let actuals = figures ? try await pages.store.actuals(year: year, regionCode: code, counted: counted) : [:]
        let byChild = region.level == .county || !figures ? [:] : try await pages.store.actualsByChild(year: year, parent: region, counted: counted)
        let shown = IndicatorCatalogue.all.filter { actuals[$0.code] != nil }
        let parent = try await region.parentCode.asyncMap { try await pages.store.region(code: $0) } ?? nil
        let projects = try await pages.store.projects(ProjectFilter(regionCode: code, scope: a.scope), page: Page(number: 1, size: 20))
        let model = RegionPage(
            region: .init(
                code: region.code, name: region.name, level: l.t("level_" + region.level.rawValue),
                side: l.t("side_" + region.side.rawValue), keyAssisted: region.keyAssisted, resettlement: region.resettlementArea),
            year: year, years: Pages.yearOptions(year),
            actuals: shown.map { .init(name: $0.name(l.lang), unit: l.unit($0.unit), value: $0.format(actuals[$0.code] ?? 0)) },
            indicatorHeads: shown.map { .init(name: $0.name(l.lang)) },
            children: children.map { c in
                let a = byChild[c.code] ?? [:]
                return .init(code: c.code, name: c.name, keyAssisted: c.keyAssisted, values: shown.map { .init(value: $0.format(a[$0.code] ?? 0)) })
            },
            projects: projects.items.map {
                .init(id: $0.project.id, title: $0.project.title, county: $0.countyName, status: l.t("project_" + $0.project.status.rawValue))
            },
            projectTotal: projects.total,
            parent: parent.map { .init(code: $0.code, name: $0.name) })
        return try await pages.render("region", title: region.name, section: "regions", request, context, model)
    }

    @Sendable func pairings(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let regions = try await pages.regionIndex()
        let items = try await pages.store.pairings().map { p in
            PairingListPage.Item(
                id: p.id, level: l.t("pairing_" + p.level.rawValue),
                east: p.eastParty ?? regions[p.eastCode]?.name ?? p.eastCode, eastCode: p.eastCode,
                west: p.westParty ?? regions[p.westCode]?.name ?? p.westCode, westCode: p.westCode,
                since: p.sinceYear, until: p.untilYear.map(String.init))
        }
        return try await pages.render(
            "pairings", title: l.t("pairings_title"), section: "pairings", request, context, PairingListPage(items: items))
    }

    @Sendable func indicators(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let items = IndicatorCatalogue.all.map { i in
            IndicatorListPage.Item(
                code: i.code, name: i.name(l.lang), unit: l.unit(i.unit), source: l.t("source_" + i.source.rawValue),
                workArea: i.workArea.name(l.lang))
        }
        return try await pages.render(
            "indicators", title: l.t("indicators_title"), section: "indicators", request, context, IndicatorListPage(items: items))
    }
}
