import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// The administrators' audit log: every recorded change, filtered by who made it, what it changed, when (days in
/// Beijing time) and the region of the office that made it; as a page and as CSV.
struct AuditLogController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/admin/audit", use: list)
        router.get("/admin/audit/export", use: export)
    }

    /// What an audited entity is called, and the page it is found on (where one exists).
    static let entities = [
        "project", "transaction", "milestone", "progress", "agreement", "agreement_task", "target", "document", "pairing", "meeting",
        "attendee", "itinerary_stop", "decision", "task", "task_update", "ledger_row", "assessment", "user", "api_token", "region",
        "sheet_mapping",
    ]

    func filter(_ request: Request, _ context: SignedInContext) throws -> AuditFilter {
        guard AccessRule.managesUsers(context.user) else { throw AppError.forbidden }
        func day(_ name: String) throws -> Day? {
            guard let t = request.query(name), !t.isEmpty else { return nil }
            guard let d = Day(t) else { throw AppError.badFilter(name) }
            return d
        }
        let entity = request.query("entity").flatMap { $0.isEmpty ? nil : $0 }
        if let entity, !Self.entities.contains(entity) { throw AppError.badFilter("entity") }
        let scope = request.query("scope").flatMap { $0.isEmpty ? nil : $0 }
        if let scope, !Region.isWellFormedCode(scope) { throw AppError.badFilter("scope") }
        return AuditFilter(
            actor: request.query("actor").flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0.trimmingWhitespace() }, entity: entity,
            from: try day("from"), to: try day("to"),
            actorScope: scope.map { Region.scopePrefix(code: $0, level: ProjectDraft.levelOf($0)) })
    }

    static func href(_ r: AuditRecord) -> String? {
        switch r.entity {
        case "project": return "/projects/\(r.entityId)"
        case "progress": return "/progress/\(r.entityId)"
        case "agreement": return "/agreements/\(r.entityId)"
        case "document": return "/documents/\(r.entityId)"
        case "meeting": return "/meetings/\(r.entityId)"
        case "task": return "/tasks/\(r.entityId)"
        case "user": return "/admin/users/\(r.entityId)"
        default: return nil
        }
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let f = try filter(request, context)
        let l = Labels(lang: context.language)
        let q = try ListQuery(request, defaultSize: 50)
        let result = try await pages.store.auditLog(f, page: q.page)
        let pager = q.links(pageCount: result.pageCount, total: result.total)
        let regions = try await pages.regionIndex()
        let model = AuditLogPage(
            rows: result.items.map { r in
                .init(
                    at: ReviewController.beijing(r.at), actor: r.actor ?? "", address: r.address ?? "", entity: l.t("entity_" + r.entity),
                    entityId: r.entityId, href: Self.href(r), action: l.t("action_" + r.action))
            },
            actor: f.actor ?? "", from: f.from?.description ?? "", to: f.to?.description ?? "",
            entities: Self.entities.map { Option(value: $0, label: l.t("entity_" + $0), selected: $0 == f.entity) },
            scopes: regions.values.filter { $0.level != .county && $0.side != .other }.sorted { $0.code < $1.code }
                .map { Option(value: $0.code, label: UsersController.fullName($0, regions), selected: $0.code == request.query("scope")) },
            total: result.total, exportHref: "/admin/audit/export" + (request.uri.query.map { "?" + $0 } ?? ""),
            prev: pager.previous, next: pager.next, pageInfo: pager.info(l))
        return try await pages.render("audit", title: l.t("audit_title"), section: "", request, context, model)
    }

    /// The same selection as CSV (UTF-8 with a byte-order mark), newest first, in Beijing time.
    @Sendable func export(_ request: Request, context: SignedInContext) async throws -> Response {
        let f = try filter(request, context)
        let l = Labels(lang: context.language)
        func cell(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv =
            "\u{FEFF}" + ["audit_at", "audit_actor", "address", "audit_entity", "id", "audit_action"].map { cell(l.t($0)) }.joined(separator: ",")
            + "\r\n"
        var before: Int64?
        while true {
            let slice = try await pages.store.auditLog(f, beforeId: before, limit: 2000)
            guard let last = slice.last else { break }
            for r in slice {
                csv +=
                    [
                        ReviewController.beijing(r.at), r.actor ?? "", r.address ?? "", l.t("entity_" + r.entity), r.entityId,
                        l.t("action_" + r.action),
                    ]
                    .map { cell(FormulaGuard.escape($0)) }.joined(separator: ",") + "\r\n"
            }
            before = last.id
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: Download.disposition(l.t("audit_file_name", context.today.description), ascii: "audit-\(context.today).csv"),
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}
