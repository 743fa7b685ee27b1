import XiezuoDomain

/// One early warning as the API gives it: its level, what it is about, its region and where to act on it.
struct WarningOut: Codable, Sendable {
    let level: String
    let kind: String
    let subject: String
    let about: String
    let regionCode: String
    let regionName: String
    let link: String
    /// Indicator warnings: in the indicator's stored unit (fen for money).
    let actual: Int64?
    let expected: Int64?
    let target: Int64?
    let projected: Int64?
    /// Project and task warnings: the date since which it is late (last disbursement, planned end, deadline).
    let since: String?

    init(_ w: Warning, regions: [String: Region]) {
        level = w.level.rawValue
        kind = w.kind.rawValue
        subject = w.subject
        about = w.title
        regionCode = w.regionCode
        regionName = regions[w.regionCode]?.name ?? w.regionCode
        link = w.link
        actual = w.actual
        expected = w.expected
        target = w.target
        projected = w.projected
        since = w.since?.description
    }
}

struct WarningsOut: Codable, Sendable {
    let year: Int
    let asOf: String
    let red: Int
    let amber: Int
    /// Project warnings counted but past `limit` (the list gives red ones first).
    let projectsNotListed: Int
    let items: [WarningOut]
}
