import XiezuoDomain
import XiezuoStore

/// The figures behind the dashboard and the progress report for one year: the province agreement's completion by
/// indicator and work area, and each prefecture's completion against its city agreement.
public struct Overview: Sendable {
    public struct PrefectureLine: Sendable {
        public var region: Region
        public var agreement: Agreement
        public var completion: AgreementCompletion
    }

    public var year: Int
    public var counted: CountedStates
    public var pairing: Pairing?
    public var agreement: Agreement?
    public var completion: AgreementCompletion?
    public var prefectures: [PrefectureLine]
    public var funding: FundingSummary
    public var projectCount: Int
    public var meetings: [Meeting]
    /// Every western partner of the shown pairing's eastern province that the reader may see (Guangdong's Guizhou
    /// and Guangxi), each with its own actuals; empty when there is only the one.
    public var partners: [PartnerLine] = []
    /// The partners' actuals summed: the eastern province's own totals.
    public var combined: [String: Int64] = [:]

    public struct PartnerLine: Sendable {
        public var pairing: Pairing
        public var west: Region
        public var actuals: [String: Int64]
    }

    /// `pairingIds` (nil: every pairing) and `scope` are what the reader may see: the agreement shown is the
    /// province one if readable, otherwise the reader's first readable one; money and counts cover readable projects.
    /// `pairingId`: the pairing whose agreement is shown (a province with several partners picks one).
    public static func build(
        store: Store, year: Int, counted: CountedStates, pairingIds: [Int64]? = nil,
        scope: RegionScope, pairingId: Int64? = nil
    ) async throws -> Overview {
        let agreements = try await store.agreements(year: year, pairingIds: pairingIds)
        let pairings = Dictionary(uniqueKeysWithValues: try await store.pairings().map { ($0.id, $0) })
        let regions = try await store.regionIndex()
        var overview = Overview(
            year: year, counted: counted, pairing: nil, agreement: nil, completion: nil,
            prefectures: [], funding: FundingSummary(), projectCount: 0, meetings: [])
        let chosen = pairingId.flatMap { id in agreements.first { $0.pairingId == id } }
        guard let main = chosen ?? agreements.first(where: { pairings[$0.pairingId]?.level == .province }) ?? agreements.first,
            let pairing = pairings[main.pairingId], let west = regions[pairing.westCode]
        else { return overview }
        overview.pairing = pairing
        overview.agreement = main
        let targets = try await store.targetsByAgreement(year: year)
        let actuals = try await store.actuals(year: year, regionCode: west.code, counted: counted)
        overview.completion = AgreementCompletion(targets: targets[main.id] ?? [], actuals: actuals)
        let byChild = try await store.actualsByChild(year: year, parent: west, counted: counted)
        for a in agreements {
            guard let p = pairings[a.pairingId], p.level == .city, let r = regions[p.westCode] else { continue }
            overview.prefectures.append(
                PrefectureLine(
                    region: r, agreement: a,
                    completion: AgreementCompletion(targets: targets[a.id] ?? [], actuals: byChild[r.code] ?? [:])))
        }
        overview.prefectures.sort { $0.region.code < $1.region.code }
        overview.funding = try await store.fundingTotals(regionCode: west.code, scope: scope)
        overview.projectCount = try await store.projectCount(regionCode: west.code, scope: scope)
        overview.meetings = try await store.meetings(pairingId: pairing.id, year: year)
        // The eastern province's other partners, as far as the reader may see them.
        let eastProvince = String(pairing.eastCode.prefix(2))
        let partners = pairings.values.filter { p in
            p.level == .province && p.eastCode.hasPrefix(eastProvince) && (pairingIds?.contains(p.id) ?? true)
                && p.sinceYear <= year && (p.untilYear.map { $0 >= year } ?? true)
        }
        if partners.count > 1 {
            for p in partners.sorted(by: { $0.id < $1.id }) {
                guard let w = regions[p.westCode] else { continue }
                let actuals = try await store.actuals(year: year, regionCode: w.code, counted: counted)
                overview.partners.append(PartnerLine(pairing: p, west: w, actuals: actuals))
                for (k, v) in actuals { overview.combined[k, default: 0] += v }
            }
        }
        return overview
    }

    static func targets(_ d: AgreementDetail) -> [(workArea: WorkArea, target: Target)] {
        let areas = Dictionary(uniqueKeysWithValues: d.tasks.map { ($0.id, $0.workArea) })
        return d.targets.map { (areas[$0.taskId] ?? .industry, $0) }
    }

    /// Completion of any agreement: its targets against the roll-up inside its pairing's western region.
    public static func completion(of agreementId: Int64, store: Store, counted: CountedStates) async throws -> AgreementCompletion? {
        guard let d = try await store.agreementDetail(id: agreementId) else { return nil }
        let actuals = try await store.actuals(year: d.agreement.year, regionCode: d.pairing.westCode, counted: counted)
        return AgreementCompletion(targets: targets(d), actuals: actuals)
    }
}
