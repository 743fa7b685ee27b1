import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The JSON API under /api/v1. Every route here is described in Resources/openapi.json (a test checks it).
struct APIController {
    let store: Store
    let openAPI: ByteBuffer

    func addRoutes(public router: Router<AppRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get("/health") { _, _ in jsonResponse(Health(status: "ok")) }
        // Ready to serve: the database answers and its schema is the one this program expects (a load balancer
        // sends no traffic to an instance that is still migrating or has lost its database).
        router.get("/ready") { _, _ in
            do {
                let v = try await store.schemaVersion()
                guard v == Store.latestSchemaVersion else {
                    return jsonResponse(Health(status: "migrating", schema: v, expected: Store.latestSchemaVersion), status: .serviceUnavailable)
                }
                return jsonResponse(Health(status: "ready", schema: v, backend: store.backend.dialect == .postgres ? "postgresql" : "sqlite"))
            } catch {
                return jsonResponse(Health(status: "database unreachable"), status: .serviceUnavailable)
            }
        }
        router.get("/api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPI))
        }
        let api = signedIn.group("api/v1")
        api.get("regions", use: regions)
        api.get("regions/:code", use: region)
        api.get("pairings", use: pairings)
        api.post("pairings", use: createPairing)
        api.get("pairings/:id", use: pairing)
        api.get("indicators", use: indicators)
        api.get("agreements", use: agreements)
        api.post("agreements", use: createAgreement)
        api.get("agreements/:id", use: agreement)
        api.post("agreements/:id/tasks", use: addTask)
        api.put("agreements/:id/targets", use: setTarget)
        api.get("projects", use: projects)
        api.post("projects", use: createProject)
        api.get("projects/:id", use: project)
        api.put("projects/:id", use: updateProject)
        api.get("projects/:id/transactions", use: transactions)
        api.post("projects/:id/transactions", use: addTransaction)
        api.get("projects/:id/milestones", use: milestones)
        api.post("projects/:id/milestones", use: addMilestone)
        api.get("progress", use: progress)
        api.post("progress", use: addProgress)
        api.post("progress/import", use: importProgress)
        api.get("dashboard", use: dashboard)
    }

    /// The one shape of a project, whatever route answers with it.
    func projectOut(_ p: Project) async throws -> ProjectOut {
        let county = try await store.region(code: p.countyCode)?.name ?? p.countyCode
        let funding = FundingSummary(try await store.transactions(projectId: p.id))
        return ProjectOut(ProjectRow(project: p, countyName: county, funding: funding))
    }

    func regionIndex() async throws -> [String: Region] {
        Dictionary(uniqueKeysWithValues: try await store.regions().map { ($0.code, $0) })
    }

    // MARK: regions, pairings, indicators

    @Sendable func regions(_ request: Request, context: SignedInContext) async throws -> Response {
        var all = try await store.regions()
        let q = try ListQuery(request)
        if let level = try q.choice("level", RegionLevel.self) { all = all.filter { $0.level == level } }
        if let side = try q.choice("side", Side.self) { all = all.filter { $0.side == side } }
        if let parent = q.text("parent") { all = all.filter { $0.parentCode == parent } }
        return jsonResponse(ListOut(all.map(RegionOut.init)))
    }

    @Sendable func region(_ request: Request, context: SignedInContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard Region.isWellFormedCode(code), let r = try await store.region(code: code) else { throw AppError.notFound("region \(code)") }
        return jsonResponse(RegionOut(r))  // reference data: every signed-in user reads it
    }

    @Sendable func pairings(_ request: Request, context: SignedInContext) async throws -> Response {
        let regions = try await regionIndex()
        return jsonResponse(ListOut(try await store.pairings().map { PairingOut($0, regions) }))
    }

    @Sendable func pairing(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        guard let p = try await store.pairing(id: id) else { throw AppError.notFound("pairing \(id)") }
        return jsonResponse(PairingOut(p, try await regionIndex()))
    }

    struct PairingBody: Decodable {
        var level: String?
        var eastCode: String?
        var westCode: String?
        var eastParty: String?
        var westParty: String?
        var sinceYear: Int?
        var untilYear: Int?
    }

