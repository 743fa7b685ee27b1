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
        router.get("/health") { _, _ in jsonResponse(["status": "ok"]) }
        // Ready to serve: the database answers and its schema is the one this program expects (a load balancer
        // sends no traffic to an instance that is still migrating or has lost its database).
        router.get("/ready") { _, _ in
            do {
                let v = try await store.schemaVersion()
                guard v == Store.latestSchemaVersion else {
                    return jsonResponse(["status": "migrating", "schema": v, "expected": Store.latestSchemaVersion], status: .serviceUnavailable)
                }
                return jsonResponse(["status": "ready", "schema": v, "backend": store.backend.dialect == .postgres ? "postgresql" : "sqlite"])
            } catch {
                return jsonResponse(["status": "database unreachable"], status: .serviceUnavailable)
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

    // MARK: representations

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    struct FundingOut: Encodable { var budgetFen, committedFen, disbursedFen, spentFen: Int64 }
    struct ProjectOut: Encodable {
        var id, pairingId: Int64
        var countyCode, countyName, workArea, title, status: String
        var plannedStart, plannedEnd: String?
        var beneficiaries: Int64
        var description: String
        var demo: Bool
        var version: Int64
        var updatedAt: String
        var funding: FundingOut
        init(_ row: ProjectRow) {
            let p = row.project
            id = p.id
            pairingId = p.pairingId
            countyCode = p.countyCode
            countyName = row.countyName
            workArea = p.workArea.rawValue
            title = p.title
            status = p.status.rawValue
            plannedStart = p.plannedStart?.description
            plannedEnd = p.plannedEnd?.description
            beneficiaries = p.beneficiaries
            description = p.description
            demo = p.isDemo
            version = p.version
            updatedAt = p.updatedAt
            funding = FundingOut(
                budgetFen: row.funding.budget.fen, committedFen: row.funding.committed.fen,
                disbursedFen: row.funding.disbursed.fen, spentFen: row.funding.spent.fen)
        }
        func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey {
                case id, pairingId, countyCode, countyName, workArea, title, status, plannedStart, plannedEnd,
                    beneficiaries, description, demo, version, updatedAt, funding
            }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(id, forKey: .id)
            try c.encode(pairingId, forKey: .pairingId)
            try c.encode(countyCode, forKey: .countyCode)
            try c.encode(countyName, forKey: .countyName)
            try c.encode(workArea, forKey: .workArea)
            try c.encode(title, forKey: .title)
            try c.encode(status, forKey: .status)
            try c.encode(plannedStart, forKey: .plannedStart)
            try c.encode(plannedEnd, forKey: .plannedEnd)
            try c.encode(beneficiaries, forKey: .beneficiaries)
            try c.encode(description, forKey: .description)
            try c.encode(demo, forKey: .demo)
            try c.encode(version, forKey: .version)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encode(funding, forKey: .funding)
        }
    }
    struct ProjectPage: Encodable {
        var items: [ProjectOut]
        var total: Int
        var page: Int
        var perPage: Int
    }

    static func json(_ r: Region) -> [String: Any] {
        [
            "code": r.code, "name": r.name, "level": r.level.rawValue, "parentCode": r.parentCode as Any, "side": r.side.rawValue,
            "keyAssisted": r.keyAssisted, "resettlementArea": r.resettlementArea,
        ]
    }
    static func json(_ p: Pairing, _ regions: [String: Region]) -> [String: Any] {
        [
            "id": p.id, "level": p.level.rawValue, "eastCode": p.eastCode, "eastName": regions[p.eastCode]?.name ?? "",
            "westCode": p.westCode, "westName": regions[p.westCode]?.name ?? "", "eastParty": p.eastParty as Any,
            "westParty": p.westParty as Any, "sinceYear": p.sinceYear, "untilYear": p.untilYear as Any,
        ]
    }
    static func json(_ i: Indicator) -> [String: Any] {
        [
            "code": i.code, "nameZh": i.nameZh, "nameEn": i.nameEn, "unit": i.unit.rawValue, "source": i.source.rawValue,
            "ledger": i.ledger as Any, "workArea": i.workArea.rawValue,
        ]
    }
    static func json(_ a: Agreement) -> [String: Any] {
        [
            "id": a.id, "pairingId": a.pairingId, "year": a.year, "title": a.title, "status": a.status.rawValue,
            "demo": a.isDemo, "updatedAt": a.updatedAt,
        ]
    }
    static func json(_ p: Project, countyName: String? = nil, funding: FundingSummary? = nil) -> [String: Any] {
        var d: [String: Any] = [
            "id": p.id, "pairingId": p.pairingId, "countyCode": p.countyCode, "workArea": p.workArea.rawValue, "title": p.title,
            "status": p.status.rawValue, "plannedStart": p.plannedStart?.description as Any, "plannedEnd": p.plannedEnd?.description as Any,
            "beneficiaries": p.beneficiaries, "description": p.description, "demo": p.isDemo, "version": p.version,
            "updatedAt": p.updatedAt,
        ]
        if let countyName { d["countyName"] = countyName }
        if let funding { d["funding"] = json(funding) }
        return d
    }
    static func json(_ f: FundingSummary) -> [String: Any] {
        ["budgetFen": f.budget.fen, "committedFen": f.committed.fen, "disbursedFen": f.disbursed.fen, "spentFen": f.spent.fen]
    }
    static func json(_ t: FundingTransaction) -> [String: Any] {
        [
            "id": t.id, "projectId": t.projectId, "kind": t.kind.rawValue, "date": t.date.description, "amountFen": t.amount.fen,
            "amountYuan": t.amount.yuanText.replacingOccurrences(of: ",", with: ""), "note": t.note,
        ]
    }
    static func json(_ p: ProgressReport) -> [String: Any] {
        [
            "id": p.id, "indicatorCode": p.indicatorCode, "regionCode": p.regionCode, "year": p.year, "month": p.month,
            "value": p.value, "state": p.state.rawValue, "note": p.note,
        ]
    }
    static func json(_ c: AgreementCompletion) -> [String: Any] {
        [
            "overallBasisPoints": c.overall as Any,
            "indicators": c.rows.map {
                [
                    "indicatorCode": $0.indicator.code, "workArea": $0.workArea.rawValue, "target": $0.target,
                    "actual": $0.actual, "completionBasisPoints": $0.basisPoints as Any,
                ]
            },
            "workAreas": c.byWorkArea().map { ["workArea": $0.0.rawValue, "completionBasisPoints": $0.1 as Any] },
        ]
    }
    static func list(_ items: [[String: Any]], total: Int? = nil, page: Page? = nil) -> Response {
        var d: [String: Any] = ["items": items, "total": total ?? items.count]
        if let page {
            d["page"] = page.number
            d["perPage"] = page.size
        }
        return jsonResponse(d)
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
        return Self.list(all.map(Self.json))
    }

    @Sendable func region(_ request: Request, context: SignedInContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard Region.isWellFormedCode(code), let r = try await store.region(code: code) else { throw AppError.notFound("region \(code)") }
        return jsonResponse(Self.json(r))  // reference data: every signed-in user reads it
    }

    @Sendable func pairings(_ request: Request, context: SignedInContext) async throws -> Response {
        let regions = try await regionIndex()
        return Self.list(try await store.pairings().map { Self.json($0, regions) })
    }

    @Sendable func pairing(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        guard let p = try await store.pairing(id: id) else { throw AppError.notFound("pairing \(id)") }
        return jsonResponse(Self.json(p, try await regionIndex()))
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
        return jsonResponse(Self.json(saved, regions), status: .created)
    }

    @Sendable func indicators(_ request: Request, context: SignedInContext) async throws -> Response {
        Self.list(IndicatorCatalogue.all.map(Self.json))
    }

    // MARK: agreements

    @Sendable func agreements(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request)
        let year = try q.year
        let pairing = try q.value("pairing") { Int64($0) }
        let a = context.access
        return Self.list(try await store.agreements(year: year, pairingId: pairing, pairingIds: a.readablePairingIds).map(Self.json))
    }

    @Sendable func agreement(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try context.id()
        let d = try await context.find("agreement \(id)") { try await store.agreementDetail(id: id) }
        guard let c = try await Overview.completion(of: id, store: store, counted: Pages.counted(request)) else {
            throw AppError.notFound("agreement \(id)")
        }
        var out = Self.json(d.agreement)
        out["tasks"] = d.tasks.map { t in
            [
                "id": t.id, "workArea": t.workArea.rawValue, "text": t.text, "updatedAt": t.updatedAt,
                "targets": d.targets.filter { $0.taskId == t.id }.map {
                    [
                        "id": $0.id, "indicatorCode": $0.indicatorCode,
                        "value": $0.value, "updatedAt": $0.updatedAt, "version": $0.version,
                    ]
                },
            ] as [String: Any]
        }
        out["completion"] = Self.json(c)
        return jsonResponse(out)
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
            return jsonResponse(Self.json(a), status: .created)
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
        return jsonResponse(["id": t.id, "agreementId": id, "workArea": t.workArea.rawValue, "text": t.text], status: .created)
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
            return jsonResponse([
                "id": t.id, "taskId": t.taskId, "indicatorCode": t.indicatorCode, "value": t.value, "updatedAt": t.updatedAt,
                "version": t.version,
            ])
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
        let body = ProjectPage(items: r.items.map(ProjectOut.init), total: r.total, page: page.number, perPage: page.size)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try Self.encoder.encode(body))))
    }

    @Sendable func project(_ request: Request, context: SignedInContext) async throws -> Response {
        let p = try await scopedProject(context, write: false)
        let id = p.id
        let txs = try await store.transactions(projectId: id)
        return jsonResponse(Self.json(p, countyName: try await store.region(code: p.countyCode)?.name, funding: FundingSummary(txs)))
    }

    @Sendable func createProject(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = try await decodeJSON(ProjectDraft.self, request, context)
        switch try await ProjectsController.validate(draft, store: store) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let p):
            try context.access.requireWrite(region: p.countyCode)
            let saved = try await store.createProject(p, actor: context.actor)
            return jsonResponse(Self.json(saved), status: .created)
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
                return jsonResponse(Self.json(try await store.updateProject(p, actor: context.actor)))
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
        return Self.list(try await store.transactions(projectId: id).map(Self.json))
    }

    @Sendable func addTransaction(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: true).id
        let draft = try await decodeJSON(TransactionDraft.self, request, context)
        switch draft.validate(projectId: id) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let t): return jsonResponse(Self.json(try await store.addTransaction(t, actor: context.actor)), status: .created)
        }
    }

    @Sendable func milestones(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try await scopedProject(context, write: false).id
        return Self.list(
            try await store.milestones(projectId: id).map {
                ["id": $0.id, "title": $0.title, "dueDate": $0.dueDate.description, "doneDate": $0.doneDate?.description as Any]
            })
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
        return jsonResponse(
            ["id": m.id, "title": m.title, "dueDate": m.dueDate.description, "doneDate": m.doneDate?.description as Any],
            status: .created)
    }

    // MARK: progress and the dashboard figures

    @Sendable func progress(_ request: Request, context: SignedInContext) async throws -> Response {
        let q = try ListQuery(request, defaultSize: 50)
        let page = q.page
        let r = try await store.progress(try ProgressFilter(q, scope: context.access.scope), page: page)
        return Self.list(r.items.map(Self.json), total: r.total, page: page)
    }

    @Sendable func addProgress(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = try await decodeJSON(ProgressDraft.self, request, context)
        let code = (draft.regionCode ?? "").trimmingWhitespace()
        let region = Region.isWellFormedCode(code) ? try await store.region(code: code) : nil
        switch draft.validate(region: region) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let p):
            try context.access.requireWrite(region: p.regionCode)
            return jsonResponse(Self.json(try await store.addProgress(p, actor: context.actor)), status: .created)
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
        var problems: [[String: Any]] = []
        var seen: [String: Int] = [:]
        for (i, draft) in body.rows.enumerated() {
            switch draft.validate(region: regions[(draft.regionCode ?? "").trimmingWhitespace()]) {
            case .failure(let f):
                for issue in f.issues where problems.count < 1_000 {
                    problems.append(["row": i + 1, "field": issue.field, "message": issue.message(context.language)])
                }
            case .success(let p):
                let key = "\(p.indicatorCode)|\(p.regionCode)|\(p.year)|\(p.month)"
                if let first = seen[key] {
                    // One figure per indicator, region and month, inside the file as in the database.
                    if problems.count < 1_000 {
                        problems.append([
                            "row": i + 1, "field": "month",
                            "message": Strings.text("error.duplicate_row", context.language, [String(first + 1)]),
                        ])
                    }
                } else if AccessRule.canWrite(a.user, regionCode: p.regionCode) {
                    seen[key] = i
                    accepted.append(p)
                    acceptedRow.append(i)
                } else if problems.count < 1_000 {
                    problems.append(["row": i + 1, "field": "regionCode", "message": Strings.text("error.forbidden", context.language)])
                }
            }
        }
        for (n, id) in try await store.existingFigures(accepted).sorted(by: { $0.key < $1.key }) where problems.count < 1_000 {
            problems.append([
                "row": acceptedRow[n] + 1, "field": "month",
                "message": Strings.text("error.duplicate_figure", context.language, ["/progress/\(id)"]),
            ])
        }
        problems.sort { ($0["row"] as? Int ?? 0) < ($1["row"] as? Int ?? 0) }
        guard problems.isEmpty else {
            return jsonResponse(
                [
                    "error": [
                        "code": "validation", "message": Strings.text("error.import_rejected", context.language, [String(problems.count)]),
                        "rows": problems,
                    ]
                ], status: .unprocessableContent)
        }
        try await store.importProgress(accepted, actor: context.actor)
        return jsonResponse(["imported": accepted.count], status: .created)
    }

    @Sendable func dashboard(_ request: Request, context: SignedInContext) async throws -> Response {
        let year = try await request.yearQuery().asyncOr { try await defaultYear(store) }
        let a = context.access
        let o = try await Overview.build(
            store: store, year: year, counted: Pages.counted(request),
            pairingIds: a.readablePairingIds, scope: a.scope)
        var out: [String: Any] = ["year": year, "projectCount": o.projectCount, "funding": Self.json(o.funding)]
        if let a = o.agreement, let c = o.completion {
            out["agreement"] = Self.json(a)
            out["completion"] = Self.json(c)
        }
        out["prefectures"] = o.prefectures.map {
            [
                "regionCode": $0.region.code, "name": $0.region.name, "agreementId": $0.agreement.id,
                "overallBasisPoints": $0.completion.overall as Any,
            ]
        }
        return jsonResponse(out)
    }
}
