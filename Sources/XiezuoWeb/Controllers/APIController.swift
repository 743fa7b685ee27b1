import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The JSON API under /api/v1. Every route here is described in Resources/openapi.json (a test checks it).
struct APIController {
    let store: Store
    let openAPI: ByteBuffer
    /// The busiest reads' answers, while the data is unchanged (shared with the pages).
    let cache: ResponseCache

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

    func regionIndex() async throws -> [String: Region] { try await store.regionIndex() }
}
