import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// The eight ledgers: list with filters and chosen columns, a form per row, detail with review and audited reveal
/// of personal data, import (preview, then all or nothing) and export — pages and JSON API alike.
struct LedgersController {
    let pages: Pages
    var store: Store { pages.store }
    static let maxUpload = 8 << 20

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/ledgers", use: index)
        router.get("/ledgers/:ledger", use: list)
        router.post("/ledgers/:ledger", use: create)
        router.get("/ledgers/:ledger/new", use: newForm)
        router.get("/ledgers/:ledger/export", use: export)
        router.get("/ledgers/:ledger/template.xlsx", use: template)
        router.post("/ledgers/:ledger/import", use: upload)
        router.post("/ledgers/:ledger/import/:upload", use: commit)
        router.post("/ledgers/:ledger/import/:upload/map", use: map)
        router.post("/ledgers/:ledger/approve", use: approveShown)
        router.get("/ledgers/:ledger/:id", use: show)
        router.post("/ledgers/:ledger/:id", use: update)
        router.get("/ledgers/:ledger/:id/edit", use: editForm)
        router.post("/ledgers/:ledger/:id/reveal", use: reveal)
        router.post("/ledgers/:ledger/:id/approve", use: approveOne)
        router.post("/ledgers/:ledger/:id/confirm", use: confirm)
        router.post("/ledgers/:ledger/:id/submit", use: submitRow)
        router.post("/ledgers/:ledger/:id/return", use: returnOne)
        router.get("/api/v1/ledgers/:ledger", use: apiList)
        router.get("/api/v1/ledgers/:ledger/:id", use: apiShow)
        router.post("/api/v1/ledgers/:ledger/import", use: apiImport)
    }

    // MARK: parameters

    static func ledger(_ context: SignedInContext) throws -> LedgerName {
        guard let l = context.parameters.get("ledger").flatMap(LedgerName.init(rawValue:)) else { throw AppError.notFound("ledger") }
        return l
    }

    /// Chosen columns (`cols=name,county`), all of them by default.
    static func columns(_ request: Request, _ d: LedgerDefinition) throws -> [Int] {
        // `cols=a,b` from links, or one `col` per ticked box from the list's form.
        let ticked = request.uri.queryParameters.getAll("col").map { String($0) }
        guard let c = request.query("cols") ?? (ticked.isEmpty ? nil : ticked.joined(separator: ",")) else { return Array(d.fields.indices) }
        let idx = try c.split(separator: ",").map { k -> Int in
            guard let i = d.index(String(k)) else { throw AppError.badFilter("cols") }
            return i
        }
        guard !idx.isEmpty else { throw AppError.badFilter("cols") }
        return idx
    }

    /// The query string that reproduces a filter and columns (for export links and pagination).
    static func query(_ f: LedgerFilter, _ cols: [Int], _ d: LedgerDefinition) -> String {
        var parts: [String] = []
        func add(_ k: String, _ v: String?) {
            if let v, !v.isEmpty { parts.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
        }
        add("region", f.regionCode)
        add("from", f.from?.description)
        add("to", f.to?.description)
        add("year", f.year.map(String.init))
        add("state", f.state?.rawValue)
        add("q", f.query)
        for (k, v) in f.fields.sorted(by: { $0.key < $1.key }) { add("f.\(k)", v) }
        if cols.count != d.fields.count { parts.append("cols=" + cols.map { d.fields[$0].key }.joined(separator: ",")) }
        return parts.joined(separator: "&")
    }

    func directory() async throws -> RegionDirectory { try await store.regionDirectory() }

    // MARK: pages

    @Sendable func index(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let counts = try await store.ledgerCounts(scope: a.scope)
        let items = LedgerName.allCases.map { name in
            let (n, pending) = counts[name] ?? (0, 0)
            return LedgerIndexPage.Ledger(
                name: name.rawValue, title: name.title(l.lang), count: groupThousands(String(n)), pending: groupThousands(String(pending)),
                hasPending: pending > 0,
                indicators: name.definition.indicatorCodes.compactMap { IndicatorCatalogue.byCode[$0]?.name(l.lang) }.joined(separator: "、"))
        }
        return try await pages.render("ledgers", title: l.t("nav_ledgers"), section: "ledgers", request, context, LedgerIndexPage(ledgers: items))
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let d = name.definition
        let a = context.access
        let q = try ListQuery(request, defaultSize: 50)
        let f = try LedgerFilter(q, d, scope: a.scope)
        let cols = try Self.columns(request, d)
        // Page links carry the filter in its canonical form (the same as the export link's), columns included.
        let shownQuery = Self.query(f, cols, d)
        let pg = q.page
        let prevHref = "/ledgers/\(name.rawValue)?\(shownQuery)&page=\(pg.number - 1)"
        let nextHref = "/ledgers/\(name.rawValue)?\(shownQuery)&page=\(pg.number + 1)"
        let result = try await store.ledgerRows(name, f, page: pg)
        let regions = try await pages.regionIndex()
        // The filter offers the regions the ledgers are about (3,000 options of the whole country made the page 165 kB).
        let offered = a.offeredRegions(in: try await store.regions())
        let counties = offered.filter { $0.level == .county }
        let prefectures = offered.filter { $0.level == .province || $0.level == .prefecture }
        // Bulk approval: offices of the western side (and administrators) over their own scope.
        let reviewer = ReviewRule.approvesLedgerRows(a.user)
        let model = LedgerListPage(
            ledger: name.rawValue, title: name.title(l.lang),
            columns: cols.map { .init(label: d.label(d.fields[$0].key, l.lang), num: Self.isNumber(d.fields[$0])) },
            allColumns: d.fields.indices.map { .init(key: d.fields[$0].key, label: d.label(d.fields[$0].key, l.lang), checked: cols.contains($0)) },
            rowsHTML: LedgerListPage.tableRows(
                result.items.map { r in
                    .init(
                        id: r.id, state: l.t("state_" + r.state.rawValue), stateCode: r.state.rawValue,
                        cells: cols.map { i in
                            .init(
                                text: Self.show(r.values[i], d.fields[i], regions, l, reveal: false), num: Self.isNumber(d.fields[i]),
                                nowrap: d.fields[i].kind == .date || d.fields[i].kind.isPersonal)
                        })
                }, ledger: name.rawValue),
            pageInfo: l.t(result.totalAtLeast ? "page_of_at_least" : "page_of", String(pg.number), String(result.pageCount), String(result.total)),
            prevHref: pg.number > 1 ? prevHref : nil,
            nextHref: pg.number < result.pageCount ? nextHref : nil,
            exportQuery: shownQuery,
            regionOptionsHTML: HTMLText.options(
                (prefectures + counties).map { Option(value: $0.code, label: $0.name, selected: $0.code == f.regionCode) }),
            states: ProgressState.allCases.map { Option(value: $0.rawValue, label: l.t("state_" + $0.rawValue), selected: $0 == f.state) },
            fieldFilters: d.fields.compactMap { field in
                let options: [String]
                switch field.kind {
                case .choice(let c): options = c
                case .flag: options = ["1", "0"]
                default: return nil
                }
                return .init(
                    key: field.key, label: d.label(field.key, l.lang),
                    options: options.map {
                        Option(
                            value: $0, label: field.kind == .flag ? l.t($0 == "1" ? "yes" : "no") : l.t("lc_" + $0),
                            selected: f.fields[field.key] == $0)
                    })
            },
            from: f.from?.description ?? "", to: f.to?.description ?? "", year: f.year.map(String.init) ?? "", q: f.query ?? "",
            canWrite: AccessRule.writesData(a.user), canReview: reviewer && f.state == .submitted && result.total > 0,
            intro: l.t("ledger_intro"),
            notice: try q.value("approved") { Int($0) }.map { l.t("ledger_approved_n", String($0)) })
        return try await pages.render("ledger", title: name.title(l.lang), section: "ledgers", request, context, model)
    }

    static func isNumber(_ f: LedgerField) -> Bool {
        switch f.kind {
        case .money, .integer: return true
        default: return false
        }
    }

    static func show(_ v: String, _ f: LedgerField, _ regions: [String: Region], _ l: Labels, reveal: Bool) -> String {
        if f.kind == .county { return regions[v]?.name ?? v }
        if case .money = f.kind, let fen = Int64(v) {
            // Shown grouped, in the column's unit, to the fen.
            let text = LedgerValue.display(v, field: f, lang: l.lang)
            let parts = text.split(separator: ".", maxSplits: 1)
            return (fen < 0 ? "-" : "") + groupThousands(String(parts[0].drop { $0 == "-" })) + (parts.count > 1 ? "." + parts[1] : "")
        }
        return LedgerValue.display(v, field: f, lang: l.lang, reveal: reveal)
    }

    /// A row the user may read (404 otherwise, even for a row of another ledger).
    func scopedRow(_ context: SignedInContext) async throws -> (LedgerRecord, Access) {
        let name = try Self.ledger(context)
        let id = try context.id()
        // A row of another ledger is not found under this one's address.
        let r = try await context.find(name.title(context.language)) { try await store.ledgerRow(id: id).flatMap { $0.ledger == name ? $0 : nil } }
        return (r, context.access)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        return try await detail(r, a, request, context, reveal: false)
    }

    func detail(_ r: LedgerRecord, _ a: Access, _ request: Request, _ context: SignedInContext, reveal: Bool) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = r.ledger.definition
        let regions = try await pages.regionIndex()
        let hasPersonal = d.fields.contains { $0.kind.isPersonal }
        let authors = try await store.ledgerAuthors(id: r.id)
        let county = regions[r.countyCode]
        let writer = AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable)
        let lockedBy = try await store.lockingRound(of: r, today: context.today)
        let changes = try await store.changeRequests(within: nil, ledgerRowId: r.id, limit: 20)
        let model = LedgerRowPage(
            ledger: r.ledger.rawValue, title: r.ledger.title(l.lang), id: r.id, version: r.version,
            state: l.t("state_" + r.state.rawValue), stateCode: r.state.rawValue, updatedAt: r.updatedAt,
            fields: d.fields.indices.map { i in
                .init(
                    label: d.label(d.fields[i].key, l.lang), value: Self.show(r.values[i], d.fields[i], regions, l, reveal: reveal),
                    personal: d.fields[i].kind.isPersonal)
            },
            canReveal: hasPersonal && !reveal && AccessRule.canSeePersonalData(a.user, countyCode: r.countyCode),
            revealed: reveal,
            canEdit: writer && lockedBy == nil,
            canSubmit: writer && r.state.after(.submit) != nil && lockedBy == nil,
            lockedBy: lockedBy.map { "/rounds/\($0)" },
            canRequestChange: writer && lockedBy != nil && !changes.contains { $0.state == .pending },
            changes: changes.map { ChangesController.row($0, regions, l) }, hasChanges: !changes.isEmpty,
            canReview: r.state == .submitted && county.map { ReviewRule.mayApprove(a.user, region: $0, authors: authors) } == true,
            ownWork: r.state == .submitted && county.map { ReviewRule.mayReview(a.user, region: $0) } == true && authors.isAuthor(a.user.username),
            canConfirm: authors.confirmedBy == nil
                && county.map { ReviewRule.mayConfirm(a.user, region: $0, readable: a.readable, authors: authors) } == true,
            authors: .init(created: authors.createdBy ?? "—", submitted: authors.submittedBy ?? "—", approved: authors.approvedBy ?? "—"),
            historyBlock: try await pages.historyBlock("ledger_row", r.id, l),
            attachmentsBlock: try await pages.attachments(
                .ledgerRow, r.id, canWrite: AccessRule.canWrite(context.access.user, regionCode: r.countyCode), l),
            comment: r.reviewComment.nilIfEmpty, confirmedBy: authors.confirmedBy,
            returnError: request.query("return") == "missing" ? l.t("error.return_comment") : nil,
            notice: request.query("done").flatMap {
                ["saved", "submitted", "approved", "returned"].contains($0)
                    ? l.t("ledger_done_" + $0) : ["requested", "attached", "detached"].contains($0) ? l.t("figure_done_" + $0) : nil
            })
        return try await pages.render("ledger_row", title: r.ledger.title(l.lang), section: "ledgers", request, context, model)
    }

    @Sendable func reveal(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canSeePersonalData(a.user, countyCode: r.countyCode) else { throw AppError.forbidden }
        let d = r.ledger.definition
        try await store.recordReveal(id: r.id, fields: d.fields.filter(\.kind.isPersonal).map(\.key), actor: context.actor)
        return try await detail(r, a, request, context, reveal: true)
    }
}
