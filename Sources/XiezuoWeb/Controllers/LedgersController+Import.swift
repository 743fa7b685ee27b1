import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// Import of an uploaded sheet: preview, then all or nothing.
extension LedgersController {
    /// The request body, up to `limit` bytes (413 with the limit in MB beyond it).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        do { return try await request.collectBody(upTo: limit) } catch {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(maxUpload >> 20)])
        }
    }

    func runImport(_ name: LedgerName, data: Data, fileName: String, commit: Bool, a: Access, actor: Actor) async throws -> LedgerImportReport {
        let dir = try await directory()
        let (tmp, file) = try PrivateFiles.write(data, name: "upload")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let user = a.user
        let readable = a.readable
        let definition = name.definition
        do {
            return try await store.importLedger(
                name, commit: commit, actor: actor,
                canWrite: { AccessRule.canWriteLedger(user, countyCode: $0, readable: readable) },
                open: { try LedgerFileRows(url: file, definition: definition, regions: dir) })
        } catch let e as LedgerImportRejected {
            return e.report
        }
    }

    /// The reason a whole file cannot be read, in the reader's language.
    static func fileProblem(_ error: any Error, _ l: Labels) -> String? {
        if let e = error as? SheetFileError { return l.t("ledger.not_a_sheet", e.message(l.lang)) }
        if let e = error as? CellIssue { return e.message(l.lang) }
        return nil
    }

    @Sendable func upload(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let a = context.access
        try a.requireWriter()
        let body = try await Self.collect(request, limit: maxFormBody)
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? ""),
            let multipart = MultipartForm.parse(Data(buffer: body), boundary: boundary),
            let file = multipart.file("file"), !file.data.isEmpty
        else {
            return try await preview(name, nil, uploadId: nil, problem: l.t("error.required"), request, context)
        }
        do {
            let report = try await runImport(name, data: file.data, fileName: file.filename ?? "", commit: false, a: a, actor: context.actor)
            let id =
                report.rejected == 0
                ? try await store.stageUpload(userId: a.user.id, ledger: name, fileName: file.filename ?? "", data: file.data) : nil
            return try await preview(name, report, uploadId: id, problem: nil, request, context)
        } catch {
            guard let problem = Self.fileProblem(error, l) else { throw error }
            return try await preview(name, nil, uploadId: nil, problem: problem, request, context)
        }
    }

    @Sendable func commit(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let a = context.access
        try a.requireWriter()
        _ = try await decodeForm(request, context)
        let id = try parseID(context.parameters.get("upload"))
        guard let (ledger, fileName, data) = try await store.stagedUpload(id: id, userId: a.user.id), ledger == name else {
            throw AppError.notFound(l.t("ledger_file"))
        }
        do {
            let report = try await runImport(name, data: data, fileName: fileName, commit: true, a: a, actor: context.actor)
            if report.committed { try await store.dropUpload(id: id) }
            return try await preview(name, report, uploadId: report.committed ? nil : id, problem: nil, request, context)
        } catch {
            guard let problem = Self.fileProblem(error, l) else { throw error }
            return try await preview(name, nil, uploadId: nil, problem: problem, request, context)
        }
    }

    func preview(
        _ name: LedgerName, _ report: LedgerImportReport?, uploadId: Int64?, problem: String?, _ request: Request,
        _ context: SignedInContext
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = name.definition
        let keyCols = d.fields.indices.filter { d.fields[$0].inKey || d.fields[$0].key == d.countyField }
        let regions = try await pages.regionIndex()
        let shown = report.map { r in
            LedgerPreviewPage.Report(
                added: r.added, updated: r.updated, unchanged: r.unchanged, repeated: r.repeated > 0 ? r.repeated : nil,
                rejected: r.rejected,
                committed: r.committed, canCommit: !r.committed && r.rejected == 0 && uploadId != nil,
                rows: r.rejectedFirst.prefix(500).map { o in
                    .init(
                        row: o.row, outcome: l.t("ledger_" + o.outcome.rawValue), outcomeCode: o.outcome.rawValue,
                        reasons: o.issues.map { ($0.column.isEmpty ? "" : $0.column + "：") + $0.message(l.lang) }.joined(separator: "；"),
                        cells: keyCols.map { o.values.indices.contains($0) ? Self.show(o.values[$0], d.fields[$0], regions, l, reveal: true) : "" })
                },
                uploadId: uploadId,
                done: r.committed ? l.t("ledger_import_done", String(r.added), String(r.updated), String(r.unchanged)) : nil,
                rejectedNote: r.rejected > 0 ? l.t("ledger_preview_rejected", String(r.rejected)) : nil,
                unlisted: r.unlistedRejected > 0 ? l.t("ledger.too_many_errors", String(r.unlistedRejected)) : nil,
                ignored: r.ignoredColumns.isEmpty ? nil : l.t("ledger_ignored_columns", r.ignoredColumns.joined(separator: "、")))
        }
        let model = LedgerPreviewPage(
            ledger: name.rawValue, title: name.title(l.lang), columns: keyCols.map { d.label(d.fields[$0].key, l.lang) }, problem: problem,
            report: shown)
        let status: HTTPResponse.Status = problem != nil || (report?.rejected ?? 0) > 0 ? .unprocessableContent : .ok
        return try await pages.render("ledger_preview", title: l.t("ledger_preview"), section: "ledgers", request, context, model, status: status)
    }
}
