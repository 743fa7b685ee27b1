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

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/ledgers", use: index)
        router.get("/ledgers/:ledger", use: list)
        router.post("/ledgers/:ledger", use: create)
        router.get("/ledgers/:ledger/new", use: newForm)
        router.get("/ledgers/:ledger/export", use: export)
        router.post("/ledgers/:ledger/import", use: upload)
        router.post("/ledgers/:ledger/import/:upload", use: commit)
        router.post("/ledgers/:ledger/approve", use: approveShown)
        router.get("/ledgers/:ledger/:id", use: show)
        router.post("/ledgers/:ledger/:id", use: update)
        router.get("/ledgers/:ledger/:id/edit", use: editForm)
        router.post("/ledgers/:ledger/:id/reveal", use: reveal)
        router.post("/ledgers/:ledger/:id/approve", use: approveOne)
        router.post("/ledgers/:ledger/:id/confirm", use: confirm)
        router.post("/ledgers/:ledger/:id/return", use: returnOne)
        router.get("/api/v1/ledgers/:ledger", use: apiList)
        router.get("/api/v1/ledgers/:ledger/:id", use: apiShow)
        router.post("/api/v1/ledgers/:ledger/import", use: apiImport)
    }

    // MARK: parameters

    static func ledger(_ context: AppRequestContext) throws -> LedgerName {
        guard let l = context.parameters.get("ledger").flatMap(LedgerName.init(rawValue:)) else { throw AppError.notFound("ledger") }
        return l
    }

    /// The list's filter from the query: region, from/to dates, year, review state, keyword, and choice/flag fields
    /// (`f.kind=official`). Anything malformed is a 400, never silently ignored.
    static func filter(_ request: Request, _ d: LedgerDefinition, scope: RegionScope) throws -> LedgerFilter {
        var f = LedgerFilter(regionCode: try request.regionQuery(), year: try request.yearQuery(), state: try request.stateQuery(), scope: scope)
        f.from = try request.query("from") { SheetDate.parse($0, numeric: false) }
        f.to = try request.query("to") { SheetDate.parse($0, numeric: false) }
        f.query = try request.query("q") { $0.count <= 100 ? $0 : nil }
        for field in d.fields {
            guard let v = request.query("f.\(field.key)") else { continue }
            switch field.kind {
            case .choice(let codes): guard codes.contains(v) else { throw AppError.badFilter(field.key) }
            case .flag: guard v == "1" || v == "0" else { throw AppError.badFilter(field.key) }
            default: throw AppError.badFilter(field.key)
            }
            f.fields[field.key] = v
        }
        return f
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
        func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { parts.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) } }
        add("region", f.regionCode); add("from", f.from?.description); add("to", f.to?.description)
        add("year", f.year.map(String.init)); add("state", f.state?.rawValue); add("q", f.query)
        for (k, v) in f.fields.sorted(by: { $0.key < $1.key }) { add("f.\(k)", v) }
        if cols.count != d.fields.count { parts.append("cols=" + cols.map { d.fields[$0].key }.joined(separator: ",")) }
        return parts.joined(separator: "&")
    }

    func directory() async throws -> RegionDirectory { RegionDirectory(try await store.regions()) }

    // MARK: pages

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = try await access(store, context)
        var items: [[String: Any]] = []
        let counts = try await store.ledgerCounts(scope: a.scope)
        for name in LedgerName.allCases {
            let (n, pending) = counts[name] ?? (0, 0)
            items.append(["name": name.rawValue, "title": name.title(l.lang), "count": groupThousands(String(n)), "pending": groupThousands(String(pending)), "hasPending": pending > 0,
                          "indicators": name.definition.indicatorCodes.compactMap { IndicatorCatalogue.byCode[$0]?.name(l.lang) }.joined(separator: "、")])
        }
        return try await pages.render("ledgers", title: l.t("nav_ledgers"), section: "ledgers", request, context, ["ledgers": items])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context), d = name.definition
        let a = try await access(store, context)
        let f = try Self.filter(request, d, scope: a.scope)
        let cols = try Self.columns(request, d)
        let shownQuery = Self.query(f, cols, d)
        let pg = try ProjectsController.page(request, defaultSize: 50)
        let result = try await store.ledgerRows(name, f, page: pg)
        let regions = try await pages.regionIndex()
        let counties = regions.values.filter { $0.level == .county && a.canRead(region: $0.code) }.sorted { $0.code < $1.code }
        let prefectures = regions.values.filter { ($0.level == .province || $0.level == .prefecture) && a.canRead(region: $0.code) }.sorted { $0.code < $1.code }
        // Bulk approval: offices of the western side (and administrators) over their own scope.
        let reviewer = [.admin, .provinceCoordinator, .prefectureOfficer].contains(a.user.role) && (a.user.role == .admin || a.user.side == .west)
        var data: [String: Any] = [
            "ledger": name.rawValue, "title": name.title(l.lang),
            "columns": cols.map { ["label": d.label(d.fields[$0].key, l.lang), "num": Self.isNumber(d.fields[$0])] },
            "allColumns": d.fields.indices.map { ["key": d.fields[$0].key, "label": d.label(d.fields[$0].key, l.lang), "checked": cols.contains($0)] },
            "rows": result.items.map { r -> [String: Any] in
                ["id": r.id, "state": l.t("state_" + r.state.rawValue), "stateCode": r.state.rawValue,
                 "cells": cols.map { i -> [String: Any] in
                     ["text": Self.show(r.values[i], d.fields[i], regions, l, reveal: false), "num": Self.isNumber(d.fields[i]),
                      "nowrap": d.fields[i].kind == .date || d.fields[i].kind.isPersonal]
                 }]
            },
            "pageInfo": l.t("page_of", String(pg.number), String(result.pageCount), String(result.total)),
            "prevHref": pg.number > 1 ? "/ledgers/\(name.rawValue)?\(shownQuery)&page=\(pg.number - 1)" : "",
            "nextHref": pg.number < result.pageCount ? "/ledgers/\(name.rawValue)?\(shownQuery)&page=\(pg.number + 1)" : "",
            "exportQuery": shownQuery,
            "regions": (prefectures + counties).map { ["value": $0.code, "label": $0.name, "selected": $0.code == f.regionCode] },
            "states": ProgressState.allCases.map { ["value": $0.rawValue, "label": l.t("state_" + $0.rawValue), "selected": $0 == f.state] },
            "fieldFilters": d.fields.compactMap { field -> [String: Any]? in
                let options: [String]
                switch field.kind { case .choice(let c): options = c; case .flag: options = ["1", "0"]; default: return nil }
                return ["key": field.key, "label": d.label(field.key, l.lang),
                        "options": options.map { ["value": $0, "label": field.kind == .flag ? l.t($0 == "1" ? "yes" : "no") : l.t("lc_" + $0),
                                                  "selected": f.fields[field.key] == $0] }]
            },
            "from": f.from?.description ?? "", "to": f.to?.description ?? "", "year": f.year.map(String.init) ?? "", "q": f.query ?? "",
            "canWrite": a.user.role != .viewer, "canReview": reviewer && f.state == .submitted && result.total > 0,
            "intro": l.t("ledger_intro"),
        ]
        // (Mustache shows a section for any value present, an empty string included: absent values are left out.)
        if let n = request.query("approved").flatMap(Int.init) { data["notice"] = l.t("ledger_approved_n", String(n)) }
        return try await pages.render("ledger", title: name.title(l.lang), section: "ledgers", request, context, data)
    }

    static func isNumber(_ f: LedgerField) -> Bool {
        switch f.kind { case .money, .integer: return true; default: return false }
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
    func scopedRow(_ context: AppRequestContext) async throws -> (LedgerRecord, Access) {
        let name = try Self.ledger(context)
        let id = try parseID(context.parameters.get("id"))
        guard let r = try await store.ledgerRow(id: id), r.ledger == name else { throw AppError.notFound(name.title(context.language)) }
        let a = try await access(store, context)
        try a.requireRead(region: r.countyCode, name.title(context.language))
        return (r, a)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        return try await detail(r, a, request, context, reveal: false)
    }

    func detail(_ r: LedgerRecord, _ a: Access, _ request: Request, _ context: AppRequestContext, reveal: Bool) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = r.ledger.definition
        let regions = try await pages.regionIndex()
        let hasPersonal = d.fields.contains { $0.kind.isPersonal }
        let authors = try await store.ledgerAuthors(id: r.id)
        let county = regions[r.countyCode]
        var data: [String: Any] = [
            "ledger": r.ledger.rawValue, "title": r.ledger.title(l.lang), "id": r.id, "version": r.version,
            "state": l.t("state_" + r.state.rawValue), "stateCode": r.state.rawValue, "updatedAt": r.updatedAt,
            "fields": d.fields.indices.map { i -> [String: Any] in
                ["label": d.label(d.fields[i].key, l.lang), "value": Self.show(r.values[i], d.fields[i], regions, l, reveal: reveal),
                 "personal": d.fields[i].kind.isPersonal]
            },
            "canReveal": hasPersonal && !reveal && AccessRule.canSeePersonalData(a.user, countyCode: r.countyCode),
            "revealed": reveal,
            "canEdit": AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable),
            "canReview": r.state == .submitted && county.map { ReviewRule.mayApprove(a.user, region: $0, authors: authors) } == true,
            "ownWork": r.state == .submitted && county.map { ReviewRule.mayReview(a.user, region: $0) } == true && authors.isAuthor(a.user.username),
            "canConfirm": authors.confirmedBy == nil && county.map { ReviewRule.mayConfirm(a.user, region: $0, readable: a.readable, authors: authors) } == true,
            "authors": ["created": authors.createdBy ?? "—", "submitted": authors.submittedBy ?? "—", "approved": authors.approvedBy ?? "—"],
            "historyBlock": try await pages.historyBlock("ledger_row", r.id, l),
        ]
        if !r.reviewComment.isEmpty { data["comment"] = r.reviewComment }
        if let who = authors.confirmedBy { data["confirmedBy"] = who }
        return try await pages.render("ledger_row", title: r.ledger.title(l.lang), section: "ledgers", request, context, data)
    }

    @Sendable func reveal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canSeePersonalData(a.user, countyCode: r.countyCode) else { throw AppError.forbidden }
        let d = r.ledger.definition
        try await store.recordReveal(id: r.id, fields: d.fields.filter(\.kind.isPersonal).map(\.key), actor: context.actor)
        return try await detail(r, a, request, context, reveal: true)
    }

    // MARK: form

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try Self.ledger(context)
        let a = try await access(store, context)
        try a.requireWriter()
        return try await form(name, nil, values: [:], issues: [], a, request, context)
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable) else { throw AppError.forbidden }
        let d = r.ledger.definition
        // The form shows what is stored in the way a user types it; personal data only to those who may see it.
        let see = AccessRule.canSeePersonalData(a.user, countyCode: r.countyCode)
        var values: [String: String] = ["version": String(r.version)]
        for (i, f) in d.fields.enumerated() {
            values[f.key] = f.kind == .county ? r.values[i] : (f.kind.isPersonal && !see ? "" : LedgerValue.display(r.values[i], field: f, lang: .zh, reveal: true))
        }
        return try await form(r.ledger, r, values: values, issues: [], a, request, context)
    }

    func form(_ name: LedgerName, _ existing: LedgerRecord?, values: [String: String], issues: [ValidationIssue], _ a: Access,
              _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = name.definition
        let regions = try await pages.regionIndex()
        let counties = regions.values.filter { $0.level == .county && $0.side == .west && AccessRule.canWriteLedger(a.user, countyCode: $0.code, readable: a.readable) }
            .sorted { $0.code < $1.code }
        let keepPersonal = existing != nil
        let fields: [[String: Any]] = d.fields.map { f in
            let error = issues.first { $0.field == f.key }.map { $0.message(l.lang) }
            var item: [String: Any] = ["key": f.key, "label": d.label(f.key, l.lang), "value": values[f.key] ?? "", "required": f.required,
                                       "invalid": error != nil]
            if let error { item["error"] = error }
            switch f.kind {
            case .county:
                item["options"] = counties.map { ["value": $0.code, "label": "\(regions[$0.parentCode ?? ""]?.name ?? "")\($0.name)", "selected": $0.code == values[f.key]] }
            case .choice(let codes):
                item["options"] = codes.map { ["value": $0, "label": l.t("lc_" + $0), "selected": $0 == values[f.key] || l.t("lc_" + $0) == values[f.key]] }
            case .flag:
                item["options"] = ["1", "0"].map { ["value": $0, "label": l.t($0 == "1" ? "yes" : "no"), "selected": $0 == values[f.key] || l.t($0 == "1" ? "yes" : "no") == values[f.key]] }
            case .date: item["type"] = "date"
            case .money, .integer: item["inputmode"] = "decimal"
            case .idNumber, .phone: if keepPersonal { item["hint"] = l.t("ledger_reveal_note") }
            case .text: break
            }
            item["select"] = item["options"] != nil
            return item
        }
        var data: [String: Any] = ["ledger": name.rawValue, "title": name.title(l.lang), "fields": fields,
                                   "action": existing.map { "/ledgers/\(name.rawValue)/\($0.id)" } ?? "/ledgers/\(name.rawValue)",
                                   "version": values["version"] ?? "", "hasErrors": !issues.isEmpty,
                                   "conflict": issues.contains { $0.field == "version" }, "conflictText": l.t("error.conflict", values["version"] ?? "")]
        if let existing { data["id"] = existing.id }
        return try await pages.render("ledger_form", title: name.title(l.lang), section: "ledgers", request, context, data,
                                      status: issues.isEmpty ? .ok : (issues.contains { $0.field == "version" } ? .conflict : .unprocessableContent))
    }

    /// Reads a submitted form with the same rules as a sheet cell.
    func parseForm(_ d: LedgerDefinition, _ form: [String: String], existing: LedgerRecord?, a: Access) async throws -> ([String], [ValidationIssue]) {
        let dir = try await directory()
        var values = Array(repeating: "", count: d.fields.count)
        var issues: [ValidationIssue] = []
        for (i, f) in d.fields.enumerated() {
            let text = form[f.key] ?? ""
            // Personal data left blank on an edit keeps its stored value (the form shows it only to those who may see it).
            if f.kind.isPersonal, let existing, text.trimmingWhitespace().isEmpty {
                values[i] = existing.values[i]; continue
            }
            switch LedgerValue.parse(SheetCell(text), field: f, regions: dir) {
            case .success(let v): values[i] = v
            case .failure(let p): issues.append(ValidationIssue(field: f.key, key: p.key, params: [text] + p.params))
            }
            if f.required && values[i].isEmpty && !issues.contains(where: { $0.field == f.key }) {
                issues.append(ValidationIssue(field: f.key, key: "error.required"))
            }
        }
        let county = values[d.index(d.countyField)!]
        if !county.isEmpty && !AccessRule.canWriteLedger(a.user, countyCode: county, readable: a.readable) {
            issues.append(ValidationIssue(field: d.countyField, key: "ledger.outside_scope"))
        }
        return (values, issues)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try Self.ledger(context), d = name.definition
        let a = try await access(store, context)
        try a.requireWriter()
        let form = try await decodeForm(request, context)
        let (values, issues) = try await parseForm(d, form, existing: nil, a: a)
        guard issues.isEmpty else { return try await self.form(name, nil, values: form, issues: issues, a, request, context) }
        do {
            let r = try await store.saveLedgerRow(name, id: nil, values: values, expectedVersion: nil, actor: context.actor)
            return Response.redirect(to: "/ledgers/\(name.rawValue)/\(r.id)", type: .normal)
        } catch Store.LedgerSaveError.duplicateKey(let other) {
            return try await self.form(name, nil, values: form, issues: [ValidationIssue(field: d.fields.first { $0.inKey }!.key, key: "error.ledger_duplicate", params: [String(other)])], a, request, context)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable) else { throw AppError.forbidden }
        let d = r.ledger.definition
        let form = try await decodeForm(request, context)
        let (values, issues) = try await parseForm(d, form, existing: r, a: a)
        guard issues.isEmpty else { return try await self.form(r.ledger, r, values: form, issues: issues, a, request, context) }
        do {
            _ = try await store.saveLedgerRow(r.ledger, id: r.id, values: values, expectedVersion: Int64(form["version"] ?? ""), actor: context.actor)
            return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)", type: .normal)
        } catch StoreError.conflict {
            var shown = form; shown["version"] = String(r.version)
            return try await self.form(r.ledger, r, values: shown, issues: [ValidationIssue(field: "version", key: "error.conflict")], a, request, context)
        } catch Store.LedgerSaveError.duplicateKey(let other) {
            return try await self.form(r.ledger, r, values: form, issues: [ValidationIssue(field: d.fields.first { $0.inKey }!.key, key: "error.ledger_duplicate", params: [String(other)])], a, request, context)
        }
    }

    // MARK: review

    func reviewOne(_ context: AppRequestContext, _ action: ProgressState.Action, comment: String) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard let county = try await pages.regionIndex()[r.countyCode], ReviewRule.mayReview(a.user, region: county) else { throw AppError.forbidden }
        if action == .approve, !ReviewRule.mayApprove(a.user, region: county, authors: try await store.ledgerAuthors(id: r.id)) { throw AppError.ownWork }
        do { _ = try await store.reviewLedgerRow(id: r.id, action, comment: comment, actor: context.actor) }
        catch ReviewError.notAllowedFrom { throw AppError(status: .conflict, code: "state", key: "error.state") }
        catch ReviewError.commentRequired { throw AppError.invalid(ValidationFailure([ValidationIssue(field: "comment", key: "error.required")])) }
        return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)", type: .normal)
    }

    /// The eastern partner's "confirmed" mark on a western row.
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        _ = try await decodeForm(request, context)
        guard let county = try await pages.regionIndex()[r.countyCode],
              ReviewRule.mayConfirm(a.user, region: county, readable: a.readable, authors: try await store.ledgerAuthors(id: r.id)) else {
            throw AppError.forbidden
        }
        try await store.confirmLedgerRow(id: r.id, actor: context.actor)
        return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)", type: .normal)
    }

    @Sendable func approveOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await reviewOne(context, .approve, comment: "")
    }

    @Sendable func returnOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        var v = Validator()
        let comment = v.text("comment", form["comment"], max: 1000)
        guard v.issues.isEmpty else { throw AppError.invalid(ValidationFailure(v.issues)) }
        return try await reviewOne(context, .return, comment: comment)
    }

    /// Approves the pending rows the list's filter shows, limited to what the reviewer reads.
    @Sendable func approveShown(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try Self.ledger(context), d = name.definition
        let a = try await access(store, context)
        // The western side's offices approve its counties' rows; the eastern partner records and confirms only.
        guard [.admin, .provinceCoordinator, .prefectureOfficer].contains(a.user.role), a.user.role == .admin || a.user.side == .west else {
            throw AppError.forbidden
        }
        _ = try await decodeForm(request, context)
        let f = try Self.filter(request, d, scope: a.ownScope)
        let n = try await store.approveLedgerRows(name, f, actor: context.actor)
        var q = Self.query(f, Array(d.fields.indices), d)
        q = q.replacingOccurrences(of: "state=submitted", with: "state=approved")
        return Response.redirect(to: "/ledgers/\(name.rawValue)?\(q)&approved=\(n)", type: .normal)
    }

    // MARK: import

    /// The request body, up to `limit` bytes (413 with the limit in MB beyond it).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        do { return try await request.collectBody(upTo: limit) }
        catch { throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(maxUpload >> 20)]) }
    }

    func runImport(_ name: LedgerName, data: Data, fileName: String, commit: Bool, a: Access, actor: Actor) async throws -> LedgerImportReport {
        let dir = try await directory()
        let (tmp, file) = try PrivateFiles.write(data, name: "upload")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let user = a.user, readable = a.readable
        let definition = name.definition
        do {
            return try await store.importLedger(name, commit: commit, actor: actor,
                                                canWrite: { AccessRule.canWriteLedger(user, countyCode: $0, readable: readable) }) {
                try LedgerFileRows(url: file, definition: definition, regions: dir)
            }
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

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let a = try await access(store, context)
        try a.requireWriter()
        let body = try await Self.collect(request, limit: maxFormBody)
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? ""),
              let multipart = MultipartForm.parse(Data(buffer: body), boundary: boundary),
              let file = multipart.file("file"), !file.data.isEmpty else {
            return try await preview(name, nil, uploadId: nil, problem: l.t("error.required"), request, context)
        }
        do {
            let report = try await runImport(name, data: file.data, fileName: file.filename ?? "", commit: false, a: a, actor: context.actor)
            let id = report.rejected == 0 ? try await store.stageUpload(userId: a.user.id, ledger: name, fileName: file.filename ?? "", data: file.data) : nil
            return try await preview(name, report, uploadId: id, problem: nil, request, context)
        } catch {
            guard let problem = Self.fileProblem(error, l) else { throw error }
            return try await preview(name, nil, uploadId: nil, problem: problem, request, context)
        }
    }

    @Sendable func commit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let a = try await access(store, context)
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

    func preview(_ name: LedgerName, _ report: LedgerImportReport?, uploadId: Int64?, problem: String?, _ request: Request,
                 _ context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = name.definition
        let keyCols = d.fields.indices.filter { d.fields[$0].inKey || d.fields[$0].key == d.countyField }
        var data: [String: Any] = ["ledger": name.rawValue, "title": name.title(l.lang),
                                   "columns": keyCols.map { d.label(d.fields[$0].key, l.lang) }]
        if let problem { data["problem"] = problem }
        let regions = try await pages.regionIndex()
        if let r = report {
            var shown: [String: Any] = [
                "added": r.added, "updated": r.updated, "unchanged": r.unchanged, "rejected": r.rejected,
                "committed": r.committed, "canCommit": !r.committed && r.rejected == 0 && uploadId != nil,
                "rows": r.rejectedFirst.prefix(500).map { o -> [String: Any] in
                    ["row": o.row, "outcome": l.t("ledger_" + o.outcome.rawValue), "outcomeCode": o.outcome.rawValue,
                     "reasons": o.issues.map { ($0.column.isEmpty ? "" : $0.column + "：") + $0.message(l.lang) }.joined(separator: "；"),
                     "cells": keyCols.map { o.values.indices.contains($0) ? Self.show(o.values[$0], d.fields[$0], regions, l, reveal: true) : "" }]
                },
            ]
            if let uploadId { shown["uploadId"] = uploadId }
            if r.committed { shown["done"] = l.t("ledger_import_done", String(r.added), String(r.updated), String(r.unchanged)) }
            if r.rejected > 0 { shown["rejectedNote"] = l.t("ledger_preview_rejected", String(r.rejected)) }
            if r.unlistedRejected > 0 { shown["unlisted"] = l.t("ledger.too_many_errors", String(r.unlistedRejected)) }
            data["report"] = shown
        }
        let status: HTTPResponse.Status = problem != nil || (report?.rejected ?? 0) > 0 ? .unprocessableContent : .ok
        return try await pages.render("ledger_preview", title: l.t("ledger_preview"), section: "ledgers", request, context, data, status: status)
    }

    // MARK: export

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try Self.ledger(context), d = name.definition
        let a = try await access(store, context)
        let f = try Self.filter(request, d, scope: a.scope)
        let cols = try Self.columns(request, d)
        let format = try request.query("format").map { t -> LedgerExport.Format in
            guard let v = LedgerExport.Format(rawValue: t) else { throw AppError.badFilter("format") }
            return v
        } ?? .xlsx
        let user = a.user
        let result = try await LedgerExport.write(store: store, ledger: name, filter: f, columns: cols, format: format,
                                                  reveal: { AccessRule.canSeePersonalData(user, countyCode: $0) })
        defer { try? FileManager.default.removeItem(at: result.file.deletingLastPathComponent()) }
        try await store.recordExport(name, rows: result.rows, revealed: result.revealed, actor: context.actor)
        let bytes = try Data(contentsOf: result.file)
        let type = format == .xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let fileName = "\(name.rawValue)-\(chinaToday().description).\(format.rawValue)"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(fileName)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    // MARK: API

    static func json(_ r: LedgerRecord, reveal: Bool) -> [String: Any] {
        let d = r.ledger.definition
        var values: [String: Any] = [:]
        for (f, v) in zip(d.fields, r.values) where !v.isEmpty {
            values[f.key] = f.kind.isPersonal && !reveal ? PersonalMask.mask(v, f.kind) : v
        }
        return ["id": r.id, "ledger": r.ledger.rawValue, "countyCode": r.countyCode, "date": r.date, "state": r.state.rawValue,
                "version": r.version, "values": values, "updatedAt": r.updatedAt]
    }

    @Sendable func apiList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try Self.ledger(context)
        let a = try await access(store, context)
        let f = try Self.filter(request, name.definition, scope: a.scope)
        let pg = try ProjectsController.page(request, defaultSize: 50)
        let result = try await store.ledgerRows(name, f, page: pg)
        return APIController.list(result.items.map { Self.json($0, reveal: false) }, total: result.total, page: pg)
    }

    @Sendable func apiShow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (r, _) = try await scopedRow(context)
        return jsonResponse(Self.json(r, reveal: false))
    }

    struct ImportBody: Decodable { var fileName: String?; var content: String?; var dryRun: Bool? }

    /// A sheet as base64 in JSON: the preview (`dryRun`) or the import, all or nothing, with the same report.
    @Sendable func apiImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let name = try Self.ledger(context)
        let a = try await access(store, context)
        try a.requireWriter()
        // base64 makes the file a third larger.
        let buffer = try await Self.collect(request, limit: Self.maxUpload * 4 / 3 + 4096)
        let body: ImportBody
        do { body = try JSONDecoder().decode(ImportBody.self, from: Data(buffer: buffer)) } catch { throw AppError.badJSON(String(describing: error).prefix(200).description) }
        guard let content = body.content, let data = Data(base64Encoded: content), !data.isEmpty else {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "content", key: "error.required")]))
        }
        let report: LedgerImportReport
        do {
            report = try await runImport(name, data: data, fileName: body.fileName ?? "", commit: !(body.dryRun ?? false), a: a, actor: context.actor)
        } catch {
            guard let problem = Self.fileProblem(error, l) else { throw error }
            return jsonResponse(["error": ["code": "unreadable_file", "message": problem]], status: .unprocessableContent)
        }
        let out: [String: Any] = [
            "ledger": name.rawValue, "committed": report.committed, "added": report.added, "updated": report.updated,
            "unchanged": report.unchanged, "rejected": report.rejected,
            "rows": report.rejectedFirst.map { o in
                ["row": o.row, "outcome": o.outcome.rawValue,
                 "issues": o.issues.map { ["column": $0.column, "code": $0.key, "message": $0.message(l.lang)] }] as [String: Any]
            },
        ]
        return jsonResponse(out, status: report.rejected > 0 ? .unprocessableContent : (report.committed ? .created : .ok))
    }
}
