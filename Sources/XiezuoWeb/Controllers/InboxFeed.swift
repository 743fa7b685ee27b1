import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// What waits for a user now, as inbox items: figures and ledger rows of the user's scope sent back, the office's
/// follow-up tasks due within a week or overdue, red warnings of the user's scope, and what waits for the user's
/// review. Each item has a key that stays the same while it is the same news, so "read" sticks to it.
struct InboxItem: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case returned, task, warning, review, round, change
    }
    let key: String
    let kind: Kind
    let title: String
    let detail: String
    let link: String
}

enum InboxFeed {
    /// Days before a deadline from which a task is news.
    static let taskHorizonDays = 7

    static func items(_ context: SignedInContext, pages: Pages, lang: Language) async throws -> [InboxItem] {
        let l = Labels(lang: lang)
        let a = context.access
        let user = a.user
        let store = pages.store
        let regions = try await pages.regionIndex()
        let today = context.today
        let own = RegionScope.within([user.scopePrefix])
        var out: [InboxItem] = []

        if AccessRule.writesData(user) {
            for p in try await store.progress(ProgressFilter(state: .returned, scope: own), page: Page(number: 1, size: 50)).items {
                let row = ProgressController.row(p, regions, l)
                let version = try await store.progressVersion(id: p.id) ?? 0
                out.append(
                    InboxItem(
                        key: "returned:progress:\(p.id):\(version)", kind: .returned, title: l.t("inbox_returned", row.indicator),
                        detail: "\(row.region) · \(row.period) · \(try await store.reviewComment(id: p.id))", link: "/progress/\(p.id)"))
            }
            for ledger in LedgerName.allCases {
                for r in try await store.ledgerRows(ledger, LedgerFilter(state: .returned, scope: own), page: Page(number: 1, size: 20)).items {
                    let item = WorkbenchController.ledgerItem(r, regions, l)
                    out.append(
                        InboxItem(
                            key: "returned:ledger:\(r.id):\(r.version)", kind: .returned, title: l.t("inbox_returned", item.title),
                            detail: item.detail + (r.reviewComment.isEmpty ? "" : " · " + r.reviewComment), link: item.href))
                }
            }
        }
        for t in try await store.tasks(TaskFilter(ownerPrefixes: [user.scopePrefix], today: today)) {
            let state = t.state(on: today)
            let left = today.days(until: t.deadline)
            guard state != .done, left <= taskHorizonDays else { continue }
            out.append(
                InboxItem(
                    key: "task:\(t.id):\(state == .overdue ? "overdue" : "due")", kind: .task, title: t.title,
                    detail: "\(t.ownerOffice) · \(t.deadline) · " + (left >= 0 ? l.t("days_left", String(left)) : l.t("days_overdue", String(-left))),
                    link: "/tasks/\(t.id)"))
        }
        let year = try await defaultYear(store, today: today)
        for w in try await EarlyWarnings.build(
            store: store, year: year, today: today, scope: a.scope, pairingIds: a.readablePairingIds, lang: lang, projectLimit: 20
        ).items
        where w.level == .red && w.kind != .taskOverdue {
            out.append(
                InboxItem(
                    key: "warning:\(w.kind.rawValue):\(w.regionCode):\(w.subject):\(year)", kind: .warning,
                    title: l.t("inbox_warning", w.title),
                    detail: (regions[w.regionCode]?.name ?? w.regionCode) + " · " + EarlyWarnings.detail(w, lang: lang),
                    link: w.link))
        }
        // The rounds that ask something of the user's own office: each is news while it is not in, again when it is
        // sent back, and every reminder is news of its own.
        if AccessRule.writesData(user) {
            for (round, m) in try await store.roundsAsking(regionCodes: [user.regionCode]) {
                let status = m.status(in: round, today: today)
                if status != .submitted {
                    out.append(
                        InboxItem(
                            key: "round:\(round.id):\(status.rawValue)", kind: .round, title: l.t("inbox_round", round.title),
                            detail: "\(round.period) · \(l.t("round_deadline")) \(round.deadline) · \(l.t("round_status_" + status.rawValue))",
                            link: "/rounds/\(round.id)"))
                }
                if m.reminders > 0 && m.submittedAt == nil {
                    out.append(
                        InboxItem(
                            key: "round:\(round.id):reminder:\(m.reminders)", kind: .round, title: l.t("inbox_round_reminded", round.title),
                            detail: "\(l.t("round_deadline")) \(round.deadline) · \(m.remindedAt.map(ReviewController.beijing) ?? "")",
                            link: "/rounds/\(round.id)"))
                }
            }
        }
        if ReviewRule.isReviewer(user) {
            for c in try await store.changeRequests(within: user.role == .admin ? nil : [user.scopePrefix], state: .pending, limit: 50) {
                guard let region = regions[c.regionCode], ChangeRequest.mayDecide(user, region: region, requestedBy: c.requestedBy) else { continue }
                out.append(
                    InboxItem(
                        key: "change:\(c.id)", kind: .change,
                        title: l.t("inbox_change", IndicatorCatalogue.byCode[c.indicatorCode]?.name(lang) ?? c.indicatorCode),
                        detail: "\(region.name) · \(c.requestedBy ?? "") · \(c.reason)", link: "/changes"))
            }
        }
        if ReviewRule.isReviewer(user) {
            var waiting = try await store.progress(a.figuresToReview, page: Page(number: 1, size: 1)).total
            for (_, counts) in try await store.ledgerCounts(scope: a.ownScope) { waiting += counts.pending }
            if waiting > 0 {
                out.append(
                    InboxItem(
                        key: "review:\(today):\(waiting)", kind: .review, title: l.t("inbox_review", String(waiting)), detail: "", link: "/review"))
            }
        }
        return out
    }
}
