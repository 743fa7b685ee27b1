import XiezuoDomain
import XiezuoStore

/// Everything the progress report for a joint conference shows, gathered once so the HTML, PDF and XLSX forms show
/// the same figures. Only approved figures count. The data are as of `asOf` (task states depend on the date); nothing
/// else in the report depends on when it is made, so the same data give the same report.
public struct ConferenceReport: Sendable {
    public struct TaskLine: Sendable, Hashable {
        public var task: FollowUpTask
        public var state: TaskState
        public var meetingTitle: String
        public var ownerRegion: String
        public var lastUpdate: String
    }
    public struct LedgerLine: Sendable, Hashable {
        public var indicator: Indicator
        public var actual: Int64
    }

    public var lang: Language
    public var meeting: Meeting
    public var pairingLabel: String
    public var year: Int
    public var asOf: Day
    public var previous: Meeting?
    public var agreement: Agreement?
    public var completion: AgreementCompletion?
    public var prefectures: [Overview.PrefectureLine]
    public var funding: FundingSummary
    public var projectCount: Int
    public var keyProjects: [ProjectRow]
    public var ledgerTotals: [LedgerLine]
    public var tasks: [TaskLine]
    /// The county map, server-rendered SVG (nil: no boundaries for the pairing's western province, or no figures).
    public var countyMap: String?
    /// The early warnings of the meeting's pairing region as of the report's date (EarlyWarnings).
    public var warnings: [Warning] = []

    public static let keyProjectLimit = 20

    /// `scope` and `pairingIds` (nil: every pairing) are what the reader may see, as everywhere else.
    public static func build(
        store: Store, meetingId: Int64, asOf: Day, lang: Language, pairingIds: [Int64]? = nil,
        scope: RegionScope
    ) async throws -> ConferenceReport? {
        guard let meeting = try await store.meeting(id: meetingId) else { return nil }
        let pairings = try await store.pairings()
        guard let pairing = pairings.first(where: { $0.id == meeting.pairingId }) else { return nil }
        let regions = try await store.regionIndex()
        let year = meeting.date.year
        let overview = try await Overview.build(
            store: store, year: year, counted: .approved, pairingIds: pairingIds,
            scope: scope)
        // The meeting's own pairing decides which agreement is reported.
        let agreement = try await store.agreements(year: year, pairingId: pairing.id).first
        var completion: AgreementCompletion?
        if let agreement { completion = try await Overview.completion(of: agreement.id, store: store, counted: .approved) }
        let westPrefix = Region.scopePrefix(code: pairing.westCode, level: ProjectDraft.levelOf(pairing.westCode))
        let prefectures = overview.prefectures.filter { $0.region.code.hasPrefix(westPrefix) }

        let actuals = try await store.actuals(year: year, regionCode: pairing.westCode, counted: .approved)
        let ledger = IndicatorCatalogue.all.filter { $0.source != .reported }.map { LedgerLine(indicator: $0, actual: actuals[$0.code] ?? 0) }

        // Tasks since the previous joint conference of the same pairing: from meetings after it, up to this one.
        let meetings = try await store.meetings(pairingId: pairing.id)
        let previous = meetings.filter { $0.kind == .jointConference && ($0.date, $0.id) < (meeting.date, meeting.id) }
            .max { ($0.date, $0.id) < ($1.date, $1.id) }
        let window = meetings.filter { m in
            (previous.map { ($0.date, $0.id) < (m.date, m.id) } ?? true) && (m.date, m.id) <= (meeting.date, meeting.id)
        }
        let titles = Dictionary(uniqueKeysWithValues: window.map { ($0.id, $0.title) })
        var tasks: [TaskLine] = []
        for t in try await store.tasks(TaskFilter(meetingIds: window.map(\.id), today: asOf)) {
            let updates = try await store.taskUpdates(taskId: t.id).filter { $0.date <= asOf }
            tasks.append(
                TaskLine(
                    task: t, state: t.state(on: asOf), meetingTitle: titles[t.meetingId] ?? "",
                    ownerRegion: regions[t.ownerRegionCode]?.name ?? t.ownerRegionCode,
                    lastUpdate: updates.last.map { "\($0.date) \($0.text)" } ?? ""))
        }

        // The county map of the first indicator of the agreement the counties have figures for (no links: the report
        // is read printed or archived).
        let mapIndicator = (completion?.rows.map(\.indicator) ?? IndicatorCatalogue.all).first { (actuals[$0.code] ?? 0) > 0 }
        var countyMap: String?
        if let mapIndicator {
            countyMap = try await CountyMap.build(
                store: store, lang: lang, province: String(pairing.westCode.prefix(2)) + "0000", year: year, indicator: mapIndicator,
                measure: nil, counted: .approved, scope: scope, pairingIds: pairingIds, countyLink: { _ in nil })?.svg()
        }

        let warnings = try await EarlyWarnings.build(
            store: store, year: year, today: asOf, scope: scope, pairingIds: pairingIds, lang: lang, projectLimit: 50
        ).items
            .filter { $0.regionCode.hasPrefix(westPrefix) && ($0.kind != .indicatorBehind || $0.agreementId == agreement?.id) }

        var filter = ProjectFilter(regionCode: pairing.westCode, scope: scope)
        if pairing.level != .province { filter.pairingId = pairing.id }
        let east = pairing.eastParty ?? regions[pairing.eastCode]?.name ?? pairing.eastCode
        let west = pairing.westParty ?? regions[pairing.westCode]?.name ?? pairing.westCode
        return ConferenceReport(
            lang: lang, meeting: meeting, pairingLabel: "\(east) — \(west)", year: year, asOf: asOf, previous: previous,
            agreement: agreement, completion: completion, prefectures: prefectures,
            funding: try await store.fundingTotals(regionCode: pairing.westCode, scope: scope),
            projectCount: try await store.projectCount(regionCode: pairing.westCode, scope: scope),
            keyProjects: try await store.keyProjects(filter, limit: keyProjectLimit), ledgerTotals: ledger, tasks: tasks,
            countyMap: countyMap, warnings: warnings)
    }

    func t(_ key: String, _ params: [String] = []) -> String { Strings.text(key, lang, params) }
}