    @Sendable func createPairing(_ request: Request, context: SignedInContext) async throws -> Response {
        let b = try await decodeJSON(PairingBody.self, request, context)
        var v = Validator()
        let level = v.choice("level", b.level, PairingLevel.self)
        let regions = try await regionIndex()
        let east = regions[b.eastCode ?? ""]
        let west = regions[b.westCode ?? ""]
        if east == nil {
            v.fail("eastCode", (b.eastCode ?? "").isEmpty ? "error.required" : "error.unknown_region")
        } else if east?.side != .east {
            v.fail("eastCode", "error.choice")
        }
        if west == nil {
            v.fail("westCode", (b.westCode ?? "").isEmpty ? "error.required" : "error.unknown_region")
        } else if west?.side != .west {
            v.fail("westCode", "error.choice")
        }
        let eastParty = v.text("eastParty", b.eastParty, required: false, max: 200)
        let westParty = v.text("westParty", b.westParty, required: false, max: 200)
        if [.village, .school, .hospital].contains(level) {
            if eastParty.isEmpty { v.fail("eastParty", "error.required") }
            if westParty.isEmpty { v.fail("westParty", "error.required") }
        }
        let since = b.sinceYear ?? 0
        if !Day.validYears.contains(since) { v.fail("sinceYear", "error.year", ["1996", "2100"]) }
        if let u = b.untilYear, u < since || !Day.validYears.contains(u) { v.fail("untilYear", "error.year", [String(since), "2100"]) }
        guard v.issues.isEmpty, let level, let east, let west else { throw AppError.invalid(ValidationFailure(v.issues)) }
        try context.access.requireManage(
            pairing: Pairing(id: 0, level: level, eastCode: east.code, westCode: west.code, sinceYear: since))
        let saved = try await store.addPairing(
            Pairing(
                id: 0, level: level, eastCode: east.code, westCode: west.code,
                eastParty: eastParty.isEmpty ? nil : eastParty,
                westParty: westParty.isEmpty ? nil : westParty,
                sinceYear: since, untilYear: b.untilYear), actor: context.actor)
        return jsonResponse(PairingOut(saved, regions), status: .created)
    }

    @Sendable func indicators(_ request: Request, context: SignedInContext) async throws -> Response {
        jsonResponse(ListOut(IndicatorCatalogue.all.map(IndicatorOut.init)))
    }

    // MARK: agreements

