import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The county map: a western province's counties coloured by one indicator, its key assisted counties marked, its
/// eastern partner cities linked to what they assist.
struct MapController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/map", use: page)
    }

    /// What a map request asks for, checked: a bad value is a 400 in the reader's language, never a silent default.
    struct Choice {
        var year: Int
        var province: String
        var indicator: Indicator
        var measure: CountyMap.Measure?
        var counted: CountedStates
        var provinces: [String]
    }

    /// The western provinces the reader's pairings cover, in code order; the reader's own first when it is one.
    static func provinces(_ access: Access) -> [String] {
        let frames = CountyShapes.shared.frames
        var out = Set(access.covered.map { String($0.prefix(2)) + "0000" }).filter { frames[$0] != nil }.sorted()
        let own = String(access.user.regionCode.prefix(2)) + "0000"
        if let i = out.firstIndex(of: own) { out.insert(out.remove(at: i), at: 0) }
        return out
    }

    /// `defaultIndicator`: what to show when the request names none (the dashboard knows it already); nil: the first
    /// the province has figures for.
    static func choice(_ request: Request, _ context: SignedInContext, pages: Pages, defaultIndicator: Indicator? = nil) async throws -> Choice? {
        let year = try await ListQuery(request).year.asyncOr { try await pages.defaultYear(context) }
        let provinces = provinces(context.access)
        let province: String
        if let asked = request.query("province"), !asked.isEmpty {
            guard provinces.contains(asked) else { throw AppError.badFilter("province") }
            province = asked
        } else {
            guard let first = provinces.first else { return nil }
            province = first
        }
        let counted = Pages.counted(request)
        let indicator: Indicator
        if let asked = request.query("indicator"), !asked.isEmpty {
            guard let i = IndicatorCatalogue.byCode[asked] else { throw AppError.badFilter("indicator") }
            indicator = i
        } else if let defaultIndicator {
            indicator = defaultIndicator
        } else {
            // The first indicator the province has figures for this year (the catalogue's order), else the first.
            let actuals = try await pages.store.actuals(year: year, regionCode: province, counted: counted)
            indicator = IndicatorCatalogue.all.first { (actuals[$0.code] ?? 0) > 0 } ?? IndicatorCatalogue.all[0]
        }
        var measure: CountyMap.Measure?
        if let asked = request.query("measure"), !asked.isEmpty {
            guard let m = CountyMap.Measure(rawValue: asked) else { throw AppError.badFilter("measure") }
            measure = m
        }
        return Choice(year: year, province: province, indicator: indicator, measure: measure, counted: counted, provinces: provinces)
    }

    /// The map for a choice, as far as the reader may see.
    static func map(_ c: Choice, _ context: SignedInContext, pages: Pages, compact: Bool = false) async throws -> CountyMap? {
        let pending = c.counted == .includingPending ? "&pending=1" : ""
        var map = try await CountyMap.build(
            store: pages.store, lang: context.language, province: c.province, year: c.year, indicator: c.indicator, measure: c.measure,
            counted: c.counted, scope: context.access.scope, pairingIds: context.access.readablePairingIds,
            countyLink: { "/regions/\($0)?year=\(c.year)\(pending)" })
        map?.compact = compact
        return map
    }

    @Sendable func page(_ request: Request, context: SignedInContext) async throws -> Response {
        try await pages.cache.respond(request, context) { try await build(request, context) }
    }

    func build(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let regions = try await pages.regionIndex()
        guard let c = try await Self.choice(request, context, pages: pages), let map = try await Self.map(c, context, pages: pages) else {
            return try await pages.render(
                "map", title: l.t("map_nav"), section: "map", request, context,
                MapPage(
                    years: Pages.yearOptions(try await pages.defaultYear(context)), provinces: [], indicators: [], measures: [], svg: nil,
                    counties: [], pending: false))
        }
        let readable = map.counties.values.filter(\.readable).sorted { $0.code < $1.code }
        var model = MapPage(
            years: Pages.yearOptions(c.year),
            provinces: c.provinces.map { Option(value: $0, label: regions[$0]?.name ?? $0, selected: $0 == c.province) },
            indicators: IndicatorCatalogue.all.map { Option(value: $0.code, label: $0.name(l.lang), selected: $0.code == c.indicator.code) },
            measures: CountyMap.Measure.allCases.map {
                Option(value: $0.rawValue, label: l.t($0 == .completion ? "completion" : "map_amount"), selected: $0 == map.measure)
            },
            svg: map.svg(),
            counties: readable.map { county in
                MapPage.CountyLine(
                    code: county.code, name: county.name, prefecture: regions[String(county.code.prefix(4)) + "00"]?.name ?? "",
                    actual: county.actual.map { c.indicator.format($0) } ?? "—",
                    target: county.target.map { c.indicator.format($0) } ?? "—",
                    completion: Completion.percentText(county.basisPoints), keyAssisted: county.keyAssisted,
                    partners: county.partners.joined(separator: "、"), href: county.href ?? "")
            },
            pending: c.counted == .includingPending, unit: l.unit(c.indicator.unit))
        model.hasProvinceChoice = c.provinces.count > 1
        return try await pages.render("map", title: map.title, section: "map", request, context, model)
    }
}
