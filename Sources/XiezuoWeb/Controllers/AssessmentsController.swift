import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The year-end assessment (考核) of each pairing: scores, weights, grade and the rule that gave it, the western
/// side's self-assessment and the eastern side's comment, and past years side by side. Weights are set by the
/// assessing office (administrators), never by the pairing's own offices; each side writes its own text.
struct AssessmentsController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/assessments", use: list)
        router.get("/assessments/:pairing/:year", use: show)
        router.post("/assessments/:pairing/:year/weights", use: saveWeights)
        router.post("/assessments/:pairing/:year/self", use: saveSelf)
        router.post("/assessments/:pairing/:year/comment", use: saveComment)
        router.get("/api/v1/assessments/:pairing/:year", use: api)
    }

    func scoped(_ context: SignedInContext) async throws -> (Pairing, Int, Access) {
        let l = Labels(lang: context.language)
        let a = context.access
        let pid = try parseID(context.parameters.get("pairing"))
        guard let yearText = context.parameters.get("year"), let year = Int(yearText), Day.validYears.contains(year) else {
            throw AppError.badID(context.parameters.get("year") ?? "")
        }
        guard let p = a.pairings.first(where: { $0.id == pid }) else { throw AppError.notFound(l.t("nav_assessments")) }
        try a.requireRead(pairing: p, l.t("nav_assessments"))
        return (p, year, a)
    }

    static func ruleText(_ r: GradeRule, _ l: Labels) -> String {
        l.t("grade_rule", AssessmentScore.pointsText(r.good), AssessmentScore.pointsText(r.fairlyGood), AssessmentScore.pointsText(r.average))
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let year = try await ListQuery(request).year.asyncOr { try await pages.defaultYear(context) }
        let a = context.access
        let regions = try await pages.regionIndex()
        var items: [AssessmentListPage.Item] = []
        for p in a.pairings where AccessRule.canRead(a.user, pairing: p) {
            guard let y = try await YearAssessment.build(store: pages.store, pairing: p, year: year) else { continue }
            items.append(
                .init(
                    pairingId: p.id, pairing: pages.pairingLabel(p, regions, l), total: AssessmentScore.pointsText(y.score.total),
                    grade: l.t("grade_" + y.score.grade.rawValue), gradeCode: y.score.grade.rawValue))
        }
        return try await pages.render(
            "assessments", title: l.t("nav_assessments"), section: "assessments", request, context,
            AssessmentListPage(items: items, year: year, years: Pages.yearOptions(year), rule: Self.ruleText(.standard, l)))
    }

    func page(
        _ request: Request, _ context: SignedInContext, issues: [ValidationIssue] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let (p, year, a) = try await scoped(context)
        guard let y = try await YearAssessment.build(store: pages.store, pairing: p, year: year) else {
            throw AppError.notFound(l.t("nav_assessments"))
        }
        let regions = try await pages.regionIndex()
        let base = "/assessments/\(p.id)/\(year)"
        return try await pages.render(
            "assessment", title: l.t("nav_assessments"), section: "assessments", request, context,
            AssessmentPage(
                pairing: pages.pairingLabel(p, regions, l), year: year, agreement: .init(id: y.agreement.id, title: y.agreement.title),
                rows: y.score.rows.map { r in
                    .init(
                        indicator: r.indicator.name(l.lang), code: r.indicator.code, target: r.indicator.format(r.target),
                        actual: r.indicator.format(r.actual), unit: l.unit(r.indicator.unit), completion: Completion.percentText(r.completion),
                        weight: r.weight, points: AssessmentScore.pointsText(r.points))
                },
                total: AssessmentScore.pointsText(y.score.total), grade: l.t("grade_" + y.score.grade.rawValue),
                gradeCode: y.score.grade.rawValue, rule: Self.ruleText(y.score.rule, l),
                selfAssessment: y.record.selfAssessment, partnerComment: y.record.partnerComment, version: y.record.version,
                history: y.history.map { h in
                    .init(
                        year: h.year, total: AssessmentScore.pointsText(h.score.total), grade: l.t("grade_" + h.score.grade.rawValue),
                        current: h.year == year)
                },
                canWeigh: AccessRule.canSetAssessmentWeights(a.user), canSelf: AccessRule.canWriteAssessmentText(a.user, pairing: p, side: .west),
                canComment: AccessRule.canWriteAssessmentText(a.user, pairing: p, side: .east), base: base,
                hasErrors: !issues.isEmpty, errors: issues.map { .init(message: "\($0.field): \($0.message(l.lang))") }), status: status)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try await page(request, context)
    }

    /// Writes one part of the record; the version read with the page guards against overwriting someone else's change.
    func save(
        _ request: Request, _ context: SignedInContext, allowed: (Access, Pairing) -> Bool,
        change: (inout AssessmentRecord, [String: String]) throws -> Void
    ) async throws -> Response {
        let (p, year, a) = try await scoped(context)
        guard allowed(a, p) else { throw AppError.forbidden }
        let f = try await decodeForm(request, context)
        var record = try await pages.store.assessment(pairingId: p.id, year: year)
        guard let v = Int64(f["version"] ?? ""), v == record.version else {
            return try await page(request, context, issues: [ValidationIssue(field: "version", key: "conflict")], status: .conflict)
        }
        do { try change(&record, f) } catch let e as ValidationFailure {
            return try await page(request, context, issues: e.issues, status: .unprocessableContent)
        }
        do { _ = try await pages.store.saveAssessment(record, actor: context.actor) } catch StoreError.conflict {
            return try await page(request, context, issues: [ValidationIssue(field: "version", key: "conflict")], status: .conflict)
        }
        return Response.redirect(to: "/assessments/\(p.id)/\(year)", type: .normal)
    }

    @Sendable func saveWeights(_ request: Request, context: SignedInContext) async throws -> Response {
        let (p, year, _) = try await scoped(context)
        guard let y = try await YearAssessment.build(store: pages.store, pairing: p, year: year) else { throw AppError.notFound("") }
        return try await save(
            request, context, allowed: { a, _ in AccessRule.canSetAssessmentWeights(a.user) },
            change: { r, f in
                switch WeightRules.parse(f, indicators: y.score.rows.map(\.indicator)) {
                case .failure(let e): throw e
                case .success(let w): r.weights = w
                }
            })
    }

    /// Each side writes its own text: the western side the self-assessment, the eastern side the comment.
    func saveText(
        _ request: Request, _ context: SignedInContext, side: Side, field: String,
        _ set: @escaping (inout AssessmentRecord, String) -> Void
    ) async throws -> Response {
        try await save(
            request, context,
            allowed: { a, p in AccessRule.canWriteAssessmentText(a.user, pairing: p, side: side) },
            change: { r, f in
                var v = Validator()
                let t = v.text(field, f[field], required: false, max: 10_000)
                if !v.issues.isEmpty { throw ValidationFailure(v.issues) }
                set(&r, t)
            })
    }

    @Sendable func saveSelf(_ request: Request, context: SignedInContext) async throws -> Response {
        try await saveText(request, context, side: .west, field: "selfAssessment") { $0.selfAssessment = $1 }
    }

    @Sendable func saveComment(_ request: Request, context: SignedInContext) async throws -> Response {
        try await saveText(request, context, side: .east, field: "partnerComment") { $0.partnerComment = $1 }
    }

    @Sendable func api(_ request: Request, context: SignedInContext) async throws -> Response {
        let (p, year, _) = try await scoped(context)
        guard let y = try await YearAssessment.build(store: pages.store, pairing: p, year: year) else { throw AppError.notFound("assessment") }
        return jsonResponse(AssessmentOut(y, pairingId: p.id, year: year))
    }
}
