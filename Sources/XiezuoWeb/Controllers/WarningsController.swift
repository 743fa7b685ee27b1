import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// Early warnings (监测预警) in the reader's scope: the page, its monthly XLSX list for the supervising office, and
/// the API answer. Every one is made by `EarlyWarnings` from the rules in `WarningRules` and `Pace`.
struct WarningsController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/warnings", use: page)
        router.get("/warnings/export.xlsx", use: export)
        router.get("/api/v1/warnings", use: api)
    }

    /// The year asked (or the default) and the reader's warnings, filtered by level and kind when asked.
    func warnings(
        _ request: Request, _ context: SignedInContext, projectLimit: Int = 200
    ) async throws -> (
        year: Int, all: EarlyWarnings.List, shown: [Warning]
    ) {
        let year = try await ListQuery(request).year.asyncOr { try await pages.defaultYear(context) }
        var level: PaceLevel?
        if let asked = request.query("level"), !asked.isEmpty {
            guard let l = PaceLevel(rawValue: asked) else { throw AppError.badFilter("level") }
            level = l
        }
        var kind: Warning.Kind?
        if let asked = request.query("kind"), !asked.isEmpty {
            guard let k = Warning.Kind(rawValue: asked) else { throw AppError.badFilter("kind") }
            kind = k
        }
        let all = try await EarlyWarnings.build(
            store: pages.store, year: year, today: context.today, scope: context.access.scope, pairingIds: context.access.readablePairingIds,
            lang: context.language, projectLimit: projectLimit)
        return (year, all, all.items.filter { w in (level.map { w.level == $0 } ?? true) && (kind.map { w.kind == $0 } ?? true) })
    }

    static func detail(_ w: Warning, _ l: Labels) -> String { EarlyWarnings.detail(w, lang: l.lang) }

    @Sendable func page(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let (year, all, shown) = try await warnings(request, context)
        let regions = try await pages.regionIndex()
        let model = WarningsPage(
            years: Pages.yearOptions(year), year: year,
            levels: [Option(value: "", label: l.t("all"), selected: request.query("level") == nil)]
                + PaceLevel.allCases.map {
                    Option(value: $0.rawValue, label: l.t("warning_" + $0.rawValue), selected: request.query("level") == $0.rawValue)
                },
            kinds: [Option(value: "", label: l.t("all"), selected: request.query("kind") == nil)]
                + Warning.Kind.allCases.map {
                    Option(value: $0.rawValue, label: l.t("warning_kind_" + $0.rawValue), selected: request.query("kind") == $0.rawValue)
                },
            red: all.red, amber: all.amber,
            items: shown.map { w in
                WarningsPage.Item(
                    level: w.level.rawValue, levelName: l.t("warning_" + w.level.rawValue), kind: w.kind.rawValue,
                    kindName: l.t("warning_kind_" + w.kind.rawValue),
                    title: w.title, link: w.link, region: regions[w.regionCode]?.name ?? w.regionCode, detail: Self.detail(w, l), subject: w.subject)
            },
            rule: l.t(
                "warning_rule", String(Pace.amberBelow / 100), String(Pace.redBelow / 100), String(WarningRules.stalledMonths),
                String(WarningRules.taskRedAfterDays)),
            asOf: context.today.description, exportHref: "/warnings/export.xlsx?year=\(year)",
            more: all.projectsNotListed > 0 ? l.t("warnings_more_projects", String(all.projectsNotListed)) : nil)
        return try await pages.render("warnings", title: l.t("warnings_title"), section: "warnings", request, context, model)
    }

    @Sendable func export(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let (year, _, shown) = try await warnings(request, context, projectLimit: Self.exportLimit)
        let regions = try await pages.regionIndex()
        let rows: [[XLSXWriter.Cell]] = shown.map { w in
            [
                .text(l.t("warning_" + w.level.rawValue)), .text(l.t("warning_kind_" + w.kind.rawValue)), .text(FormulaGuard.escape(w.title)),
                .text(regions[w.regionCode]?.name ?? w.regionCode), .text(w.regionCode), .text(FormulaGuard.escape(Self.detail(w, l))),
                .text(w.since?.description ?? ""),
            ]
        }
        let title = l.t("warnings_file_title", String(context.today.year), String(context.today.month))
        let sheet = XLSXWriter.Sheet(
            name: l.t("warnings_title"),
            header: [
                l.t("warning_level"), l.t("warning_kind"), l.t("warning_about"), l.t("region"), l.t("code"), l.t("warning_detail"),
                l.t("warning_since"),
            ],
            rows: rows + [[.text(l.t("warnings_as_of", context.today.description, String(year)))]])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: Download.disposition(title + ".xlsx", ascii: "warnings-\(context.today).xlsx"),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: try XLSXWriter(sheets: [sheet]).data())))
    }

    /// The most project warnings an export lists, and an API answer unless it asks for fewer (the counts cover all).
    static let exportLimit = 5_000
    static let apiDefaultLimit = 200

    @Sendable func api(_ request: Request, context: SignedInContext) async throws -> Response {
        var limit = Self.apiDefaultLimit
        if let asked = request.query("limit"), !asked.isEmpty {
            guard let n = Int(asked), (0...Self.exportLimit).contains(n) else { throw AppError.badFilter("limit") }
            limit = n
        }
        let (year, all, shown) = try await warnings(request, context, projectLimit: limit)
        let regions = try await pages.regionIndex()
        return jsonResponse(
            WarningsOut(
                year: year, asOf: context.today.description, red: all.red, amber: all.amber, projectsNotListed: all.projectsNotListed,
                items: shown.map { WarningOut($0, regions: regions) }))
    }
}
