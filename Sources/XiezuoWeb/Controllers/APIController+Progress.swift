import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Reported figures (one at a time, or imported all or nothing) and the dashboard's figures.
extension APIController {

    @Sendable func progress(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request, defaultSize: 50)
        let page = q.page
        let r = try await store.progress(try ProgressFilter(q, scope: context.access.scope), page: page)
        return jsonResponse(ListOut(r.items.map(ProgressOut.init), total: r.total, page: page))
    }

    @Sendable func addProgress(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = try await decodeJSON(ProgressDraft.self, request, context)
        let code = (draft.regionCode ?? "").trimmingWhitespace()
        let region = Region.isWellFormedCode(code) ? try await store.region(code: code) : nil
        switch draft.validate(region: region) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let p):
            try context.access.requireWrite(region: p.regionCode)
            return jsonResponse(ProgressOut(try await store.addProgress(p, actor: context.actor)), status: .created)
        }
    }

    struct ImportBody: Decodable { var rows: [ProgressDraft] }
    static let maxImportRows = 200_000
    static let maxImportBody = 48 << 20

    /// Many figures in one request, all or nothing: every row is checked (its fields, and that the caller may write
    /// its region) before anything is written; one bad row rejects the whole import with every problem listed by row
    /// and field. Accepted rows land in one transaction, each with its audit record.
    @Sendable func importProgress(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: Self.maxImportBody) } catch {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(Self.maxImportBody >> 20)])
        }
        let body: ImportBody
        do { body = try JSONDecoder().decode(ImportBody.self, from: Data(buffer: buffer)) } catch {
            throw AppError.badJSON("\(error)".prefix(300).description)
        }
        guard !body.rows.isEmpty, body.rows.count <= Self.maxImportRows else {
            throw AppError.invalid(
                ValidationFailure([ValidationIssue(field: "rows", key: "error.import_rows", params: [String(Self.maxImportRows)])]))
        }
        let a = context.access
        try a.requireWriter()
        let regions = try await store.regionIndex()
        var accepted: [ProgressReport] = []
        var acceptedRow: [Int] = []
        var problems: [ErrorOut.RowProblem] = []
        var seen: [String: Int] = [:]
        for (i, draft) in body.rows.enumerated() {
            switch draft.validate(region: regions[(draft.regionCode ?? "").trimmingWhitespace()]) {
            case .failure(let f):
                for issue in f.issues where problems.count < 1_000 {
                    problems.append(.init(row: i + 1, field: issue.field, message: issue.message(context.language)))
                }
            case .success(let p):
                let key = "\(p.indicatorCode)|\(p.regionCode)|\(p.year)|\(p.month)"
                if let first = seen[key] {
                    // One figure per indicator, region and month, inside the file as in the database.
                    if problems.count < 1_000 {
                        problems.append(
                            .init(row: i + 1, field: "month", message: Strings.text("error.duplicate_row", context.language, [String(first + 1)])))
                    }
                } else if AccessRule.canWrite(a.user, regionCode: p.regionCode) {
                    seen[key] = i
                    accepted.append(p)
                    acceptedRow.append(i)
                } else if problems.count < 1_000 {
                    problems.append(.init(row: i + 1, field: "regionCode", message: Strings.text("error.forbidden", context.language)))
                }
            }
        }
        for (n, id) in try await store.existingFigures(accepted).sorted(by: { $0.key < $1.key }) where problems.count < 1_000 {
            problems.append(
                .init(row: acceptedRow[n] + 1, field: "month", message: Strings.text("error.duplicate_figure", context.language, ["/progress/\(id)"]))
            )
        }
        problems.sort { $0.row < $1.row }
        guard problems.isEmpty else {
            return jsonResponse(
                ErrorOut(
                    error: .init(
                        code: "validation", message: Strings.text("error.import_rejected", context.language, [String(problems.count)]),
                        rows: problems)), status: .unprocessableContent)
        }
        try await store.importProgress(accepted, actor: context.actor)
        return jsonResponse(Imported(imported: accepted.count), status: .created)
    }

    @Sendable func dashboard(_ request: Request, context: SignedInContext) async throws -> Response {
        try await cache.respond(request, context) { try await dashboardAnswer(request, context) }
    }

    func dashboardAnswer(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let year = try await ListQuery(request).year.asyncOr { try await defaultYear(store, today: context.today) }
        let a = context.access
        let o = try await Overview.build(
            store: store, year: year, counted: Pages.counted(request),
            pairingIds: a.readablePairingIds, scope: a.scope, pairingId: try DashboardController.pairingChoice(request))
        let shown = o.completion.flatMap { c in o.agreement.map { ($0, c) } }
        return jsonResponse(
            DashboardOut(
                year: year, pairingId: o.pairing?.id,
                partners: o.partners.map { .init(pairingId: $0.pairing.id, westCode: $0.west.code, name: $0.west.name, actuals: $0.actuals) },
                combined: o.combined, projectCount: o.projectCount, funding: FundingOut(o.funding),
                agreement: shown.map { AgreementOut($0.0) }, completion: shown.map { CompletionOut($0.1) },
                prefectures: o.prefectures.map {
                    .init(
                        regionCode: $0.region.code, name: $0.region.name, agreementId: $0.agreement.id,
                        overallBasisPoints: $0.completion.overall)
                }))
    }
}
