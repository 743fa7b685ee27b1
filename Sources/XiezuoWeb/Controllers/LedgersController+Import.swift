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

    func runImport(
        _ name: LedgerName, data: Data, fileName: String, commit: Bool, a: Access, actor: Actor, mapping: [String: String] = [:],
        sheet: String? = nil
    ) async throws -> LedgerImportReport {
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
                open: { try LedgerFileRows(url: file, definition: definition, regions: dir, mapping: mapping, sheet: sheet) })
        } catch let e as LedgerImportRejected {
            return e.report
        }
    }

    /// The sheet's layout against the ledger: its sheets, the one read (the first that maps when none is chosen),
    /// and every header column with its field.
    func layout(_ name: LedgerName, _ upload: StagedUpload) async throws -> SheetLayout {
        let dir = try await directory()
        let (tmp, file) = try PrivateFiles.write(upload.data, name: "upload")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let d = name.definition
        let sheet = try upload.sheet ?? SheetFiles.firstSheetThatMaps(file, definition: d, regions: dir, mapping: upload.mapping)
        return try SheetFiles.layout(file, definition: d, regions: dir, mapping: upload.mapping, sheet: sheet)
    }

    /// An .xls is converted once, when it arrives: the staged copy is the .xlsx every later look reads.
    static func readableData(_ data: Data) throws -> Data {
        guard data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) else { return data }
        let (tmp, file) = try PrivateFiles.write(data, name: "upload.xls")
        defer { try? FileManager.default.removeItem(at: tmp) }
        return try Data(contentsOf: try SheetFiles.readable(file, work: tmp))
    }

    /// Runs one step of an import; a file that cannot be read is said on the preview page rather than as an error.
    func previewing(
        _ name: LedgerName, _ request: Request, _ context: SignedInContext, _ step: () async throws -> Response
    ) async throws
        -> Response
    {
        do { return try await step() } catch {
            guard let problem = Self.fileProblem(error, Labels(lang: context.language)) else { throw error }
            return try await preview(name, problem: problem, request, context)
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
            return try await preview(name, problem: l.t("error.required"), request, context)
        }
        return try await previewing(name, request, context) {
            let data = try Self.readableData(file.data)
            // The office's earlier answers are offered at once; the staged copy keeps them with the file.
            let remembered = try await store.sheetMapping(office: a.user.regionCode, ledger: name)
            let id = try await store.stageUpload(userId: a.user.id, ledger: name, fileName: file.filename ?? "", data: data)
            try await store.updateStagedUpload(id: id, userId: a.user.id, mapping: remembered, sheet: nil)
            let staged = StagedUpload(id: id, ledger: name, fileName: file.filename ?? "", data: data, mapping: remembered, sheet: nil)
            return try await previewStaged(name, staged, remembered: remembered, request, context)
        }
    }

    func stagedUpload(_ name: LedgerName, _ context: SignedInContext) async throws -> StagedUpload {
        let id = try parseID(context.parameters.get("upload"))
        guard let staged = try await store.stagedUpload(id: id, userId: context.access.user.id), staged.ledger == name else {
            throw AppError.notFound(Labels(lang: context.language).t("ledger_file"))
        }
        return staged
    }

    /// The preview's answers: the sheet to read and, for fields the header does not name, the column that holds them.
    @Sendable func map(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let a = context.access
        try a.requireWriter()
        let form = try await decodeForm(request, context)
        var staged = try await stagedUpload(name, context)
        let remembered = try await store.sheetMapping(office: a.user.regionCode, ledger: name)
        return try await previewing(name, request, context) {
            if let sheet = form["sheet"]?.nilIfEmpty, sheet != staged.sheet { staged.sheet = sheet }
            let layout = try await layout(name, staged)
            let d = name.definition
            for f in d.fields {
                guard let choice = form["field_" + f.key]?.nilIfEmpty, let column = Int(choice),
                    let header = layout.header?.ignored[column] ?? layout.header?.headers[column],
                    // A header is a few words; a crafted megabyte "header" is not remembered for the office.
                    header.count <= 100
                else { continue }
                staged.mapping[header] = f.key
            }
            try await store.updateStagedUpload(id: staged.id, userId: a.user.id, mapping: staged.mapping, sheet: staged.sheet)
            return try await previewStaged(name, staged, remembered: remembered, request, context)
        }
    }

    @Sendable func commit(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let a = context.access
        try a.requireWriter()
        _ = try await decodeForm(request, context)
        let staged = try await stagedUpload(name, context)
        let remembered = try await store.sheetMapping(office: a.user.regionCode, ledger: name)
        return try await previewing(name, request, context) {
            let report = try await runImport(
                name, data: staged.data, fileName: staged.fileName, commit: true, a: a, actor: context.actor, mapping: staged.mapping,
                sheet: staged.sheet)
            if report.committed {
                try await store.dropUpload(id: staged.id)
                // Confirmed by an import: offered to this office's next sheet of this ledger.
                try await store.rememberSheetMapping(office: a.user.regionCode, ledger: name, staged.mapping, actor: context.actor)
            }
            let layout = try await layout(name, staged)
            return try await preview(
                name, report: report, layout: layout, upload: report.committed ? nil : staged, remembered: remembered, request, context)
        }
    }

    /// The layout of a staged sheet and, once its header names every required field, the dry run of its import.
    func previewStaged(
        _ name: LedgerName, _ staged: StagedUpload, remembered: [String: String], _ request: Request, _ context: SignedInContext
    ) async throws -> Response {
        let layout = try await layout(name, staged)
        guard layout.complete else {
            // A question only where there is a column to answer it with; otherwise the header is what is wrong.
            let d = name.definition
            guard let h = layout.header, !h.columns.isEmpty, !h.ignored.isEmpty else {
                let required = d.fields.filter(\.required).map { d.label($0.key, context.language) }.joined(separator: "、")
                let issue =
                    layout.header.map { h in
                        CellIssue(
                            column: "", key: "ledger.missing_columns",
                            params: [
                                d.fields.indices.filter { d.fields[$0].required && !h.columns.values.contains($0) }
                                    .map { d.label(d.fields[$0].key, context.language) }.joined(separator: "、")
                            ])
                    } ?? CellIssue(column: "", key: "ledger.no_header", params: [required])
                return try await preview(
                    name, layout: layout.header == nil ? nil : layout, problem: issue.message(context.language), request, context)
            }
            return try await preview(name, layout: layout, upload: staged, remembered: remembered, request, context)
        }
        let report = try await runImport(
            name, data: staged.data, fileName: staged.fileName, commit: false, a: context.access, actor: context.actor, mapping: staged.mapping,
            sheet: staged.sheet)
        return try await preview(name, report: report, layout: layout, upload: staged, remembered: remembered, request, context)
    }

    func preview(
        _ name: LedgerName, report: LedgerImportReport? = nil, layout: SheetLayout? = nil, upload: StagedUpload? = nil,
        remembered: [String: String] = [:], problem: String? = nil, _ request: Request, _ context: SignedInContext
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = name.definition
        let keyCols = d.fields.indices.filter { d.fields[$0].inKey || d.fields[$0].key == d.countyField }
        let regions = try await pages.regionIndex()
        let uploadId = upload?.id
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
            report: shown, sheetLayout: layout.map { Self.layoutModel($0, d, upload: upload, remembered: remembered, l) })
        let incomplete = layout.map { !$0.complete } ?? false
        let status: HTTPResponse.Status = problem != nil || (report?.rejected ?? 0) > 0 || incomplete ? .unprocessableContent : .ok
        return try await pages.render("ledger_preview", title: l.t("ledger_preview"), section: "ledgers", request, context, model, status: status)
    }

    /// Every header column with the field it feeds and how sure that is; a question for each field without one.
    static func layoutModel(
        _ layout: SheetLayout, _ d: LedgerDefinition, upload: StagedUpload?, remembered: [String: String], _ l: Labels
    ) -> LedgerPreviewPage.Layout {
        let h = layout.header
        let all = Set((h?.headers.keys).map(Array.init) ?? []).union((h?.ignored.keys).map(Array.init) ?? []).sorted()
        let columns = all.map { c -> LedgerPreviewPage.Column in
            let text = h?.headers[c] ?? h?.ignored[c] ?? ""
            guard let f = h?.columns[c] else {
                return .init(letter: LedgerSheetReader.columnName(c), header: text, field: nil, how: nil, howCode: "none")
            }
            let how = h?.how[c] ?? .synonym
            // A mapping the office confirmed with an earlier import, or one chosen in this preview.
            let code = how == .mapped && remembered[text] == d.fields[f].key ? "remembered" : how.rawValue
            return .init(
                letter: LedgerSheetReader.columnName(c), header: text, field: d.label(d.fields[f].key, l.lang), how: l.t("ledger_match_" + code),
                howCode: code)
        }
        let unmapped = h.map { h in h.ignored.sorted { $0.key < $1.key } } ?? []
        let mapped = Set(h?.columns.values.map { $0 } ?? [])
        let questions = d.fields.indices.filter { !mapped.contains($0) && (d.fields[$0].required || !unmapped.isEmpty) }.map { i in
            let f = d.fields[i]
            return LedgerPreviewPage.Question(
                field: f.key, label: d.label(f.key, l.lang), required: f.required,
                options: [Option(value: "", label: l.t(f.required ? "ledger_choose_column" : "ledger_not_imported"), selected: true)]
                    + unmapped.map { Option(value: String($0.key), label: LedgerSheetReader.columnName($0.key) + " " + $0.value, selected: false) })
        }
        let missing = d.fields.indices.filter { d.fields[$0].required && !mapped.contains($0) }.map { d.label(d.fields[$0].key, l.lang) }
        let sheets =
            layout.sheets.count > 1 && upload != nil
            ? layout.sheets.enumerated().map { Option(value: String($0.offset + 1), label: $0.element, selected: $0.element == layout.sheet) } : nil
        let asked = upload == nil || questions.isEmpty ? nil : questions
        return LedgerPreviewPage.Layout(
            sheets: sheets, sheet: layout.sheet, headerRow: layout.headerRow.map { l.t("ledger_header_row", String($0)) },
            columns: columns, questions: asked,
            missing: missing.isEmpty ? nil : l.t("ledger_missing_question", missing.joined(separator: "、")),
            mapAction: upload.map { "/ledgers/\(d.name.rawValue)/import/\($0.id)/map" }, hasSheets: sheets != nil, hasQuestions: asked != nil)
    }
}
