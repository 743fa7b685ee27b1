import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The public portal (`serve --public`): approved figures by prefecture and county and the completed projects,
/// without sign-in, as a page, CSV and JSON. Its routes read no session (AuthMiddleware's anonymous paths) and are
/// not registered at all unless the deployment switches the portal on.
struct PublicController {
    let pages: Pages
    let clock: ChinaClock
    let licence: String

    static let paths = ["/public", "/public/figures.csv", "/public/figures.json"]
    /// Answers may be kept by browsers and proxies this long; the ETag (the data's version) revalidates them.
    static let maxAge = 300

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/public", use: page)
        router.get("/public/figures.csv", use: csv)
        router.get("/public/figures.json", use: json)
    }

    struct Answer {
        var year: Int
        var tag: String
    }

    /// The year asked for (or the latest with an agreement) and the ETag of its answer: the same data version, year
    /// and language give the same answer.
    func answer(_ request: Request, _ context: AppRequestContext, kind: String) async throws -> Answer {
        let today = clock.today()
        let year = try await ListQuery(request).year.asyncOr { try await defaultYear(pages.store, today: today) }
        let version = try await pages.store.dataVersion()
        return Answer(year: year, tag: "\"p\(version)-\(year)-\(context.language.rawValue)-\(kind)\"")
    }

    func notModified(_ request: Request, _ a: Answer) -> Response? {
        guard let sent = request.headers[.ifNoneMatch],
            sent.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == a.tag })
        else { return nil }
        return Response(status: .notModified, headers: cacheHeaders(a))
    }

    func cacheHeaders(_ a: Answer) -> HTTPFields {
        [.cacheControl: "public, max-age=\(Self.maxAge)", .eTag: a.tag]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await answer(request, context, kind: "html")
        if let unchanged = notModified(request, a) { return unchanged }
        let l = Labels(lang: context.language)
        let f = try await PublicFigures.build(store: pages.store, year: a.year, lang: context.language)
        let prefectures = f.figures.filter { $0.level == "prefecture" }
        let counties = f.figures.filter { $0.level == "county" }
        func rows(_ list: [PublicFigures.Figure]) -> [PublicPage.Row] {
            list.map { .init(code: $0.code, name: $0.name, prefecture: $0.prefecture, indicator: $0.indicatorName, value: $0.display, unit: $0.unit) }
        }
        let model = PublicPage(
            year: a.year, years: Pages.yearOptions(a.year), prefectures: rows(prefectures), counties: rows(counties),
            projects: f.projects.map {
                .init(
                    title: $0.title, county: $0.county, workArea: $0.workArea, plannedEnd: $0.plannedEnd ?? "—",
                    budget: Money(fen: Self.fen($0.budget)).wanText, disbursed: Money(fen: Self.fen($0.disbursed)).wanText)
            },
            licence: l.t("public_licence_line", licence), csvHref: "/public/figures.csv?year=\(a.year)",
            jsonHref: "/public/figures.json?year=\(a.year)")
        var response = try await pages.render("public", title: l.t("public_title", String(a.year)), section: "public", request, context, model)
        for field in cacheHeaders(a) { response.headers.append(field) }
        return response
    }

    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await answer(request, context, kind: "csv")
        if let unchanged = notModified(request, a) { return unchanged }
        let f = try await PublicFigures.build(store: pages.store, year: a.year, lang: context.language)
        var headers = cacheHeaders(a)
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "inline; filename=\"figures-\(a.year).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: f.csv(licence: licence, lang: context.language))))
    }

    struct JSONAnswer: Encodable {
        let licence: String
        let year: Int
        let figures: [PublicFigures.Figure]
        let completedProjects: [PublicFigures.CompletedProject]
    }

    @Sendable func json(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await answer(request, context, kind: "json")
        if let unchanged = notModified(request, a) { return unchanged }
        let f = try await PublicFigures.build(store: pages.store, year: a.year, lang: context.language)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(JSONAnswer(licence: licence, year: a.year, figures: f.figures, completedProjects: f.projects))
        var headers = cacheHeaders(a)
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// 万元 with six decimals back to fen (the page shows the grouped form).
    static func fen(_ wan: String) -> Int64 { Money.parse(wan, unit: .wan)?.fen ?? 0 }
}
