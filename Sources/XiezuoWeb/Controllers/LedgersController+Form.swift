import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore

/// The row form: a new row or an edit, read with the same rules as a sheet cell.
extension LedgersController {
    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let a = context.access
        try a.requireWriter()
        return try await form(name, nil, values: [:], issues: [], a, request, context)
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable) else { throw AppError.forbidden }
        if try await store.lockingRound(of: r, today: context.today) != nil,
            try await store.changeRequests(within: nil, state: .pending, ledgerRowId: r.id, limit: 1).first != nil
        {
            throw AppError.round(.requestPending, context.language)
        }
        let d = r.ledger.definition
        // The form shows what is stored in the way a user types it; personal data only to those who may see it.
        let see = AccessRule.canSeePersonalData(a.user, countyCode: r.countyCode)
        var values: [String: String] = ["version": String(r.version)]
        for (i, f) in d.fields.enumerated() {
            values[f.key] =
                f.kind == .county
                ? r.values[i] : (f.kind.isPersonal && !see ? "" : LedgerValue.display(r.values[i], field: f, lang: .zh, reveal: true))
        }
        return try await form(r.ledger, r, values: values, issues: [], a, request, context)
    }

    func form(
        _ name: LedgerName, _ existing: LedgerRecord?, values: [String: String], issues: [ValidationIssue], _ a: Access,
        _ request: Request, _ context: SignedInContext
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let d = name.definition
        let regions = try await pages.regionIndex()
        let counties = try await writableCounties(a)
        let keepPersonal = existing != nil
        let asksChange = try await existing.asyncMap { try await store.lockingRound(of: $0, today: context.today) } != nil
        let fields = d.fields.map { f in
            let error = issues.first { $0.field == f.key }.map { $0.message(l.lang) }
            var options: [Option]?
            var type: String?
            var inputmode: String?
            var hint: String?
            switch f.kind {
            case .county:
                // A county office records its own county: chosen for it when it is the only one.
                let chosen = (values[f.key] ?? "").isEmpty && counties.count == 1 ? counties[0].code : values[f.key]
                options = counties.map {
                    Option(value: $0.code, label: "\(regions[$0.parentCode ?? ""]?.name ?? "")\($0.name)", selected: $0.code == chosen)
                }
            case .choice(let codes):
                options = codes.map { Option(value: $0, label: l.t("lc_" + $0), selected: $0 == values[f.key] || l.t("lc_" + $0) == values[f.key]) }
            case .flag:
                options = ["1", "0"].map {
                    let label = l.t($0 == "1" ? "yes" : "no")
                    return Option(value: $0, label: label, selected: $0 == values[f.key] || label == values[f.key])
                }
            case .date: type = "date"
            case .money, .integer: inputmode = "decimal"
            case .idNumber, .phone: if keepPersonal { hint = l.t("ledger_reveal_note") }
            case .text: break
            }
            return LedgerFormPage.Field(
                key: f.key, label: d.label(f.key, l.lang), value: values[f.key] ?? "", required: f.required, invalid: error != nil,
                error: error, options: options, select: options != nil, type: type, inputmode: inputmode, hint: hint)
        }
        let model = LedgerFormPage(
            ledger: name.rawValue, title: name.title(l.lang), fields: fields,
            action: existing.map { "/ledgers/\(name.rawValue)/\($0.id)" } ?? "/ledgers/\(name.rawValue)",
            version: values["version"] ?? "", hasErrors: !issues.isEmpty,
            conflict: issues.contains { $0.field == "version" }, conflictText: l.t("error.conflict", values["version"] ?? ""),
            id: existing?.id, asksChange: asksChange, reason: values["reason"] ?? "",
            reasonError: issues.first { $0.field == "reason" }.map { $0.message(l.lang) })
        return try await pages.render(
            "ledger_form", title: name.title(l.lang), section: "ledgers", request, context, model,
            status: issues.isEmpty ? .ok : (issues.contains { $0.field == "version" } ? .conflict : .unprocessableContent))
    }

    /// Reads a submitted form with the same rules as a sheet cell.
    func parseForm(_ d: LedgerDefinition, _ form: [String: String], existing: LedgerRecord?, a: Access) async throws -> ([String], [ValidationIssue])
    {
        let dir = try await directory()
        var values = Array(repeating: "", count: d.fields.count)
        var issues: [ValidationIssue] = []
        for (i, f) in d.fields.enumerated() {
            let text = form[f.key] ?? ""
            // Personal data left blank on an edit keeps its stored value (the form shows it only to those who may see it).
            if f.kind.isPersonal, let existing, text.trimmingWhitespace().isEmpty {
                values[i] = existing.values[i]
                continue
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

    /// Which of the form's two buttons was pressed: "保存草稿" keeps the row as a draft; "提交审核" (and a form
    /// posted without either, as scripts do) sends it to review.
    static func submits(_ form: [String: String]) -> Bool { form["intent"] != "draft" }

    /// "提交审核" on a draft or returned row's page: sends it as it stands.
    @Sendable func submitRow(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable) else { throw AppError.forbidden }
        let form = try await decodeForm(request, context)
        do { _ = try await store.submitLedgerRow(id: r.id, expectedVersion: Int64(form["version"] ?? ""), actor: context.actor) } catch ReviewError
            .notAllowedFrom
        { throw AppError(status: .conflict, code: "state", key: "error.state") } catch StoreError.conflict { throw AppError.conflict }
        return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)?done=submitted", type: .normal)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let name = try Self.ledger(context)
        let d = name.definition
        let a = context.access
        try a.requireWriter()
        let form = try await decodeForm(request, context)
        let (values, issues) = try await parseForm(d, form, existing: nil, a: a)
        guard issues.isEmpty else { return try await self.form(name, nil, values: form, issues: issues, a, request, context) }
        do {
            let submit = Self.submits(form)
            let r = try await store.saveLedgerRow(name, id: nil, values: values, expectedVersion: nil, submit: submit, actor: context.actor)
            return Response.redirect(to: "/ledgers/\(name.rawValue)/\(r.id)?done=\(submit ? "submitted" : "saved")", type: .normal)
        } catch Store.LedgerSaveError.duplicateKey(let other) {
            return try await self.form(
                name, nil, values: form,
                issues: [ValidationIssue(field: d.fields.first { $0.inKey }!.key, key: "error.ledger_duplicate", params: [String(other)])], a,
                request, context)
        }
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        let (r, a) = try await scopedRow(context)
        guard AccessRule.canWriteLedger(a.user, countyCode: r.countyCode, readable: a.readable) else { throw AppError.forbidden }
        let d = r.ledger.definition
        let form = try await decodeForm(request, context)
        var (values, issues) = try await parseForm(d, form, existing: r, a: a)
        if form["intent"] == "change" {
            // A row of a locked period: the new values go to the level above as a request, with the reason.
            let reason = (form["reason"] ?? "").trimmingWhitespace()
            if reason.isEmpty { issues.append(ValidationIssue(field: "reason", key: "error.required")) }
            if reason.count > ChangeRequest.maxReason {
                issues.append(ValidationIssue(field: "reason", key: "error.too_long", params: [String(ChangeRequest.maxReason)]))
            }
            let changed = d.fields.indices.filter { values[$0] != r.values[$0] }.map { d.label(d.fields[$0].key, .zh) }
            if changed.isEmpty && issues.isEmpty { issues.append(ValidationIssue(field: d.fields[0].key, key: "error.change_same")) }
            guard issues.isEmpty else { return try await self.form(r.ledger, r, values: form, issues: issues, a, request, context) }
            _ = try await store.requestRowChange(
                rowId: r.id, values: values, summary: "修改：" + changed.joined(separator: "、"), reason: reason, actor: context.actor)
            return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)?done=requested", type: .normal)
        }
        guard issues.isEmpty else { return try await self.form(r.ledger, r, values: form, issues: issues, a, request, context) }
        do {
            let submit = Self.submits(form)
            _ = try await store.saveLedgerRow(
                r.ledger, id: r.id, values: values, expectedVersion: Int64(form["version"] ?? ""), submit: submit, actor: context.actor)
            return Response.redirect(to: "/ledgers/\(r.ledger.rawValue)/\(r.id)?done=\(submit ? "submitted" : "saved")", type: .normal)
        } catch StoreError.conflict {
            var shown = form
            shown["version"] = String(r.version)
            return try await self.form(
                r.ledger, r, values: shown, issues: [ValidationIssue(field: "version", key: "error.conflict")], a, request, context)
        } catch Store.LedgerSaveError.duplicateKey(let other) {
            return try await self.form(
                r.ledger, r, values: form,
                issues: [ValidationIssue(field: d.fields.first { $0.inKey }!.key, key: "error.ledger_duplicate", params: [String(other)])], a,
                request, context)
        }
    }
}
