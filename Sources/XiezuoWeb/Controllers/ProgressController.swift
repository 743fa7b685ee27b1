import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Reported actual values: the list with filters and the form to report a figure.
struct ProgressController {
    let pages: Pages

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/progress", use: list)
        router.post("/progress", use: create)
    }

    static func filter(_ request: Request) throws -> ProgressFilter {
        var f = ProgressFilter()
        if let i = request.query("indicator") {
            guard IndicatorCatalogue.byCode[i] != nil else { throw AppError.badFilter("indicator") }
            f.indicatorCode = i
        }
        if let r = request.query("region") {
            guard Region.isWellFormedCode(r) else { throw AppError.badFilter("region") }
            f.regionCode = r
        }
        if let y = request.query("year") {
            guard let v = Int(y), Day.validYears.contains(v) else { throw AppError.badFilter("year") }
            f.year = v
        }
        if let s = request.query("state") {
            guard let v = ProgressState(rawValue: s) else { throw AppError.badFilter("state") }
            f.state = v
        }
        return f
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, draft: ProgressDraft(year: String(Store.demoYear)), issues: [])
    }

    func page(_ request: Request, _ context: AppRequestContext, draft: ProgressDraft, issues: [ValidationIssue]) async throws -> Response {
        let l = Labels(lang: context.language)
        var f = try Self.filter(request)
        f.visiblePrefixes = try await access(pages.store, context).readable
        let pg = try ProjectsController.page(request, defaultSize: 50)
        let result = try await pages.store.progress(f, page: pg)
        let regions = try await pages.regionIndex()
        let west = regions.values.filter { $0.side == .west }.sorted { $0.code < $1.code }
        let data: [String: Any] = [
            "items": result.items.map { p -> [String: Any] in
                let ind = IndicatorCatalogue.byCode[p.indicatorCode]
                return ["indicator": ind?.name(l.lang) ?? p.indicatorCode, "region": regions[p.regionCode]?.name ?? p.regionCode,
                        "period": "\(p.year)-\(p.month < 10 ? "0" : "")\(p.month)", "value": ind?.format(p.value) ?? String(p.value),
                        "unit": ind.map { l.unit($0.unit) } ?? "", "state": l.t("state_" + p.state.rawValue), "note": p.note]
            },
            "pageInfo": l.t("page_of", String(pg.number), String(result.pageCount), String(result.total)),
            "indicators": IndicatorCatalogue.all.map { ["value": $0.code, "label": "\($0.name(l.lang))（\(l.unit($0.unit))）",
                                                         "selected": $0.code == draft.indicatorCode] },
            "regions": west.map { ["value": $0.code, "label": $0.name, "selected": $0.code == draft.regionCode] },
            "f": FormState(values: ["indicatorCode": draft.indicatorCode ?? "", "regionCode": draft.regionCode ?? "",
                                    "year": draft.year ?? "", "month": draft.month ?? "", "value": draft.value ?? "",
                                    "note": draft.note ?? ""], issues: issues, lang: l.lang).data,
            "hasErrors": !issues.isEmpty,
        ]
        return try await pages.render("progress", title: l.t("progress_title"), section: "progress", request, context, data,
                                      status: issues.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let draft = ProgressDraft(indicatorCode: form["indicatorCode"], regionCode: form["regionCode"], year: form["year"],
                                  month: form["month"], value: form["value"], note: form["note"])
        let code = (draft.regionCode ?? "").trimmingWhitespace()
        let region = Region.isWellFormedCode(code) ? try await pages.store.region(code: code) : nil
        switch draft.validate(region: region) {
        case .failure(let f): return try await page(request, context, draft: draft, issues: f.issues)
        case .success(let p):
            try await access(pages.store, context).requireWrite(region: p.regionCode)
            _ = try await pages.store.addProgress(p, actor: context.actor)
            return Response.redirect(to: "/progress?region=\(p.regionCode)&year=\(p.year)", type: .normal)
        }
    }
}