    @Sendable func agreements(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request)
        let year = try q.year
        let pairing = try q.value("pairing") { Int64($0) }
        let a = context.access
        return jsonResponse(
            ListOut(try await store.agreements(year: year, pairingId: pairing, pairingIds: a.readablePairingIds).map(AgreementOut.init)))
    }

    @Sendable func agreement(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let d = try await context.find("agreement \(id)") { try await store.agreementDetail(id: id) }
        guard let c = try await Overview.completion(of: id, store: store, counted: Pages.counted(request)) else {
            throw AppError.notFound("agreement \(id)")
        }
        return jsonResponse(AgreementDetailOut(d, c))
    }

    struct AgreementBody: Decodable {
        var pairingId: Int64?
        var year: Int?
        var title: String?
        var status: String?
    }

    @Sendable func createAgreement(_ request: Request, context: SignedInContext) async throws -> Response {
        let b = try await decodeJSON(AgreementBody.self, request, context)
        var v = Validator()
        let title = v.text("title", b.title, max: 200)
        let status = (b.status ?? "").isEmpty ? AgreementStatus.draft : v.choice("status", b.status, AgreementStatus.self)
        if b.year == nil || !Day.validYears.contains(b.year!) { v.fail("year", "error.year", ["1996", "2100"]) }
        let pairing = try await b.pairingId.asyncMap { try await store.pairing(id: $0) } ?? nil
        if pairing == nil { v.fail("pairingId", b.pairingId == nil ? "error.required" : "error.unknown_pairing") }
        guard v.issues.isEmpty, let pairing, let year = b.year, let status else { throw AppError.invalid(ValidationFailure(v.issues)) }
        try context.access.requireManage(pairing: pairing)
        do {
            let a = try await store.createAgreement(pairingId: pairing.id, year: year, title: title, status: status, actor: context.actor)
            return jsonResponse(AgreementOut(a), status: .created)
        } catch StoreError.conflict {
            throw AppError(status: .conflict, code: "duplicate", key: "error.duplicate_agreement")
        }
    }

    /// The agreement of the route, if the caller may read it (404) and manage its pairing (403).
    func managedAgreement(_ context: SignedInContext) async throws -> AgreementDetail {
        let id = try context.id()
        return try await context.find("agreement \(id)", .write) { try await store.agreementDetail(id: id) }
    }

    struct TaskBody: Decodable {
        var workArea: String?
        var text: String?
    }

    @Sendable func addTask(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await managedAgreement(context).agreement.id
        let b = try await decodeJSON(TaskBody.self, request, context)
        var v = Validator()
        let area = v.choice("workArea", b.workArea, WorkArea.self)
        let text = v.text("text", b.text, max: 2000)
        guard v.issues.isEmpty, let area else { throw AppError.invalid(ValidationFailure(v.issues)) }
        let t = try await store.addTask(agreementId: id, workArea: area, text: text, actor: context.actor)
        return jsonResponse(AgreementTaskOut(t, targets: []), status: .created)
    }

    struct TargetBody: Decodable {
        var taskId: Int64?
        var indicatorCode: String?
        var value: String?
        var version: Int64?
    }

    @Sendable func setTarget(_ request: Request, context: SignedInContext) async throws -> Response {
        let d = try await managedAgreement(context)
        let b = try await decodeJSON(TargetBody.self, request, context)
        var v = Validator()
        if b.taskId == nil || !d.tasks.contains(where: { $0.id == b.taskId }) { v.fail("taskId", "error.choice") }
        let indicator = IndicatorCatalogue.byCode[b.indicatorCode ?? ""]
        if indicator == nil { v.fail("indicatorCode", "error.unknown_indicator") }
        let value = indicator.flatMap { $0.parse(b.value ?? "") }
        if indicator != nil && value == nil { v.fail("value", "error.money") }
        if let value, value < 0 { v.fail("value", "error.negative") }
        guard v.issues.isEmpty, let taskId = b.taskId, let indicator, let value else { throw AppError.invalid(ValidationFailure(v.issues)) }
        do {
            let t = try await store.setTarget(
                taskId: taskId, indicatorCode: indicator.code, value: value, expectedVersion: b.version,
                checked: true, actor: context.actor)
            return jsonResponse(TargetOut(t))
        } catch StoreError.conflict {
            // Stale (or no) version for a target that exists: 409 with what is stored now.
            let current = (try await store.agreementDetail(id: d.agreement.id))?.targets.first {
                $0.taskId == taskId && $0.indicatorCode == indicator.code
            }
            var e = AppError(status: .conflict, code: "conflict", key: "error.conflict", params: [String(current?.version ?? 0)])
            e.issues = [ValidationIssue(field: "version", key: "error.conflict", params: [String(current?.version ?? 0)])]
            throw e
        }
    }

    // MARK: projects

    @Sendable func projects(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request)
        let page = q.page
        let r = try await store.projects(try ProjectFilter(q, scope: context.access.scope), page: page)
        // The busiest read of the API: typed encoding, no dynamic casts (see docs/BENCHMARKS.md).
        return jsonResponse(ListOut(r.items.map(ProjectOut.init), total: r.total, page: page))
    }

    @Sendable func project(_ request: Request, context: SignedInContext) async throws -> Response {
        return jsonResponse(try await projectOut(try await scopedProject(context, write: false)))
    }

    @Sendable func createProject(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = try await decodeJSON(ProjectDraft.self, request, context)
        switch try await ProjectsController.validate(draft, store: store) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let p):
            try context.access.requireWrite(region: p.countyCode)
            let saved = try await store.createProject(p, actor: context.actor)
            return jsonResponse(try await projectOut(saved), status: .created)
        }
    }

    struct ProjectUpdate: Decodable {
        var draft: ProjectDraft
        var version: Int64?
        enum K: String, CodingKey { case version }
        init(from decoder: any Decoder) throws {
            draft = try ProjectDraft(from: decoder)
            version = try decoder.container(keyedBy: K.self).decodeIfPresent(Int64.self, forKey: .version)
        }
    }

    @Sendable func updateProject(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let a = context.access
        let body = try await decodeJSON(ProjectUpdate.self, request, context)
        guard let version = body.version else {
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "version", key: "error.required")]))
        }
        switch try await ProjectsController.validate(body.draft, store: store) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(var p):
            try a.requireWrite(region: p.countyCode)
            p.id = id
            p.version = version
            do {
                return jsonResponse(try await projectOut(try await store.updateProject(p, actor: context.actor)))
            } catch StoreError.conflict {
                let current = try await store.project(id: id)
                var e = AppError(status: .conflict, code: "conflict", key: "error.conflict", params: [String(current?.version ?? 0)])
                e.issues = []
                throw e
            }
        }
    }

    func scopedProject(_ context: SignedInContext, write: Bool) async throws -> Project {
        let id = try context.id()
        return try await context.find("project \(id)", write ? .write : .read) { try await store.project(id: id) }
    }

    @Sendable func transactions(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: false).id
        return jsonResponse(ListOut(try await store.transactions(projectId: id).map(TransactionOut.init)))
    }

    @Sendable func addTransaction(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let draft = try await decodeJSON(TransactionDraft.self, request, context)
        switch draft.validate(projectId: id) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let t): return jsonResponse(TransactionOut(try await store.addTransaction(t, actor: context.actor)), status: .created)
        }
    }

    @Sendable func milestones(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: false).id
        return jsonResponse(ListOut(try await store.milestones(projectId: id).map(MilestoneOut.init)))
    }

    struct MilestoneBody: Decodable {
        var title: String?
        var dueDate: String?
        var doneDate: String?
    }

    @Sendable func addMilestone(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let b = try await decodeJSON(MilestoneBody.self, request, context)
        var v = Validator()
        let title = v.text("title", b.title, max: 200)
        let due = v.day("dueDate", b.dueDate, required: true)
        let done = v.day("doneDate", b.doneDate)
        guard v.issues.isEmpty, let due else { throw AppError.invalid(ValidationFailure(v.issues)) }
        let m = try await store.addMilestone(Milestone(id: 0, projectId: id, title: title, dueDate: due, doneDate: done), actor: context.actor)
        return jsonResponse(MilestoneOut(m), status: .created)
    }

    // MARK: progress and the dashboard figures

    @Sendable func progress(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request, defaultSize: 50)
        let page = q.page
        let r = try await store.progress(try ProgressFilter(q, scope: context.access.scope), page: page)
        return jsonResponse(ListOut(r.items.map(ProgressOut.init), total: r.total, page: page))
    }

    @Sendable func addProgress(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = try await decodeJSON(ProgressDraft.self, request, context)
        let code = (draft.regionCode ?? "").trimmingWhitespace()
        let region = Region.isWellFormedCode(code) ? try await store.region(code: code) : nil
        switch draft.validate(region: region) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let p):
            try context.access.requireWrite(region: p.regionCode)
            return jsonResponse(ProgressOut(try await store.addProgress(p, actor: context.actor)), status: .created)
        }
    }

    struct ImportBody: Decodable { var rows: [ProgressDraft] }
    static let maxImportRows = 200_000
    static let maxImportBody = 48 << 20

    /// Many figures in one request, all or nothing: every row is checked (its fields, and that the caller may write
    /// its region) before anything is written; one bad row rejects the whole import with every problem listed by row
    /// and field. Accepted rows land in one transaction, each with its audit record.
    @Sendable func importProgress(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: Self.maxImportBody) } catch {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(Self.maxImportBody >> 20)])
        }
        let body: ImportBody
        do { body = try JSONDecoder().decode(ImportBody.self, from: Data(buffer: buffer)) } catch {
            throw AppError.badJSON("\(error)".prefix(300).description)
        }
        guard !body.rows.isEmpty, body.rows.count <= Self.maxImportRows else {
            throw AppError.invalid(
                ValidationFailure([ValidationIssue(field: "rows", key: "error.import_rows", params: [String(Self.maxImportRows)])]))
        }
        let a = context.access
        try a.requireWriter()
        let regions = Dictionary(uniqueKeysWithValues: try await store.regions().map { ($0.code, $0) })
        var accepted: [ProgressReport] = []
        var acceptedRow: [Int] = []
        var problems: [ErrorOut.RowProblem] = []
        var seen: [String: Int] = [:]
        for (i, draft) in body.rows.enumerated() {
            switch draft.validate(region: regions[(draft.regionCode ?? "").trimmingWhitespace()]) {
            case .failure(let f):
                for issue in f.issues where problems.count < 1_000 {
                    problems.append(.init(row: i + 1, field: issue.field, message: issue.message(context.language)))
                }
            case .success(let p):
                let key = "\(p.indicatorCode)|\(p.regionCode)|\(p.year)|\(p.month)"
                if let first = seen[key] {
                    // One figure per indicator, region and month, inside the file as in the database.
                    if problems.count < 1_000 {
                        problems.append(
                            .init(row: i + 1, field: "month", message: Strings.text("error.duplicate_row", context.language, [String(first + 1)])))
                    }
                } else if AccessRule.canWrite(a.user, regionCode: p.regionCode) {
                    seen[key] = i
                    accepted.append(p)
                    acceptedRow.append(i)
                } else if problems.count < 1_000 {
                    problems.append(.init(row: i + 1, field: "regionCode", message: Strings.text("error.forbidden", context.language)))
                }
            }
        }
        for (n, id) in try await store.existingFigures(accepted).sorted(by: { $0.key < $1.key }) where problems.count < 1_000 {
            problems.append(
                .init(row: acceptedRow[n] + 1, field: "month", message: Strings.text("error.duplicate_figure", context.language, ["/progress/\(id)"]))
            )
        }
        problems.sort { $0.row < $1.row }
        guard problems.isEmpty else {
            return jsonResponse(
                ErrorOut(
                    error: .init(
                        code: "validation", message: Strings.text("error.import_rejected", context.language, [String(problems.count)]),
                        rows: problems)), status: .unprocessableContent)
        }
        try await store.importProgress(accepted, actor: context.actor)
        return jsonResponse(Imported(imported: accepted.count), status: .created)
    }

    @Sendable func dashboard(_ request: Request, context: SignedInContext) async throws -> Response {
        let year = try await ListQuery(request).year.asyncOr { try await defaultYear(store, today: context.today) }
        let a = context.access
        let o = try await Overview.build(
            store: store, year: year, counted: Pages.counted(request),
            pairingIds: a.readablePairingIds, scope: a.scope)
        let shown = o.completion.flatMap { c in o.agreement.map { ($0, c) } }
        return jsonResponse(
            DashboardOut(
                year: year, projectCount: o.projectCount, funding: FundingOut(o.funding),
                agreement: shown.map { AgreementOut($0.0) }, completion: shown.map { CompletionOut($0.1) },
                prefectures: o.prefectures.map {
                    .init(
                        regionCode: $0.region.code, name: $0.region.name, agreementId: $0.agreement.id,
                        overallBasisPoints: $0.completion.overall)
                }))
    }
}

/// `/health` and `/ready`.
struct Health: Codable, Sendable {
    let status: String
    var schema: Int? = nil
    var expected: Int? = nil
    var backend: String? = nil
}

struct Imported: Codable, Sendable { let imported: Int }

/// The dashboard's figures for a year.
struct DashboardOut: Codable, Sendable {
    struct Prefecture: Codable, Sendable {
        let regionCode: String
        let name: String
        let agreementId: Int64
        @Null var overallBasisPoints: Int?
    }
    let year: Int
    let projectCount: Int
    let funding: FundingOut
    /// Absent when the reader's pairing has no agreement that year.
    let agreement: AgreementOut?
    let completion: CompletionOut?
    let prefectures: [Prefecture]
}
