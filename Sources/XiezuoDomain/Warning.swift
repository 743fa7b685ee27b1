/// An early warning (监测预警): something behind where it should be by now, with the level of concern, the region it
/// is about and what it links to. Made by `WarningRules` in one place for every page, report, export and API answer.
public struct Warning: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An agreement's indicator behind its expected pace in the agreement's western region.
        case indicatorBehind = "indicator_behind"
        /// A project under way with no disbursement for `WarningRules.stalledMonths` months.
        case projectStalled = "project_stalled"
        /// A project not completed by its planned end.
        case projectOverdue = "project_overdue"
        /// A follow-up task of a meeting past its deadline.
        case taskOverdue = "task_overdue"
        /// An office that has not submitted its return of a reporting round past the round's deadline (逾期未报).
        case roundLate = "round_late"
    }

    public var level: PaceLevel
    public var kind: Kind
    public var regionCode: String
    /// What it is about: the indicator's code, the project's or the task's id.
    public var subject: String
    /// The indicator's, project's or task's name.
    public var title: String
    /// Indicator warnings: the actual, what was due by now and the year-end projection (in the indicator's unit).
    public var actual: Int64?
    public var expected: Int64?
    public var target: Int64?
    public var projected: Int64?
    /// Project and task warnings: the date that makes it late (the last disbursement, the planned end, the deadline).
    public var since: Day?
    /// The agreement an indicator warning belongs to.
    public var agreementId: Int64?

    public init(
        level: PaceLevel, kind: Kind, regionCode: String, subject: String, title: String, actual: Int64? = nil, expected: Int64? = nil,
        target: Int64? = nil, projected: Int64? = nil, since: Day? = nil, agreementId: Int64? = nil
    ) {
        self.level = level
        self.kind = kind
        self.regionCode = regionCode
        self.subject = subject
        self.title = title
        self.actual = actual
        self.expected = expected
        self.target = target
        self.projected = projected
        self.since = since
        self.agreementId = agreementId
    }

    /// Where a reader goes to act on it.
    public var link: String {
        switch kind {
        case .indicatorBehind: return agreementId.map { "/agreements/\($0)" } ?? "/progress?indicator=\(subject)&region=\(regionCode)"
        case .projectStalled, .projectOverdue: return "/projects/\(subject)"
        case .taskOverdue: return "/tasks/\(subject)"
        case .roundLate: return "/rounds/\(subject.split(separator: ":").first ?? "")"
        }
    }
}

/// The published rules of the early warnings.
public enum WarningRules {
    /// A project under way with no disbursement for this many months is flagged amber (red at twice as long).
    public static let stalledMonths = 3
    /// A follow-up task this many days past its deadline is red; less, amber.
    public static let taskRedAfterDays = 30

    /// An indicator of an agreement: behind pace (Pace's thresholds, the office's monthly profile or an even pace).
    public static func indicator(
        code: String, title: String, regionCode: String, agreementId: Int64, actual: Int64, target: Int64, months: Int,
        profile: PaceProfile?, monthsWithFigures: Int, higherIsBetter: Bool
    ) -> Warning? {
        guard higherIsBetter, let level = Pace.level(actual: actual, target: target, months: months, profile: profile) else { return nil }
        return Warning(
            level: level, kind: .indicatorBehind, regionCode: regionCode, subject: code, title: title, actual: actual,
            expected: Pace.expected(target: target, months: months, profile: profile), target: target,
            projected: Pace.projection(actual: actual, monthsWithFigures: monthsWithFigures), agreementId: agreementId)
    }

    /// The dates behind the project rule on `today`, for a database to pick out the projects it flags before they
    /// are read (the rule itself is `project`): a last disbursement (or start) on or before `amberBy` is amber,
    /// on or before `redBy` red; a planned end before `today` is red.
    public static func projectCutoffs(today: Day) -> (amberBy: Day, redBy: Day) {
        (today.minus(months: stalledMonths), today.minus(months: 2 * stalledMonths))
    }

    /// A project not completed: past its planned end (red), or under way without a disbursement for a while.
    /// `lastDisbursed` nil: none yet, counted from the planned start.
    public static func project(
        id: Int64, title: String, countyCode: String, status: ProjectStatus, plannedStart: Day?, plannedEnd: Day?, lastDisbursed: Day?,
        today: Day
    ) -> Warning? {
        guard status == .planned || status == .ongoing else { return nil }
        if let end = plannedEnd, end < today {
            return Warning(level: .red, kind: .projectOverdue, regionCode: countyCode, subject: String(id), title: title, since: end)
        }
        guard status == .ongoing, let from = lastDisbursed ?? plannedStart else { return nil }
        let months = from.months(until: today)
        guard months >= stalledMonths else { return nil }
        return Warning(
            level: months >= 2 * stalledMonths ? .red : .amber, kind: .projectStalled, regionCode: countyCode, subject: String(id),
            title: title, since: from)
    }

    /// A follow-up task past its deadline.
    public static func task(id: Int64, title: String, regionCode: String, deadline: Day, done: Bool, today: Day) -> Warning? {
        guard !done, deadline < today else { return nil }
        let late = deadline.days(until: today)
        return Warning(
            level: late >= taskRedAfterDays ? .red : .amber, kind: .taskOverdue, regionCode: regionCode, subject: String(id), title: title,
            since: deadline)
    }

    /// A round's return not in past its deadline: amber, red from this many days late.
    public static let roundRedAfterDays = 7

    /// An office's return of a round not submitted by the deadline (or when the round was closed early).
    public static func roundLate(round: ReportingRound, member: RoundMember, today: Day) -> Warning? {
        guard member.status(in: round, today: today) == .late else { return nil }
        let late = max(0, round.deadline.days(until: today))
        return Warning(
            level: late >= roundRedAfterDays ? .red : .amber, kind: .roundLate, regionCode: member.regionCode,
            subject: "\(round.id):\(member.regionCode)", title: round.title, since: round.deadline)
    }

    /// Red first, then amber; within a level indicators, projects, tasks; then by region and subject.
    public static func sorted(_ ws: [Warning]) -> [Warning] {
        let kinds = Dictionary(uniqueKeysWithValues: Warning.Kind.allCases.enumerated().map { ($1, $0) })
        return ws.sorted {
            ($0.level == .red ? 0 : 1, kinds[$0.kind]!, $0.regionCode, $0.subject) < (
                $1.level == .red ? 0 : 1, kinds[$1.kind]!, $1.regionCode, $1.subject
            )
        }
    }
}
