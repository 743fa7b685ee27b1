import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// The JSON API of the ledgers.
extension LedgersController {

    @Sendable func apiList(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let a = context.access
        let q = try ListQuery(request, defaultSize: 50)
        let f = try LedgerFilter(q, name.definition, scope: a.scope)
        let pg = q.page
        let result = try await store.ledgerRows(name, f, page: pg)
        var out = ListOut(result.items.map { LedgerRowOut($0) }, total: result.total, page: pg)
        if result.totalAtLeast { out.totalAtLeast = true }
        return jsonResponse(out)
    }

    @Sendable func apiShow(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, _) = try await scopedRow(context)
        return jsonResponse(LedgerRowOut(r))
    }

    struct ImportBody: Decodable {
        var fileName: String?
        var content: String?
        var dryRun: Bool?
    }

    /// A sheet as base64 in JSON: the preview (`dryRun`) or the import, all or nothing, with the same report.
    @Sendable func apiImport(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let a = context.access
        try a.requireWriter()
        // base64 makes the file a third larger.
        let buffer = try await Self.collect(request, limit: Self.maxUpload * 4 / 3 + 4096)
        let body: ImportBody
        do { body = try JSONDecoder().decode(ImportBody.self, from: Data(buffer: buffer)) } catch {
            throw AppError.badJSON(String(describing: error).prefix(200).description)
        }
        guard let content = body.content, let data = Data(base64Encoded: content), !data.isEmpty else {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "content", key: "error.required")]))
        }
        let report: LedgerImportReport
        do {
            report = try await runImport(name, data: data, fileName: body.fileName ?? "", commit: !(body.dryRun ?? false), a: a, actor: context.actor)
        } catch {
            guard let problem = Self.fileProblem(error, l) else { throw error }
            return jsonResponse(ErrorOut(error: .init(code: "unreadable_file", message: problem)), status: .unprocessableContent)
        }
        let out = LedgerImportOut(report, name, l.lang)
        return jsonResponse(out, status: report.rejected > 0 ? .unprocessableContent : (report.committed ? .created : .ok))
    }
}
