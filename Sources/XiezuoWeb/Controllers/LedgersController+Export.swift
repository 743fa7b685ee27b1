import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// Export of exactly the list's filter and columns, as XLSX or CSV.
extension LedgersController {
    @Sendable func export(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let d = name.definition
        let a = context.access
        let f = try LedgerFilter(try ListQuery(request), d, scope: a.scope)
        let cols = try Self.columns(request, d)
        let format =
            try request.query("format").map { t -> LedgerExport.Format in
                guard let v = LedgerExport.Format(rawValue: t) else { throw AppError.badFilter("format") }
                return v
            } ?? .xlsx
        let user = a.user
        let result = try await LedgerExport.write(
            store: store, ledger: name, filter: f, columns: cols, format: format,
            reveal: { AccessRule.canSeePersonalData(user, countyCode: $0) })
        defer { try? FileManager.default.removeItem(at: result.file.deletingLastPathComponent()) }
        try await store.recordExport(name, rows: result.rows, revealed: result.revealed, actor: context.actor)
        let bytes = try Data(contentsOf: result.file)
        let type = format == .xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let fileName = "\(name.rawValue)-\(context.today.description).\(format.rawValue)"
        return Response(
            status: .ok,
            headers: [
                .contentType: type,
                .contentDisposition: Download.disposition(
                    "\(name.title(context.language))-\(context.today.description).\(format.rawValue)", ascii: fileName),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The empty sheet to fill in, with the counties this user may record rows for in its drop-down.
    @Sendable func template(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        // Anyone signed in may have the blank form; its drop-down holds only the counties they may record (none for a viewer).
        let counties = try await writableCounties(context.access)
        let bytes = try LedgerTemplate.workbook(name.definition, counties: counties).data()
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: Download.disposition(
                    Labels(lang: context.language).t("template_file_name", name.title(context.language)), ascii: "\(name.rawValue)-template.xlsx"),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The western counties of the installation's pairings that this user may record ledger rows for.
    func writableCounties(_ a: Access) async throws -> [Region] {
        let regions = try await pages.regionIndex()
        return regions.values.filter { r in
            r.level == .county && r.side == .west && a.covered.contains { r.code.hasPrefix($0) }
                && AccessRule.canWriteLedger(a.user, countyCode: r.code, readable: a.readable)
        }
        .sorted { $0.code < $1.code }
    }
}
