import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// 我的工作台: where each user lands after signing in — what is theirs to do now, in their own scope. A reporter sees
/// what came back to it, what is not yet reported for the last closed month and its office's tasks; a reviewer what
/// awaits its review; a coordinator overdue tasks and lagging indicators. The province overview is one click away.
struct WorkbenchController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/workbench", use: workbench)
    }

    @Sendable func workbench(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let user = a.user
        let store = pages.store
        let regions = try await pages.regionIndex()
        let today = context.today
        let own = RegionScope.within([user.scopePrefix])
        let writes = AccessRule.writesData(user)
        let reviewing = ReviewRule.isReviewer(user)

        // Figures and ledger rows of the user's own scope in one state, for a to-do list.
        func items(_ state: ProgressState) async throws -> [WorkbenchPage.Item] {
            guard writes else { return [] }
            let figures = try await store.progress(ProgressFilter(state: state, scope: own), page: Page(number: 1, size: 20)).items
            var out: [WorkbenchPage.Item] = figures.map { p in
                let row = ProgressController.row(p, regions, l)
                return .init(
                    href: "/progress/\(p.id)", title: row.indicator, detail: "\(row.region) · \(row.period) · \(row.value) \(row.unit)",
                    kind: l.t("nav_progress"))
            }
            for ledger in LedgerName.allCases {
                let rows = try await store.ledgerRows(ledger, LedgerFilter(state: state, scope: own), page: Page(number: 1, size: 10)).items
                out += rows.map { Self.ledgerItem($0, regions, l) }
            }
            return out
        }
        // What came back, and what was started and not sent (so that nothing saved is forgotten).
        let returned = try await items(.returned)
        let drafts = try await items(.draft)

        // Not yet reported: indicators reported by hand that have no figure for the user's own region and the last
        // closed month.
        var missing: [WorkbenchPage.Item] = []
        let (year, month) = today.previousMonth
        if writes, user.role != .admin {
            let reported = Set(
                try await store.progress(ProgressFilter(regionCode: user.regionCode, year: year, scope: own), page: Page(number: 1, size: 100))
                    .items.filter { $0.month == month }.map(\.indicatorCode))
            missing = IndicatorCatalogue.all.filter { $0.source == .reported && !reported.contains($0.code) }.map { i in
                .init(
                    href: "/progress?new_indicator=\(i.code)&new_region=\(user.regionCode)&new_year=\(year)&new_month=\(month)#progress-form",
                    title: i.name(l.lang),
                    detail: l.unit(i.unit), kind: "")
            }
        }

        // The office's tasks, soonest deadline first, with the days left.
        let tasks = try await store.tasks(TaskFilter(ownerPrefixes: [user.scopePrefix], today: today))
            .filter { $0.state(on: today) != .done }
            .sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            .prefix(20)
            .map { t in
                let left = today.days(until: t.deadline)
                return WorkbenchPage.TaskItem(
                    id: t.id, title: t.title, office: t.ownerOffice, deadline: t.deadline.description,
                    daysLeft: left >= 0 ? l.t("days_left", String(left)) : l.t("days_overdue", String(-left)), overdue: left < 0)
            }

        // Awaiting review: figures and each ledger's rows, counted.
        var awaiting: [WorkbenchPage.Count] = []
        if reviewing {
            let figures = try await store.progress(a.figuresToReview, page: Page(number: 1, size: 1)).total
            if figures > 0 { awaiting.append(.init(href: "/review", label: l.t("nav_progress"), count: figures)) }
            for (ledger, counts) in try await store.ledgerCounts(scope: a.ownScope).sorted(by: { $0.key.rawValue < $1.key.rawValue })
            where counts.pending > 0 {
                awaiting.append(.init(href: "/ledgers/\(ledger.rawValue)?state=submitted", label: ledger.title(l.lang), count: counts.pending))
            }
        }

        // A coordinator's view: the indicators of its pairing's agreement that lag (under 60 % of the target).
        var lagging: [WorkbenchPage.Item] = []
        if user.role == .provinceCoordinator || user.role == .admin || user.role == .prefectureOfficer {
            let o = try await Overview.build(
                store: store, year: try await defaultYear(store, today: today), counted: .approved, pairingIds: a.readablePairingIds, scope: a.scope)
            lagging = (o.completion?.rows ?? []).filter { ($0.basisPoints ?? 0) < 6_000 }.map { r in
                .init(
                    href: "/?year=\(o.year)", title: r.indicator.name(l.lang),
                    detail:
                        "\(r.indicator.format(r.actual)) / \(r.indicator.format(r.target)) \(l.unit(r.indicator.unit)) · \(Completion.percentText(r.basisPoints))",
                    kind: "")
            }
        }

        // Where a reporting office starts: a figure, or a row of any ledger.
        let newLinks: [WorkbenchPage.Count] =
            writes && user.role != .admin
            ? [.init(href: "/progress#progress-form", label: l.t("workbench_new_figure"), count: 0)]
                + LedgerName.allCases.map { .init(href: "/ledgers/\($0.rawValue)/new", label: $0.title(l.lang), count: 0) } : []
        let scope = regions[user.regionCode].map { UsersController.fullName($0, regions) } ?? user.regionCode
        let model = WorkbenchPage(
            scope: l.t("workbench_scope", scope, l.t("role_" + user.role.rawValue)), period: l.t("period_month", String(year), String(month)),
            returned: returned, hasReturned: !returned.isEmpty, drafts: drafts, hasDrafts: !drafts.isEmpty,
            newLinks: newLinks, hasNewLinks: !newLinks.isEmpty, missing: missing, hasMissing: !missing.isEmpty,
            showMissing: writes && user.role != .admin,
            tasks: Array(tasks), hasTasks: !tasks.isEmpty, awaiting: awaiting, hasAwaiting: !awaiting.isEmpty, reviewing: reviewing,
            awaitingTotal: awaiting.reduce(0) { $0 + $1.count }, lagging: lagging, hasLagging: !lagging.isEmpty, writes: writes)
        return try await pages.render("workbench", title: l.t("nav_workbench"), section: "workbench", request, context, model)
    }

    /// A ledger row in a to-do list: its first listed fields, county and date.
    static func ledgerItem(_ r: LedgerRecord, _ regions: [String: Region], _ l: Labels) -> WorkbenchPage.Item {
        let d = r.ledger.definition
        // Personal data never reach a list; the listed fields are names and amounts.
        let summary = d.listed.prefix(2).compactMap { key in d.index(key).flatMap { d.fields[$0].kind.isPersonal ? nil : r.values[$0] } }
            .filter { !$0.isEmpty }
        return .init(
            href: "/ledgers/\(r.ledger.rawValue)/\(r.id)", title: r.ledger.title(l.lang),
            detail: (summary + [regions[r.countyCode]?.name ?? r.countyCode, r.date]).joined(separator: " · "), kind: l.t("nav_ledgers"))
    }
}
