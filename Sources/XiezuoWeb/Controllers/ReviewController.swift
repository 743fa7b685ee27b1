import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// One review queue for figures and ledger rows: each with its unit, who submitted it and when, last month's value
/// and the year's target, approved or returned from the queue itself (a return needs its comment, and a missing one
/// is said beside the row with what was typed kept); "approve and next" walks the queue from an item's own page.
struct ReviewController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/review", use: queue)
        router.get("/review/next", use: next)
    }

    /// A comment refused on one row of the queue, shown there.
    struct RowProblem {
        let href: String
        let message: String
        let comment: String
    }

    static let shown = 50

    /// The queue's first `limit` figures and rows (each list oldest first).
    func load(_ context: SignedInContext, limit: Int = shown) async throws -> ReviewQueue {
        let a = context.access
        return try await pages.store.reviewQueue(
            scope: a.ownScope, reviewer: a.user.username, otherThanRegion: a.user.role == .admin ? nil : a.user.regionCode,
            ledgers: ReviewRule.approvesLedgerRows(a.user), limit: limit)
    }

    @Sendable func queue(_ request: Request, context: SignedInContext) async throws -> Response {
        try await page(request, context, problem: nil)
    }

    /// The first item still waiting (after an "approve and next"), or the queue when none is left.
    @Sendable func next(_ request: Request, context: SignedInContext) async throws -> Response {
        guard ReviewRule.isReviewer(context.user) else { return Response.redirect(to: "/review", type: .normal) }
        let q = try await load(context)
        let regions = try await pages.regionIndex()
        let first =
            q.figures.first { f in regions[f.report.regionCode].map { ReviewRule.mayReview(context.user, region: $0) } ?? false }
            .map { "/progress/\($0.report.id)" }
            ?? q.rows.first { r in regions[r.record.countyCode].map { ReviewRule.mayReview(context.user, region: $0) } ?? false }
            .map { "/ledgers/\($0.record.ledger.rawValue)/\($0.record.id)" }
        return Response.redirect(to: first ?? "/review?done=1", type: .normal)
    }

    func page(_ request: Request, _ context: SignedInContext, problem: RowProblem?) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let regions = try await pages.regionIndex()
        guard ReviewRule.isReviewer(a.user) else {
            // A reporter's view: its own figures that came back.
            let f = ProgressFilter(state: .returned, scope: .within([a.user.scopePrefix]))
            let result = try await pages.store.progress(f, page: Page(number: 1, size: Self.shown))
            return try await pages.render(
                "review", title: l.t("nav_review"), section: "review", request, context,
                ReviewQueuePage(
                    reviewing: false, returned: result.items.map { ProgressController.row($0, regions, l) }, items: [], figureTotal: 0, rowTotal: 0,
                    done: nil, prev: nil, next: nil, pageInfo: ""),
                status: .ok)
        }
        // One page of the two lists merged, oldest first: enough of each is read to fill it.
        let lq = try ListQuery(request, defaultSize: Self.shown)
        let page = lq.page
        var q = try await load(context, limit: page.offset + page.size)
        let merged =
            (q.figures.map { (at: $0.updatedAt, figure: Optional($0), row: QueuedLedgerRow?.none) }
            + q.rows.map { (at: $0.record.updatedAt, figure: QueuedFigure?.none, row: Optional($0)) })
            .sorted { $0.at < $1.at }.dropFirst(page.offset).prefix(page.size)
        q.figures = merged.compactMap(\.figure)
        q.rows = merged.compactMap(\.row)
        let total = q.figureTotal + q.rowTotal
        let pager = lq.links(pageCount: max(1, (total + page.size - 1) / page.size), total: total)
        let people = Dictionary(try await pages.store.users().map { ($0.username, $0.fullName) }, uniquingKeysWith: { a, _ in a })
        func who(_ name: String?) -> String {
            guard let name else { return "" }
            return people[name].flatMap { $0.isEmpty ? nil : "\($0)（\(name)）" } ?? name
        }
        let targets = try await TargetLookup(store: pages.store, years: Set(q.figures.map(\.report.year)), regions: regions)
        var items: [ReviewQueuePage.Item] = []
        for f in q.figures {
            let p = f.report
            guard let region = regions[p.regionCode], ReviewRule.mayReview(a.user, region: region) else { continue }
            let ind = IndicatorCatalogue.byCode[p.indicatorCode]
            let href = "/progress/\(p.id)"
            let previous = try await pages.store.previousFigure(of: p)
            func shown(_ v: Int64) -> String { ind?.format(v) ?? String(v) }
            let target = targets.target(p.indicatorCode, region: p.regionCode, year: p.year)
            let rowProblem = problem?.href == href ? problem : nil
            let item = ReviewQueuePage.Item(
                kind: l.t("nav_progress"), kindCode: "figure", href: href, title: ind?.name(l.lang) ?? p.indicatorCode, region: region.name,
                period: ProgressController.period(p), value: shown(p.value), unit: ind.map { l.unit($0.unit) } ?? "",
                previous: previous.map { shown($0.value) } ?? "—", target: target.map(shown) ?? "—", submitter: who(f.submittedBy),
                submitted: Self.beijing(f.updatedAt), approve: href + "/approve?from=queue", giveBack: href + "/return?from=queue",
                problem: rowProblem?.message, comment: rowProblem?.comment ?? "")
            items.append(item)
        }
        for r in q.rows {
            let rec = r.record
            guard let region = regions[rec.countyCode], ReviewRule.mayReview(a.user, region: region) else { continue }
            let d = rec.ledger.definition
            let href = "/ledgers/\(rec.ledger.rawValue)/\(rec.id)"
            let summary = d.listed.filter { $0 != d.countyField && $0 != d.dateField }.prefix(2).compactMap { key -> String? in
                guard let i = d.index(key), !rec.values[i].isEmpty else { return nil }
                return LedgersController.show(rec.values[i], d.fields[i], regions, l, reveal: false)
            }
            let amount = Self.moneyField(d)
            let value = amount.map { rec.values[$0].isEmpty ? "" : LedgersController.show(rec.values[$0], d.fields[$0], regions, l, reveal: false) }
            let unit = amount.flatMap { Self.unitLabel(d.fields[$0].kind, l) }
            let rowProblem = problem?.href == href ? problem : nil
            items.append(
                .init(
                    kind: rec.ledger.title(l.lang), kindCode: "ledger", href: href, title: summary.joined(separator: " · "), region: region.name,
                    period: rec.date, value: value ?? "", unit: unit ?? "", previous: "—", target: "—", submitter: who(r.submittedBy),
                    submitted: Self.beijing(rec.updatedAt), approve: href + "/approve?from=queue", giveBack: href + "/return?from=queue",
                    problem: rowProblem?.message, comment: rowProblem?.comment ?? ""))
        }
        let model = ReviewQueuePage(
            reviewing: true, returned: [], items: items, figureTotal: q.figureTotal, rowTotal: q.rowTotal,
            done: request.query("done") == "1" ? l.t("review_all_done") : nil, prev: pager.previous, next: pager.next, pageInfo: pager.info(l))
        return try await pages.render(
            "review", title: l.t("nav_review"), section: "review", request, context, model, status: problem == nil ? .ok : .unprocessableContent)
    }

    /// A ledger's amount column, if it has one (what the queue shows as the row's value).
    static func moneyField(_ d: LedgerDefinition) -> Int? {
        d.fields.indices.first { i in
            if case .money = d.fields[i].kind { return true }
            return false
        }
    }

    static func unitLabel(_ kind: LedgerFieldKind, _ l: Labels) -> String? {
        guard case .money(let u) = kind else { return nil }
        return l.t(u == .wan ? "wan_yuan" : "yuan")
    }

    /// A return's comment: required, at most 1,000 characters; the refusal keeps what was typed.
    static func comment(_ request: Request, _ context: SignedInContext) async throws -> Result<String, ReturnRefused> {
        let form = try await decodeForm(request, context)
        var v = Validator()
        let comment = v.text("comment", form["comment"], max: 1000)
        guard let issue = v.issues.first else { return .success(comment) }
        return .failure(ReturnRefused(message: issue.message(context.language), typed: form["comment"] ?? ""))
    }

    struct ReturnRefused: Error {
        let message: String
        let typed: String
    }

    /// A return without its comment: the queue again with the reason beside that row (from the queue), or the item's
    /// page with the reason beside its form.
    func refusedReturn(_ request: Request, _ context: SignedInContext, item: String, _ refused: ReturnRefused) async throws -> Response {
        if request.query("from") == "queue" {
            return try await page(request, context, problem: RowProblem(href: item, message: refused.message, comment: refused.typed))
        }
        return Response.redirect(to: item + "?return=missing#return-form", type: .normal)
    }

    /// A stored time (ISO 8601, UTC) as Beijing time to the minute.
    static func beijing(_ iso: String) -> String {
        (try? Date(iso, strategy: .iso8601)).map(BeijingTime.minute) ?? iso
    }

    /// After a review action from the queue: back to it; from the item's page, the item (or the next one).
    static func afterReview(_ request: Request, item: String) -> Response {
        if request.query("from") == "queue" { return Response.redirect(to: "/review", type: .normal) }
        if request.query("next") == "1" { return Response.redirect(to: "/review/next", type: .normal) }
        return Response.redirect(to: item, type: .normal)
    }
}

/// The year's target for an indicator in a region: from the agreement of the nearest pairing above it that sets one.
struct TargetLookup {
    var byPairing: [Int64: [Int: [String: Int64]]] = [:]  // pairing → year → indicator → target
    var pairings: [(prefix: String, id: Int64)] = []

    init(store: Store, years: Set<Int>, regions: [String: Region]) async throws {
        for p in try await store.pairings() {
            guard let west = regions[p.westCode] else { continue }
            pairings.append((west.scopePrefix, p.id))
        }
        pairings.sort { $0.prefix.count > $1.prefix.count }  // the nearest first
        for year in years {
            let agreements = try await store.agreements(year: year)
            let targets = try await store.targetsByAgreement(year: year)
            for a in agreements {
                for (_, t) in targets[a.id] ?? [] { byPairing[a.pairingId, default: [:]][year, default: [:]][t.indicatorCode] = t.value }
            }
        }
    }

    func target(_ indicator: String, region: String, year: Int) -> Int64? {
        for p in pairings where region.hasPrefix(p.prefix) {
            if let v = byPairing[p.id]?[year]?[indicator] { return v }
        }
        return nil
    }
}
