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
            status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(fileName)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
