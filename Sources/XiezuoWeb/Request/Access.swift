import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The signed-in user's rights for one request, from the rule in XiezuoDomain. Reads outside the scope answer 404
/// (nothing is revealed, not even existence); writes outside it answer 403 and change nothing.
struct Access: Sendable {
    let user: UserAccount
    let pairings: [Pairing]
    /// Region prefixes the user may read (nil: all), worked out once: lists ask it for every region they show.
    let readable: [String]?

    /// `year`: pairings that ended before it grant nothing.
    /// Region prefixes of the western side of the installation's pairings: the regions its data is about (the region
    /// table holds the whole country).
    let covered: [String]

    init(user: UserAccount, pairings: [Pairing], year: Int) {
        self.user = user
        self.pairings = pairings
        readable = AccessRule.readablePrefixes(user, pairings: pairings, year: year)
        covered = Array(Set(pairings.map { Region.scopePrefix(code: $0.westCode, level: ProjectDraft.levelOf($0.westCode)) }))
    }

    /// The regions a list's filter offers (covered by a pairing and readable by the user), taken from the region table sorted by code: each covered prefix is one
    /// run of codes, found by bisection rather than by testing all 3,200 regions of the country on every page.
    func offeredRegions(in sorted: [Region]) -> [Region] {
        // A prefix inside another covered one adds nothing (a province's pairing covers its prefectures').
        let outer = covered.filter { p in !covered.contains { $0 != p && p.hasPrefix($0) } }.sorted()
        var out: [Region] = []
        for p in outer {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid].code < p { lo = mid + 1 } else { hi = mid }
            }
            while lo < sorted.count, sorted[lo].code.hasPrefix(p) {
                if canRead(region: sorted[lo].code) { out.append(sorted[lo]) }
                lo += 1
            }
        }
        return out
    }
    /// The same as the scope every store list and count requires.
    var scope: RegionScope { readable.map(RegionScope.within) ?? .all }
    /// The user's own scope, without what its pairings add (reviews, bulk approval).
    var ownScope: RegionScope { user.role == .admin ? .all : .within([user.scopePrefix]) }
    /// The figures waiting for this user's review: submitted by someone else, inside the user's own scope, and — but
    /// for an administrator — not of the user's own region (the level above reviews).
    var figuresToReview: ProgressFilter {
        var f = ProgressFilter(state: .submitted, scope: ownScope)
        f.notAuthoredBy = user.username
        if user.role != .admin { f.otherThanRegion = user.regionCode }
        return f
    }
    /// Pairings whose agreements and meetings the user may read (nil: all).
    var readablePairingIds: [Int64]? {
        user.role == .admin ? nil : pairings.filter { AccessRule.canRead(user, pairing: $0) }.map(\.id)
    }

    func canRead(region code: String) -> Bool { AccessRule.canRead(readable, regionCode: code) }

    func requireRead(region code: String, _ what: String) throws {
        guard canRead(region: code) else { throw AppError.notFound(what) }
    }

    func requireWrite(region code: String) throws {
        guard AccessRule.canWrite(user, regionCode: code) else { throw AppError.forbidden }
    }

    func requireRead(pairing: Pairing, _ what: String) throws {
        guard AccessRule.canRead(user, pairing: pairing) else { throw AppError.notFound(what) }
    }

    func requireManage(pairing: Pairing) throws {
        guard AccessRule.canManage(user, pairing: pairing) else { throw AppError.forbidden }
    }

    func requireWriter() throws {
        guard AccessRule.writesData(user) else { throw AppError.forbidden }
    }
}

extension AppError {
    static let forbidden = AppError(status: .forbidden, code: "forbidden", key: "error.forbidden")
}
