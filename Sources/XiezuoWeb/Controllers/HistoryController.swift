import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The audit trail of any one object, for whoever may read the object: the list of versions, a field-by-field
/// comparison of any two, and the whole trail as CSV. One controller, so every kind of object gets the same view.
struct HistoryController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/history/:entity/:id", use: compare)
        router.get("/history/:entity/:id/export", use: export)
    }

    /// The kinds of objects with a history page, and the page each belongs to.
    enum Kind: String, CaseIterable {
        case project, agreement, progress, document, meeting, task, round
        case ledgerRow = "ledger_row"

        var path: String {
            switch self {
            case .project: return "/projects"
            case .agreement: return "/agreements"
            case .progress: return "/progress"
            case .document: return "/documents"
            case .meeting: return "/meetings"
            case .task: return "/tasks"
            case .ledgerRow: return "/ledgers"
            case .round: return "/rounds"
            }
        }
    }

    /// The object of the route if the caller may read it (404 otherwise, the same as for an object that does not exist),
    /// with the title to show.
    func resolve(_ context: SignedInContext) async throws -> (Kind, Int64, String) {
        let l = Labels(lang: context.language)
        guard let kind = context.parameters.get("entity").flatMap(Kind.init(rawValue:)) else { throw AppError.notFound(l.t("history")) }
        let id = try context.id()
        let store = pages.store
        let what = l.t("history")
        switch kind {
        case .project:
            return (kind, id, try await context.find(what) { try await store.project(id: id) }.title)
        case .agreement:
            return (kind, id, try await context.find(what) { try await store.agreementDetail(id: id) }.agreement.title)
        case .progress:
            let p = try await context.find(what) { try await store.progressReport(id: id) }
            let name = IndicatorCatalogue.byCode[p.indicatorCode]?.name(l.lang) ?? p.indicatorCode
            return (kind, id, "\(name) · \(p.regionCode) · \(p.year)-\(p.month)")
        case .document:
            return (kind, id, try await context.find(what) { try await store.document(id: id) }.title)
        case .meeting:
            return (kind, id, try await context.find(what) { try await store.meeting(id: id) }.title)
        case .task:
            let t = try await FollowUp(store: store).task(id, context).0
            return (kind, id, t.title)
        case .round:
            guard let round = try await store.round(id: id),
                RoundRule.mayRead(context.user, round: round, members: try await store.roundMembers(round).map(\.regionCode))
            else { throw AppError.notFound(what) }
            return (kind, id, round.title)
        case .ledgerRow:
            let r = try await context.find(what) { try await store.ledgerRow(id: id) }
            return (kind, id, "\(r.ledger.title(l.lang)) · \(r.id)")
        }
    }

    /// Version n is the state the n-th recorded change left behind.
    func versions(_ kind: Kind, _ id: Int64, _ l: Labels) async throws -> [(AuditEntry, [String: String])] {
        let presenter = HistoryPresenter(l: l, regions: try await pages.regionIndex())
        return try await pages.store.history(entity: kind.rawValue, id: String(id)).map { e in
            let state = (e.after.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
            return (e, presenter.present(state))
        }
    }

    static func text(_ v: Any?) -> String {
        switch v {
        case nil, is NSNull: return ""
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        case let d as [String: Any]: return d.keys.sorted().map { "\($0)=\(text(d[$0]))" }.joined(separator: " ")
        case let a as [Any]: return a.map { text($0) }.joined(separator: ", ")
        default: return String(describing: v!)
        }
    }

    /// Two versions side by side, field by field, the changed ones marked.
    @Sendable func compare(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let (kind, id, title) = try await resolve(context)
        let versions = try await versions(kind, id, l)
        guard !versions.isEmpty else { throw AppError.notFound(l.t("history")) }
        func pick(_ name: String, _ fallback: Int) throws -> Int {
            guard let t = request.query(name) else { return fallback }
            guard let v = Int(t), (1...versions.count).contains(v) else { throw AppError.badFilter(name) }
            return v
        }
        let from = try pick("from", max(1, versions.count - 1))
        let to = try pick("to", versions.count)
        let a = versions[from - 1].1
        let b = versions[to - 1].1
        let fields = Set(a.keys).union(b.keys).sorted().map { k in
            let x = a[k] ?? ""
            let y = b[k] ?? ""
            return HistoryPage.FieldChange(field: k, from: x, to: y, changed: x != y)
        }
        func options(selected: Int) -> [Option] {
            (1...versions.count).map {
                Option(value: String($0), label: "v\($0) · \(ReviewController.beijing(versions[$0 - 1].0.at))", selected: $0 == selected)
            }
        }
        let href =
            kind == .ledgerRow ? "/ledgers/\(try await pages.store.ledgerRow(id: id)?.ledger.rawValue ?? "")/\(id)" : "\(kind.path)/\(id)"
        return try await pages.render(
            "history", title: l.t("history"), section: kind.path.dropFirst().description, request, context,
            HistoryPage(
                object: .init(title: title, href: href), fields: fields, from: from, to: to,
                entries: Self.rows(versions.map(\.0), l), fromOptions: options(selected: from), toOptions: options(selected: to),
                exportHref: "/history/\(kind.rawValue)/\(id)/export"))
    }

    /// The whole trail as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese).
    @Sendable func export(_ request: Request, context: SignedInContext) async throws -> Response {
        let (kind, id, _) = try await resolve(context)
        let entries = try await pages.store.history(entity: kind.rawValue, id: String(id))
        func cell(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv = "\u{FEFF}version,at,actor,address,action,before,after\r\n"
        for (i, e) in entries.enumerated() {
            csv +=
                [String(i + 1), e.at, e.actor ?? "", e.address ?? "", e.action, e.before ?? "", e.after ?? ""]
                .map(cell).joined(separator: ",") + "\r\n"
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: Download.disposition(
                    Labels(lang: context.language).t("history_file_name", String(id)), ascii: "\(kind.rawValue)-\(id)-history.csv"),
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    static func rows(_ entries: [AuditEntry], _ l: Labels) -> [HistoryBlock.Entry] {
        entries.enumerated().map { i, e in
            .init(
                version: i + 1, at: ReviewController.beijing(e.at), actor: e.actor ?? "", address: e.address ?? "", action: l.t("action_" + e.action))
        }
    }
}

extension Pages {
    /// The history block every object page shows: its versions, with links to compare them and to export the trail.
    func historyBlock(_ entity: String, _ id: Int64, _ l: Labels) async throws -> HistoryBlock {
        let entries = try await store.history(entity: entity, id: String(id))
        return HistoryBlock(
            entries: HistoryController.rows(entries, l),
            compareHref: "/history/\(entity)/\(id)", exportHref: "/history/\(entity)/\(id)/export", comparable: !entries.isEmpty)
    }
}
