import XiezuoDomain
import XiezuoStore

/// What a single object's visibility hangs on: the region whose data it is, or the pairing it belongs to.
enum ScopeOwner: Sendable, Equatable {
    case region(String)
    case pairing(Int64)
}

/// A stored object that belongs somewhere: readable by whoever may read its owner, changed by whoever may write there.
protocol InScope {
    var readOwner: ScopeOwner { get }
    /// Who may change it, when that differs from who may read it (a follow-up task: read with its meeting's pairing,
    /// updated by the office that owns it).
    var writeOwner: ScopeOwner { get }
}

extension InScope {
    var writeOwner: ScopeOwner { readOwner }
}

extension Project: InScope { var readOwner: ScopeOwner { .region(countyCode) } }
extension ProgressReport: InScope { var readOwner: ScopeOwner { .region(regionCode) } }
extension LedgerRecord: InScope { var readOwner: ScopeOwner { .region(countyCode) } }
extension LibraryDocument: InScope { var readOwner: ScopeOwner { .region(regionCode) } }
extension AgreementDetail: InScope { var readOwner: ScopeOwner { .pairing(pairing.id) } }
extension Meeting: InScope { var readOwner: ScopeOwner { .pairing(pairingId) } }

/// A follow-up task with the meeting it came from (its pairing decides who reads it).
struct TaskInMeeting: InScope {
    let task: FollowUpTask
    let meeting: Meeting
    var readOwner: ScopeOwner { .pairing(meeting.pairingId) }
    var writeOwner: ScopeOwner { .region(task.ownerRegionCode) }
}

/// What the caller means to do with the object it asks for.
enum Need: Sendable {
    case read, write
}

extension Access {
    /// The one check of a single object: 404 when the caller may not read it (the same answer as for an object that
    /// does not exist: nothing is revealed), 403 when it may read but is asked to change it and may not.
    func check(_ object: some InScope, _ need: Need, _ what: String) throws {
        try require(object.readOwner, read: true, what)
        if need == .write { try require(object.writeOwner, read: false, what) }
    }

    /// The pairing of this id, if the caller may read it.
    func pairing(_ id: Int64) -> Pairing? {
        pairings.first { $0.id == id && AccessRule.canRead(user, pairing: $0) }
    }

    private func require(_ owner: ScopeOwner, read: Bool, _ what: String) throws {
        switch owner {
        case .region(let code):
            if read { try requireRead(region: code, what) } else { try requireWrite(region: code) }
        case .pairing(let id):
            guard let p = pairings.first(where: { $0.id == id }) else { throw AppError.notFound(what) }
            if read { try requireRead(pairing: p, what) } else { try requireManage(pairing: p) }
        }
    }
}

extension SignedInContext {
    /// The one finder of single objects, for pages, the API, history and exports alike: loads the object and
    /// returns it only if the caller may read it (404 otherwise, as for one that does not exist) and, with `.write`,
    /// change it (403 otherwise).
    func find<T: InScope>(_ what: String, _ need: Need = .read, _ load: () async throws -> T?) async throws -> T {
        guard let object = try await load() else { throw AppError.notFound(what) }
        try access.check(object, need, what)
        return object
    }

    /// The route's `:id` (or another parameter), 400 when it is not a number.
    func id(_ name: String = "id") throws -> Int64 { try parseID(parameters.get(name)) }
}
