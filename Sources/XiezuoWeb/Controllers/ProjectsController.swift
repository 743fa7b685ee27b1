import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The project list with filters and paging, project pages, and the create/edit forms.
struct ProjectsController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/projects", use: list)
        router.get("/projects/new", use: newForm)
        router.post("/projects", use: create)
        router.get("/projects/:id", use: show)
        router.get("/projects/:id/edit", use: editForm)
        router.post("/projects/:id", use: update)
        router.post("/projects/:id/transactions", use: addTransaction)
    }

    /// Filters from the query string; an invalid value is a 400 rather than a silently ignored filter.
    /// The project of the route's `:id`, through the one finder.
    func project(_ context: SignedInContext, _ need: Need = .read) async throws -> Project {
        let id = try context.id()
        return try await context.find(Labels(lang: context.language).t("nav_projects"), need) { try await pages.store.project(id: id) }
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let q = try ListQuery(request)
        let f = try ProjectFilter(q, scope: context.access.scope)
        let result = try await pages.store.projects(f, page: q.page)
        let regions = try await pages.regionIndex()
        let prefectures = context.access.offeredRegions(in: try await pages.store.regions()).filter { $0.level == .prefecture }
        // Every filter of the address is kept (the pairing's too), only the page changes.
        let pager = q.links(pageCount: result.pageCount, total: result.total)
        let model = ProjectListPage(
            items: result.items.map { row in
                ProjectListPage.Item(
                    id: row.project.id, title: row.project.title, county: row.countyName,
                    prefecture: regions[row.project.countyCode.prefix(4) + "00"]?.name ?? "",
                    workArea: row.project.workArea.name(l.lang), status: l.t("project_" + row.project.status.rawValue),
                    budget: row.funding.budget.wanText, disbursed: row.funding.disbursed.wanText, demo: row.project.isDemo)
            },
            q: f.text ?? "",
            regions: prefectures.map { Option(value: $0.code, label: $0.name, selected: $0.code == f.regionCode) },
            workAreas: Pages.options(WorkArea.self, selected: f.workArea?.rawValue) { $0.name(l.lang) },
            statuses: Pages.options(ProjectStatus.self, selected: f.status?.rawValue) { l.t("project_" + $0.rawValue) },
            prev: pager.previous, next: pager.next, pageInfo: pager.info(l), canWrite: AccessRule.writesData(context.access.user))
        return try await pages.render("projects", title: l.t("projects_title"), section: "projects", request, context, model)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        return try await showPage(id: id, request, context, txDraft: nil, issues: [])
    }

    func showPage(
        id: Int64, _ request: Request, _ context: SignedInContext, txDraft: TransactionDraft?,
        issues: [ValidationIssue]
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let p = try await context.find(l.t("nav_projects")) { try await pages.store.project(id: id) }
        let regions = try await pages.regionIndex()
        let pairing = try await pages.store.pairing(id: p.pairingId)
        let txs = try await pages.store.transactions(projectId: id)
        let funding = FundingSummary(txs)
        let model = ProjectPage(
            project: .init(
                id: p.id, title: p.title, county: regions[p.countyCode]?.name ?? p.countyCode,
                countyCode: p.countyCode, workArea: p.workArea.name(l.lang),
                status: l.t("project_" + p.status.rawValue), plannedStart: p.plannedStart?.description ?? "—",
                plannedEnd: p.plannedEnd?.description ?? "—", beneficiaries: groupThousands(String(p.beneficiaries)),
                description: p.description, updatedAt: p.updatedAt, demo: p.isDemo),
            pairing: pairing.map { pages.pairingLabel($0, regions, l) } ?? "",
            funding: .init(
                budget: funding.budget.wanText, committed: funding.committed.wanText,
                disbursed: funding.disbursed.wanText, spent: funding.spent.wanText),
            transactions: txs.map {
                .init(kind: l.t("tx_" + $0.kind.rawValue), date: $0.date.description, amount: $0.amount.yuanText, note: $0.note)
            },
            milestones: try await pages.store.milestones(projectId: id).map {
                .init(title: $0.title, due: $0.dueDate.description, done: $0.doneDate?.description ?? "")
            },
            tx: FormState(
                values: [
                    "kind": txDraft?.kind ?? "", "date": txDraft?.date ?? "", "amountYuan": txDraft?.amountYuan ?? "",
                    "note": txDraft?.note ?? "",
                ], issues: issues, lang: l.lang
            ).fields,
            txKinds: Pages.options(TransactionKind.self, selected: txDraft?.kind) { l.t("tx_" + $0.rawValue) },
            txErrors: !issues.isEmpty,
            historyBlock: try await pages.historyBlock("project", id, l),
            attachmentsBlock: try await pages.attachments(
                .project, id, canWrite: AccessRule.canWrite(context.access.user, regionCode: p.countyCode), l),
            canWrite: AccessRule.writesData(context.access.user) && AccessRule.canWrite(context.access.user, regionCode: p.countyCode))
        return try await pages.render(
            "project", title: p.title, section: "projects", request, context, model,
            status: issues.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try context.access.requireWriter()
        return try await form(draft: ProjectDraft(status: ProjectStatus.planned.rawValue), id: nil, version: nil, issues: [], request, context)
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let p = try await project(context, .write)
        let draft = ProjectDraft(
            title: p.title, pairingId: String(p.pairingId), countyCode: p.countyCode, workArea: p.workArea.rawValue,
            status: p.status.rawValue, plannedStart: p.plannedStart?.description, plannedEnd: p.plannedEnd?.description,
            beneficiaries: String(p.beneficiaries), description: p.description)
        return try await form(draft: draft, id: id, version: p.version, issues: [], request, context)
    }

    func form(
        draft: ProjectDraft, id: Int64?, version: Int64?, issues: [ValidationIssue], _ request: Request,
        _ context: SignedInContext, conflict: Bool = false, current: Project? = nil
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let regions = try await pages.regionIndex()
        // The western counties the pairings cover, not every western province's.
        let covered = context.access.covered
        let counties = regions.values.filter { r in
            r.side == .west && r.level == .county && covered.contains { r.code.hasPrefix($0) }
        }.sorted { $0.code < $1.code }
        let state = FormState(
            values: [
                "title": draft.title ?? "", "pairingId": draft.pairingId ?? "", "countyCode": draft.countyCode ?? "",
                "workArea": draft.workArea ?? "", "status": draft.status ?? "",
                "plannedStart": draft.plannedStart ?? "", "plannedEnd": draft.plannedEnd ?? "",
                "beneficiaries": draft.beneficiaries ?? "", "description": draft.description ?? "",
            ],
            issues: issues, lang: l.lang)
        // The merge prompt: each field someone else changed, their value beside the one this form would save.
        var merge: [ProjectFormPage.MergeRow] = []
        if let c = current {
            let theirs: [(String, String, String?)] = [
                ("title", c.title, draft.title),
                ("countyCode", regions[c.countyCode]?.name ?? c.countyCode, draft.countyCode.flatMap { regions[$0]?.name ?? $0 }),
                ("workArea", c.workArea.name(l.lang), draft.workArea.flatMap(WorkArea.init(rawValue:))?.name(l.lang)),
                (
                    "status", l.t("project_" + c.status.rawValue),
                    draft.status.flatMap(ProjectStatus.init(rawValue:)).map { l.t("project_" + $0.rawValue) }
                ),
                ("plannedStart", c.plannedStart?.description ?? "", draft.plannedStart),
                ("plannedEnd", c.plannedEnd?.description ?? "", draft.plannedEnd),
                ("beneficiaries", String(c.beneficiaries), draft.beneficiaries), ("description", c.description, draft.description),
            ]
            for (field, now, mine) in theirs where now != (mine ?? "").trimmingWhitespace() {
                merge.append(.init(field: l.t("field_" + field), current: now, mine: mine ?? ""))
            }
        }
        let model = ProjectFormPage(
            f: state.fields, hasErrors: !issues.isEmpty || conflict, conflict: conflict, merge: merge,
            action: id.map { "/projects/\($0)" } ?? "/projects", version: version ?? 0,
            pairings: context.access.pairings.map {
                Option(value: String($0.id), label: pages.pairingLabel($0, regions, l), selected: String($0.id) == draft.pairingId)
            },
            counties: counties.map { c in
                Option(value: c.code, label: "\(regions[c.parentCode ?? ""]?.name ?? "") \(c.name)", selected: c.code == draft.countyCode)
            },
            workAreas: Pages.options(WorkArea.self, selected: draft.workArea) { $0.name(l.lang) },
            statuses: Pages.options(ProjectStatus.self, selected: draft.status) { l.t("project_" + $0.rawValue) })
        let title = l.t(id == nil ? "new_project" : "edit_project")
        let status: HTTPResponse.Status = conflict ? .conflict : (issues.isEmpty ? .ok : .unprocessableContent)
        return try await pages.render("project_form", title: title, section: "projects", request, context, model, status: status)
    }

    static func draft(from form: [String: String]) -> ProjectDraft {
        ProjectDraft(
            title: form["title"], pairingId: form["pairingId"], countyCode: form["countyCode"], workArea: form["workArea"],
            status: form["status"], plannedStart: form["plannedStart"], plannedEnd: form["plannedEnd"],
            beneficiaries: form["beneficiaries"], description: form["description"])
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let draft = Self.draft(from: form)
        switch try await draft.validated(store: pages.store) {
        case .failure(let f):
            return try await self.form(draft: draft, id: nil, version: nil, issues: f.issues, request, context)
        case .success(let p):
            try context.access.requireWrite(region: p.countyCode)
            let saved = try await pages.store.createProject(p, actor: context.actor)
            return Response.redirect(to: "/projects/\(saved.id)", type: .normal)
        }
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        let current = try await project(context, .write)
        let a = context.access
        let id = current.id
        let form = try await decodeForm(request, context)
        let draft = Self.draft(from: form)
        let version = Int64(form["version"] ?? "") ?? 0
        switch try await draft.validated(store: pages.store) {
        case .failure(let f):
            return try await self.form(draft: draft, id: id, version: version, issues: f.issues, request, context)
        case .success(var p):
            try a.requireWrite(region: p.countyCode)  // nor may a project be moved out of the scope
            p.id = id
            p.version = version
            do {
                _ = try await pages.store.updateProject(p, actor: context.actor)
            } catch StoreError.conflict {
                let current = try await pages.store.project(id: id)
                return try await self.form(
                    draft: draft, id: id, version: current?.version, issues: [], request, context, conflict: true,
                    current: current)
            }
            return Response.redirect(to: "/projects/\(id)", type: .normal)
        }
    }

    @Sendable func addTransaction(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await project(context, .write).id
        let form = try await decodeForm(request, context)
        let draft = TransactionDraft(kind: form["kind"], date: form["date"], amountYuan: form["amountYuan"], note: form["note"])
        switch draft.validate(projectId: id) {
        case .failure(let f): return try await showPage(id: id, request, context, txDraft: draft, issues: f.issues)
        case .success(let t):
            _ = try await pages.store.addTransaction(t, actor: context.actor)
            return Response.redirect(to: "/projects/\(id)", type: .normal)
        }
    }
}
