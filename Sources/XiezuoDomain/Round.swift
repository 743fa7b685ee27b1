/// A reporting round (填报任务): an office asks the offices below it for one month's figures and ledger rows by a
/// deadline. Each member office submits its return (上报); the opener follows who has, reminds the late (催报), and
/// from the deadline the submitted returns are locked — changed only through a change request (申请修改).
public struct ReportingRound: Sendable, Hashable, Codable {
    public var id: Int64
    public var title: String
    /// The office that opened it, by region; it manages the round (reminds, unlocks, re-locks).
    public var openerRegionCode: String
    public var openedBy: String?
    /// The reporting period: one month.
    public var year: Int
    public var month: Int
    public var deadline: Day
    /// Reported indicators (their figures) and ledgers (their rows dated in the period) the round asks for.
    public var indicatorCodes: [String]
    public var ledgers: [LedgerName]
    public var lock: RoundLock
    public var note: String

    public init(
        id: Int64, title: String, openerRegionCode: String, openedBy: String?, year: Int, month: Int, deadline: Day,
        indicatorCodes: [String], ledgers: [LedgerName], lock: RoundLock = .atDeadline, note: String = ""
    ) {
        self.id = id
        self.title = title
        self.openerRegionCode = openerRegionCode
        self.openedBy = openedBy
        self.year = year
        self.month = month
        self.deadline = deadline
        self.indicatorCodes = indicatorCodes
        self.ledgers = ledgers
        self.lock = lock
        self.note = note
    }

    /// "2026-10".
    public var period: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// Whether the period's submitted returns are locked on `today`: from the day after the deadline (in China),
    /// unless the opener unlocked the round; a re-lock holds whatever the day.
    public func isLocked(on today: Day) -> Bool {
        switch lock {
        case .atDeadline: return today > deadline
        case .unlocked: return false
        case .locked: return true
        }
    }

    /// The first and last day of the period, for ledger rows dated in it.
    public var firstDay: Day { Day(year: year, month: month, day: 1)! }
    public var lastDay: Day { Day(year: year, month: month, day: Day.daysIn(month: month, year: year))! }
}

/// How a round's period is locked: by the deadline (the usual), opened again by the opener, or locked again.
public enum RoundLock: String, Sendable, Codable, CaseIterable {
    case atDeadline = "deadline"
    case unlocked, locked
}

/// One office's return in a round, and what the live table shows of it.
public struct RoundMember: Sendable, Hashable, Codable {
    public var regionCode: String
    public var submittedAt: String?
    public var submittedBy: String?
    public var reminders: Int
    public var remindedAt: String?
    /// Figures of the return sent back by the reviewer and not yet submitted again.
    public var returned: Int
    public init(
        regionCode: String, submittedAt: String? = nil, submittedBy: String? = nil, reminders: Int = 0, remindedAt: String? = nil,
        returned: Int = 0
    ) {
        self.regionCode = regionCode
        self.submittedAt = submittedAt
        self.submittedBy = submittedBy
        self.reminders = reminders
        self.remindedAt = remindedAt
        self.returned = returned
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, submitted, returned, late
    }

    /// Sent back wins over submitted (there is work to do again); a return not in by the end of the deadline's day
    /// — or when the opener closed the round early — is late, whether or not it was reminded.
    public func status(in round: ReportingRound, today: Day) -> Status {
        if returned > 0 { return .returned }
        if submittedAt != nil { return .submitted }
        return today > round.deadline || round.lock == .locked ? .late : .pending
    }
}

/// The rules of a round in one place: who opens one, who manages it, who submits a member's return.
public enum RoundRule {
    /// Province and prefecture offices (and administrators) open rounds, for offices below them on their own side.
    public static func mayOpen(_ user: UserAccount) -> Bool {
        user.state == .active && [.admin, .provinceCoordinator, .prefectureOfficer].contains(user.role)
    }

    /// A member must lie inside the opener's scope, below its level, on its side.
    public static func mayInclude(_ user: UserAccount, region: Region) -> Bool {
        ReviewRule.mayReview(user, region: region)
    }

    /// The opening office (anyone of its reviewers) and the offices above it manage a round.
    public static func mayManage(_ user: UserAccount, round: ReportingRound) -> Bool {
        guard mayOpen(user) else { return false }
        return user.role == .admin || round.openerRegionCode.hasPrefix(user.scopePrefix)
    }

    /// A round is read by the offices that opened it or are in it, and by the offices above either.
    public static func mayRead(_ user: UserAccount, round: ReportingRound, members: [String]) -> Bool {
        guard user.state == .active else { return false }
        if user.role == .admin { return true }
        return ([round.openerRegionCode] + members).contains { $0.hasPrefix(user.scopePrefix) }
    }

    /// A member's return is submitted by a writer of that office's region (its own staff, or an office above it
    /// acting for it).
    public static func maySubmit(_ user: UserAccount, member regionCode: String) -> Bool {
        AccessRule.canWrite(user, regionCode: regionCode)
    }

    /// What an office may ask for: reported indicators only (the others are counted from ledgers, asked for by
    /// ledger).
    public static func askable(_ indicator: Indicator) -> Bool { indicator.source == .reported }

    public static let maxTitle = 100
    public static let maxNote = 1000
    public static let maxMembers = 400
}

/// A request to change a figure or a ledger row of a locked period: the new value (or the row's new values) and the
/// reason, decided by the level above.
public struct ChangeRequest: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable { case pending, approved, rejected }
    public var id: Int64
    public var roundId: Int64
    /// The figure asked about, or the ledger row (exactly one of the two).
    public var progressId: Int64?
    public var ledgerRowId: Int64?
    public var regionCode: String
    /// The figure's indicator, or the row's ledger.
    public var indicatorCode: String
    public var oldValue: Int64
    public var newValue: Int64
    /// A row's change in words: the fields that change (personal data by name only).
    public var summary: String
    public var reason: String
    public var state: State
    public var requestedBy: String?
    public var requestedAt: String
    public var decidedBy: String?
    public var decidedAt: String?
    public var decisionComment: String
    public init(
        id: Int64, roundId: Int64, progressId: Int64?, ledgerRowId: Int64? = nil, regionCode: String, indicatorCode: String, oldValue: Int64,
        newValue: Int64, summary: String = "", reason: String, state: State, requestedBy: String?, requestedAt: String,
        decidedBy: String? = nil, decidedAt: String? = nil, decisionComment: String = ""
    ) {
        self.id = id
        self.roundId = roundId
        self.progressId = progressId
        self.ledgerRowId = ledgerRowId
        self.regionCode = regionCode
        self.indicatorCode = indicatorCode
        self.oldValue = oldValue
        self.newValue = newValue
        self.summary = summary
        self.reason = reason
        self.state = state
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionComment = decisionComment
    }

    public static let maxReason = 500

    /// The level above the figure's region decides (the review rule), never the requester.
    public static func mayDecide(_ user: UserAccount, region: Region, requestedBy: String?) -> Bool {
        ReviewRule.mayApprove(user, region: region, authors: Authorship(createdBy: requestedBy))
    }
}
