import XiezuoDomain
import XiezuoStore

/// The early warnings a reader may see: each readable agreement's indicators behind pace in its western region for
/// the year asked, and — as of today, whatever the year — projects past their planned end or without a disbursement
/// for months, and overdue follow-up tasks owned inside the reader's scope. The rules are `WarningRules` and `Pace`; this only gathers their inputs
/// in a handful of reads (no statement per agreement or project).
public enum EarlyWarnings {
    /// The warnings of a reader: every indicator and task warning, the first `projectLimit` project warnings (red
    /// first), and the counts of all.
    public struct List: Sendable {
        public var items: [Warning]
        public var red: Int
        public var amber: Int
        /// Project warnings counted but not in `items`.
        public var projectsNotListed: Int
    }

    public static func build(
        store: Store, year: Int, today: Day, scope: RegionScope, pairingIds: [Int64]?, lang: Language, projectLimit: Int = 200
    ) async throws -> List {
        var out: [Warning] = []
        let pairings = Dictionary(uniqueKeysWithValues: try await store.pairings().map { ($0.id, $0) })
        let agreements = try await store.agreements(year: year, pairingIds: pairingIds).filter { a in
            pairings[a.pairingId].map { scope.contains($0.westCode) } ?? false
        }
        if !agreements.isEmpty {
            let targets = try await store.targetsByAgreement(year: year)
            let prefixes = Set(agreements.compactMap { a in pairings[a.pairingId].map { Self.prefix($0.westCode) } })
            let outer = prefixes.filter { p in !prefixes.contains { $0 != p && p.hasPrefix($0) } }.sorted()
            let totals = try await store.approvedTotals(year: year, within: outer)
            let lastMonths = try await store.lastMonths(year: year)
            let profiles = try await store.paceProfiles(agreementIds: agreements.map(\.id))
            let months = Pace.monthsElapsed(year: year, today: today)
            for a in agreements {
                guard let p = pairings[a.pairingId] else { continue }
                let prefix = Self.prefix(p.westCode)
                var actual: [String: Int64] = [:]
                for t in totals where t.region.hasPrefix(prefix) { actual[t.indicator, default: 0] += t.total }
                var last: [String: Int] = [:]
                for m in lastMonths where m.region.hasPrefix(prefix) { last[m.indicator] = max(last[m.indicator] ?? 0, m.month) }
                var target: [String: Int64] = [:]
                for item in targets[a.id] ?? [] { target[item.target.indicatorCode, default: 0] += item.target.value }
                for code in target.keys.sorted() {
                    guard let indicator = IndicatorCatalogue.byCode[code], let value = target[code] else { continue }
                    if let w = WarningRules.indicator(
                        code: code, title: indicator.name(lang), regionCode: p.westCode, agreementId: a.id, actual: actual[code] ?? 0,
                        target: value, months: months, profile: profiles[a.id]?[code], monthsWithFigures: last[code] ?? months,
                        higherIsBetter: indicator.higherIsBetter)
                    {
                        out.append(w)
                    }
                }
            }
        }
        let projects = try await store.projectsForWarnings(scope: scope, today: today, limit: projectLimit)
        for p in projects.first {
            if let w = WarningRules.project(
                id: p.id, title: p.title, countyCode: p.countyCode, status: p.status, plannedStart: p.plannedStart, plannedEnd: p.plannedEnd,
                lastDisbursed: p.lastDisbursed, today: today)
            {
                out.append(w)
            }
        }
        // Tasks of the pairings the reader reads, owned by an office inside the reader's scope.
        for t in try await store.tasks(TaskFilter(pairingIds: pairingIds, ownerPrefixes: scope.prefixes, state: .overdue, today: today)) {
            if let w = WarningRules.task(id: t.id, title: t.title, regionCode: t.ownerRegionCode, deadline: t.deadline, done: false, today: today) {
                out.append(w)
            }
        }
        // Returns of the year's reporting rounds not in by their deadline, of offices inside the reader's scope.
        for summary in try await store.rounds(within: scope.prefixes) where summary.round.year == year {
            for m in try await store.roundMembers(summary.round) where scope.contains(m.regionCode) {
                if let w = WarningRules.roundLate(round: summary.round, member: m, today: today) { out.append(w) }
            }
        }
        let listed = out.filter { $0.kind == .projectStalled || $0.kind == .projectOverdue }
        let others = out.filter { $0.kind != .projectStalled && $0.kind != .projectOverdue }
        return List(
            items: WarningRules.sorted(out), red: others.filter { $0.level == .red }.count + projects.red,
            amber: others.filter { $0.level == .amber }.count + projects.amber,
            projectsNotListed: projects.red + projects.amber - listed.count)
    }

    /// How a warning reads in a list, a sheet or the report: its figures, or the date that makes it late.
    public static func detail(_ w: Warning, lang: Language) -> String {
        func t(_ key: String, _ params: [String]) -> String { Strings.text(key, lang, params) }
        switch w.kind {
        case .indicatorBehind:
            guard let indicator = IndicatorCatalogue.byCode[w.subject], let target = w.target else { return "" }
            return t(
                "warning_indicator_detail",
                [
                    Completion.percentText(Completion.basisPoints(actual: w.actual ?? 0, target: target)),
                    Completion.percentText(Completion.basisPoints(actual: w.expected ?? 0, target: target)),
                    w.projected.map { Completion.percentText(Completion.basisPoints(actual: $0, target: target)) } ?? "—",
                    indicator.format(w.actual ?? 0), indicator.format(target), Strings.text("unit_" + indicator.unit.rawValue, lang),
                ])
        case .projectStalled: return t("warning_stalled_detail", [w.since?.description ?? "—"])
        case .projectOverdue: return t("warning_project_overdue_detail", [w.since?.description ?? "—"])
        case .taskOverdue: return t("warning_task_overdue_detail", [w.since?.description ?? "—"])
        case .roundLate: return t("warning_round_late_detail", [w.since?.description ?? "—"])
        }
    }

    static func prefix(_ code: String) -> String { Region.scopePrefix(code: code, level: ProjectDraft.levelOf(code)) }
}
