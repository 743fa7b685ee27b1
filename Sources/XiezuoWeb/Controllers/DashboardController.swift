import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// The overview: the province agreement's completion by indicator and by prefecture, funding and meetings.
struct DashboardController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/", use: dashboard)
    }

    @Sendable func dashboard(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let year = try await request.yearQuery().asyncOr { try await pages.defaultYear() }
        let counted = Pages.counted(request)
        let a = context.access
        let o = try await Overview.build(
            store: pages.store, year: year, counted: counted, pairingIds: a.readablePairingIds,
            scope: a.scope)
        var data: [String: Any] = [
            "years": Pages.yearOptions(year), "year": year, "pending": counted == .includingPending,
            "noAgreement": l.t("no_agreement", String(year)),
        ]
        if let a = o.agreement, let c = o.completion {
            data["agreement"] = ["id": a.id, "title": a.title, "status": l.t("agreement_" + a.status.rawValue)]
            data["overall"] = Completion.percentText(c.overall)
            // A ledger-sourced figure links to the rows it is computed from: same region, year and review state.
            let west = o.pairing?.westCode ?? "520000"
            data["rows"] = zip(c.rows, Pages.completionRows(c, l)).map { r, row in
                var row = row
                if let (ledger, fields) = LedgerCatalogue.rows(of: r.indicator.code) {
                    var q = "region=\(west)&year=\(year)" + (counted == .approved ? "&state=approved" : "")
                    for (k, v) in fields.sorted(by: { $0.key < $1.key }) { q += "&f.\(k)=\(v)" }
                    row["rowsHref"] = "/ledgers/\(ledger.rawValue)?\(q)"
                }
                return row
            }
            data["indicatorChart"] = Pages.indicatorChart(c, l, title: l.t("by_indicator"))
            data["workAreas"] = Pages.workAreaRows(c, l)
            let pending = counted == .includingPending ? "&pending=1" : ""
            data["prefectureChart"] = BarChart(
                title: l.t("by_prefecture"),
                bars: o.prefectures.map {
                    .init(label: $0.region.name, basisPoints: $0.completion.overall, link: "/regions/\($0.region.code)?year=\(year)\(pending)")
                }
            ).svg()
            data["prefectures"] = o.prefectures.map { p in
                [
                    "code": p.region.code, "name": p.region.name, "agreementId": p.agreement.id,
                    "completion": Completion.percentText(p.completion.overall),
                ] as [String: Any]
            }
        }
        data["funding"] = [
            "budget": o.funding.budget.wanText, "committed": o.funding.committed.wanText,
            "disbursed": o.funding.disbursed.wanText, "spent": o.funding.spent.wanText,
        ]
        data["projectCount"] = o.projectCount
        data["meetings"] = o.meetings.map {
            [
                "title": $0.title, "date": $0.date.description, "place": $0.place,
                "kind": l.t("meeting_" + $0.kind.rawValue), "summary": $0.summary,
            ]
        }
        // Overdue follow-up tasks stand out: every one the reader can see, those of its own office first.
        let today = chinaToday()
        let regions = try await pages.regionIndex()
        let overdue = try await pages.store.tasks(TaskFilter(pairingIds: a.readablePairingIds, state: .overdue, today: today))
            .sorted {
                ($0.ownerRegionCode.hasPrefix(a.user.scopePrefix) ? 0 : 1, $0.deadline, $0.id) < (
                    $1.ownerRegionCode.hasPrefix(a.user.scopePrefix) ? 0 : 1, $1.deadline, $1.id
                )
            }
        data["overdueCount"] = overdue.count
        data["overdue"] = overdue.prefix(10).map { MeetingsController.taskRow($0, regions, l, today: today) }
        return try await pages.render("dashboard", title: l.t("dashboard_title"), section: "dashboard", request, context, data)
    }
}
