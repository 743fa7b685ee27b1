import XiezuoDomain
import XiezuoStore

/// A reporting round as the API gives it: what it asks, its period, deadline and lock, and each member's return.
struct RoundOut: Codable, Sendable {
    struct Member: Codable, Sendable {
        let regionCode: String
        let regionName: String
        /// pending, submitted, returned or late (RoundMember.Status).
        let status: String
        let submittedAt: String?
        let submittedBy: String?
        let reminders: Int
        let remindedAt: String?
    }
    let id: Int64
    let title: String
    let openerRegionCode: String
    let openedBy: String?
    let year: Int
    let month: Int
    let deadline: String
    let indicators: [String]
    let ledgers: [String]
    /// deadline, unlocked or locked (RoundLock), and whether the period is locked today.
    let lock: String
    let locked: Bool
    let note: String
    let link: String
    let members: [Member]

    init(_ r: ReportingRound, members: [RoundMember], today: Day, regions: [String: Region]) {
        id = r.id
        title = r.title
        openerRegionCode = r.openerRegionCode
        openedBy = r.openedBy
        year = r.year
        month = r.month
        deadline = r.deadline.description
        indicators = r.indicatorCodes
        ledgers = r.ledgers.map(\.rawValue)
        lock = r.lock.rawValue
        locked = r.isLocked(on: today)
        note = r.note
        link = "/rounds/\(r.id)"
        self.members = members.map {
            Member(
                regionCode: $0.regionCode, regionName: regions[$0.regionCode]?.name ?? $0.regionCode,
                status: $0.status(in: r, today: today).rawValue, submittedAt: $0.submittedAt, submittedBy: $0.submittedBy,
                reminders: $0.reminders, remindedAt: $0.remindedAt)
        }
    }
}

struct RoundsOut: Codable, Sendable {
    let rounds: [RoundOut]
}

/// A round to open: without `members`, every county the caller may include.
struct RoundIn: Decodable, Sendable {
    let title: String
    let year: Int
    let month: Int
    let deadline: String
    let indicators: [String]?
    let ledgers: [String]?
    let members: [String]?
    let note: String?
}
