import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Reference data: regions, pairings (the only write: a new pairing, by those who manage both sides), indicators.
extension APIController {

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
}
