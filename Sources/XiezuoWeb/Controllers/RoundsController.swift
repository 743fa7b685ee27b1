import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Reporting rounds (填报任务): the list and the form to open one, a round's live table with reminders and its lock,
/// a member office's return, and the same as JSON for scripts.
struct RoundsController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/rounds", use: list)
        router.post("/rounds", use: create)
        router.get("/rounds/:id", use: show)
        router.post("/rounds/:id/submit", use: submit)
        router.post("/rounds/:id/remind", use: remind)
        router.post("/rounds/:id/lock", use: setLock)
        router.get("/api/v1/rounds", use: apiList)
        router.post("/api/v1/rounds", use: apiCreate)
    }

    // MARK: what a round is made from

    /// A round being opened, as typed: checked here into a round and its members, or refused field by field.
    struct Draft {
        var title = ""
        var year = ""
        var month = ""
        var deadline = ""
        var note = ""
        var indicators: [String] = []
        var ledgers: [String] = []
        var allMembers = true
        var members: [String] = []
    }

    /// The regions a user may include: below the user's level on its side, inside its scope and the pairings.
    func includable(_ context: SignedInContext) async throws -> [Region] {
        let a = context.access
        return a.offeredRegions(in: try await pages.store.regions()).filter {
            $0.level != .province && RoundRule.mayInclude(a.user, region: $0)
        }
    }

    func check(_ d: Draft, _ context: SignedInContext) async throws -> Result<(ReportingRound, [Region]), ValidationFailure> {
        var issues: [ValidationIssue] = []
        let title = d.title.trimmingWhitespace()
        if title.isEmpty { issues.append(.init(field: "title", key: "error.required")) }
        if title.count > RoundRule.maxTitle { issues.append(.init(field: "title", key: "error.too_long", params: [String(RoundRule.maxTitle)])) }
        let year = Int(d.year.trimmingWhitespace()).flatMap { Day.validYears.contains($0) ? $0 : nil }
        let month = Int(d.month.trimmingWhitespace()).flatMap { (1...12).contains($0) ? $0 : nil }
        let years = [String(Day.validYears.lowerBound), String(Day.validYears.upperBound)]
        if year == nil { issues.append(.init(field: "year", key: "error.year", params: years)) }
        if month == nil { issues.append(.init(field: "month", key: "error.month")) }
        let today = context.today
        if let year, let month, (year, month) > (today.year, today.month) {
            issues.append(.init(field: "month", key: "error.round_future"))
        }
        let deadline = Day(d.deadline.trimmingWhitespace())
        if deadline == nil {
            issues.append(.init(field: "deadline", key: "error.date", params: years))
        } else if let deadline, deadline < today {
            issues.append(.init(field: "deadline", key: "error.round_deadline_past"))
        }
        let note = d.note.trimmingWhitespace()
        if note.count > RoundRule.maxNote { issues.append(.init(field: "note", key: "error.too_long", params: [String(RoundRule.maxNote)])) }
        var codes: [String] = []
        for c in d.indicators where !codes.contains(c) {
            guard let i = IndicatorCatalogue.byCode[c], RoundRule.askable(i) else {
                issues.append(.init(field: "indicators", key: "error.round_indicator", params: [String(c.prefix(40))]))
                continue
            }
            codes.append(c)
        }
        var ledgers: [LedgerName] = []
        for name in d.ledgers {
            guard let l = LedgerName(rawValue: name) else {
                issues.append(.init(field: "ledgers", key: "error.unknown_ledger", params: [String(name.prefix(40))]))
                continue
            }
            if !ledgers.contains(l) { ledgers.append(l) }
        }
        if codes.isEmpty && ledgers.isEmpty && !issues.contains(where: { $0.field == "indicators" || $0.field == "ledgers" }) {
            issues.append(.init(field: "indicators", key: "error.round_nothing_asked"))
        }
        let offered = try await includable(context)
        var members: [Region]
        if d.allMembers {
            members = offered.filter { $0.level == .county }
        } else {
            members = []
            for code in Set(d.members).sorted() {
                guard let r = offered.first(where: { $0.code == code }) else {
                    issues.append(.init(field: "members", key: "error.round_member", params: [String(code.prefix(12))]))
                    continue
                }
                members.append(r)
            }
        }
        if members.isEmpty && !issues.contains(where: { $0.field == "members" }) {
            issues.append(.init(field: "members", key: "error.round_no_members"))
        }
        if members.count > RoundRule.maxMembers {
            issues.append(.init(field: "members", key: "error.round_too_many", params: [String(RoundRule.maxMembers)]))
        }
        guard issues.isEmpty, let year, let month, let deadline else { return .failure(ValidationFailure(issues)) }
        let round = ReportingRound(
            id: 0, title: title, openerRegionCode: context.user.regionCode, openedBy: context.user.username, year: year, month: month,
            deadline: deadline, indicatorCodes: codes, ledgers: ledgers, note: note)
        return .success((round, members))
    }

    // MARK: pages

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let (year, month) = context.today.previousMonth
        // Ten days from today: the usual time an office gives the counties for a month's figures.
        let due = (0..<10).reduce(context.today) { d, _ in Day.after(d) ?? d }
        let draft = Draft(year: String(year), month: String(month), deadline: due.description)
        return try await page(request, context, draft: draft, issues: [])
    }

    func page(_ request: Request, _ context: SignedInContext, draft: Draft, issues: [ValidationIssue]) async throws -> Response {
        let l = Labels(lang: context.language)
        let user = context.user
        let regions = try await pages.regionIndex()
        let today = context.today
        let summaries = try await pages.store.rounds(within: user.role == .admin ? nil : [user.scopePrefix])
        let mine = Dictionary(
            try await pages.store.roundsAsking(regionCodes: [user.regionCode]).map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a })
        let items = summaries.map { s -> RoundsPage.Item in
            let m = mine[s.round.id]
            let status = m?.status(in: s.round, today: today)
            return RoundsPage.Item(
                id: s.round.id, title: s.round.title, period: s.round.period, deadline: s.round.deadline.description,
                opener: regions[s.round.openerRegionCode]?.name ?? s.round.openerRegionCode, progress: "\(s.submitted)/\(s.members)",
                lock: l.t(s.round.isLocked(on: today) ? "round_locked" : (s.round.lock == .unlocked ? "round_unlocked" : "round_open")),
                locked: s.round.isLocked(on: today), mine: status.map { l.t("round_status_" + $0.rawValue) }, mineCode: status?.rawValue)
        }
        let canOpen = RoundRule.mayOpen(user)
        let offered = canOpen ? try await includable(context) : []
        let model = RoundsPage(
            items: items, canOpen: canOpen && !offered.isEmpty,
            indicators: IndicatorCatalogue.all.filter(RoundRule.askable).map {
                .init(value: $0.code, label: "\($0.name(l.lang))（\(l.unit($0.unit))）", checked: draft.indicators.contains($0.code))
            },
            ledgers: LedgerName.allCases.map { .init(value: $0.rawValue, label: $0.title(l.lang), checked: draft.ledgers.contains($0.rawValue)) },
            members: offered.map {
                .init(
                    value: $0.code, label: $0.name + ($0.level == .prefecture ? "（\(l.t("level_prefecture"))）" : ""),
                    checked: draft.members.contains($0.code))
            },
            allMembers: draft.allMembers,
            f: FormState(
                values: [
                    "title": draft.title, "year": draft.year, "month": draft.month, "deadline": draft.deadline, "note": draft.note,
                    "indicators": "", "ledgers": "", "members": "",
                ],
                issues: issues, lang: l.lang
            ).fields,
            issues: issues.map { $0.message(l.lang) }, hasErrors: !issues.isEmpty)
        return try await pages.render(
            "rounds", title: l.t("rounds_title"), section: "rounds", request, context, model, status: issues.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        guard RoundRule.mayOpen(context.user) else { throw AppError.forbidden }
        let form = try await decodeFormLists(request, context)
        func one(_ k: String) -> String { form[k]?.last ?? "" }
        let draft = Draft(
            title: one("title"), year: one("year"), month: one("month"), deadline: one("deadline"), note: one("note"),
            indicators: form["indicators"] ?? [], ledgers: form["ledgers"] ?? [], allMembers: one("allMembers") == "1",
            members: form["members"] ?? [])
        switch try await check(draft, context) {
        case .failure(let f): return try await page(request, context, draft: draft, issues: f.issues)
        case .success(let (round, members)):
            let saved = try await pages.store.openRound(round, members: members, actor: context.actor)
            try await Notifier(store: pages.store).roundOpened(saved, members: members, regions: try await pages.regionIndex())
            return Response.redirect(to: "/rounds/\(saved.id)?done=opened", type: .normal)
        }
    }

    /// The round of the route with its members, if the reader may see it (404 otherwise).
    func scoped(_ context: SignedInContext) async throws -> (ReportingRound, [RoundMember]) {
        let l = Labels(lang: context.language)
        let id = try context.id()
        guard let round = try await pages.store.round(id: id) else { throw AppError.notFound(l.t("rounds_title")) }
        let members = try await pages.store.roundMembers(round)
        guard RoundRule.mayRead(context.user, round: round, members: members.map(\.regionCode)) else {
            throw AppError.notFound(l.t("rounds_title"))
        }
        return (round, members)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let (round, members) = try await scoped(context)
        let regions = try await pages.regionIndex()
        let user = context.user
        let today = context.today
        let manage = RoundRule.mayManage(user, round: round)
        let locked = round.isLocked(on: today)
        let statuses = members.map { $0.status(in: round, today: today) }
        let rows = zip(members, statuses).map { m, s in
            RoundPage.Member(
                code: m.regionCode, name: regions[m.regionCode]?.name ?? m.regionCode, status: l.t("round_status_" + s.rawValue),
                statusCode: s.rawValue,
                submitted: m.submittedAt.map { ReviewController.beijing($0) + " · " + (m.submittedBy ?? "") } ?? "—",
                reminders: m.reminders, reminded: m.remindedAt.map(ReviewController.beijing) ?? "—", returned: m.returned,
                figuresHref: "/progress?region=\(m.regionCode)&year=\(round.year)&month=\(round.month)",
                canRemind: manage && m.submittedAt == nil)
        }
        // The reader's own office's return, when it is in the round and the reader may submit for it.
        var mine: RoundPage.Mine?
        if let m = members.first(where: { $0.regionCode == user.regionCode }), RoundRule.maySubmit(user, member: m.regionCode) {
            var filter = ProgressFilter(regionCode: m.regionCode, year: round.year, scope: context.access.scope)
            filter.month = round.month
            let figures = try await pages.store.progress(filter, page: Page(number: 1, size: 100)).items.filter { $0.regionCode == m.regionCode }
            let asks = round.indicatorCodes.map { code -> RoundPage.Ask in
                let ind = IndicatorCatalogue.byCode[code]
                let name = ind?.name(l.lang) ?? code
                if let f = figures.first(where: { $0.indicatorCode == code }) {
                    return .init(
                        name: name, value: (ind?.format(f.value) ?? String(f.value)) + " " + (ind.map { l.unit($0.unit) } ?? ""),
                        state: l.t("state_" + f.state.rawValue), stateCode: f.state.rawValue, href: "/progress/\(f.id)", done: true)
                }
                return .init(
                    name: name, value: "—", state: l.t("round_missing"), stateCode: "missing",
                    href: "/progress?new_indicator=\(code)&new_region=\(m.regionCode)&new_year=\(round.year)&new_month=\(round.month)#progress-form",
                    done: false)
            }
            let ledgerLinks = round.ledgers.map {
                RoundPage.Ask(
                    name: $0.title(l.lang), value: "", state: "", stateCode: "ledger", href: "/ledgers/\($0.rawValue)?region=\(m.regionCode)",
                    done: true)
            }
            let status = m.status(in: round, today: today)
            mine = .init(
                regionCode: m.regionCode, regionName: regions[m.regionCode]?.name ?? m.regionCode, status: l.t("round_status_" + status.rawValue),
                statusCode: status.rawValue, asks: asks, ledgerLinks: ledgerLinks,
                canSubmit: (m.submittedAt == nil || m.returned > 0) && asks.allSatisfy(\.done))
        }
        let changes = try await pages.store.changeRequests(within: context.access.readable, roundId: round.id)
        let submittedCount = members.filter { $0.submittedAt != nil }.count
        let model = RoundPage(
            id: round.id, title: round.title, period: round.period, deadline: round.deadline.description,
            opener: regions[round.openerRegionCode]?.name ?? round.openerRegionCode, openedBy: round.openedBy ?? "—",
            asks: (round.indicatorCodes.compactMap { IndicatorCatalogue.byCode[$0]?.name(l.lang) } + round.ledgers.map { $0.title(l.lang) })
                .joined(separator: "、"),
            note: round.note, lock: l.t(locked ? "round_locked" : (round.lock == .unlocked ? "round_unlocked" : "round_open")), locked: locked,
            counts: l.t(
                "round_counts", String(submittedCount), String(members.count), String(statuses.filter { $0 == .late }.count),
                String(statuses.filter { $0 == .returned }.count)),
            members: rows, canManage: manage, canRemindAll: manage && statuses.contains { $0 == .late || $0 == .pending },
            canUnlock: manage && locked, canRelock: manage && round.lock == .unlocked, canClose: manage && !locked && round.lock == .atDeadline,
            mine: mine, changes: changes.map { ChangesController.row($0, regions, l) },
            notice: request.query("done").flatMap {
                ["opened", "submitted", "reminded", "unlocked", "locked"].contains($0) ? l.t("round_done_" + $0) : nil
            },
            historyBlock: try await pages.historyBlock("round", round.id, l))
        return try await pages.render("round", title: round.title, section: "rounds", request, context, model)
    }

    @Sendable func submit(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let (round, members) = try await scoped(context)
        let region = form["region"] ?? context.user.regionCode
        guard members.contains(where: { $0.regionCode == region }), RoundRule.maySubmit(context.user, member: region) else {
            throw AppError.forbidden
        }
        try await pages.store.submitRound(round, member: region, actor: context.actor)
        return Response.redirect(to: "/rounds/\(round.id)?done=submitted", type: .normal)
    }

    /// Reminds one member (`region`) or every member that has not submitted (催报).
    @Sendable func remind(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let (round, members) = try await scoped(context)
        guard RoundRule.mayManage(context.user, round: round) else { throw AppError.forbidden }
        let waiting = members.filter { $0.submittedAt == nil }.map(\.regionCode)
        let asked = form["region"].flatMap { $0.isEmpty ? nil : $0 }
        let targets = asked.map { a in waiting.filter { $0 == a } } ?? waiting
        let reminded = try await pages.store.remindRound(round, regionCodes: targets, actor: context.actor)
        try await Notifier(store: pages.store).reminded(round, regionCodes: reminded, members: members)
        return Response.redirect(to: "/rounds/\(round.id)?done=reminded", type: .normal)
    }

    @Sendable func setLock(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let (round, _) = try await scoped(context)
        guard RoundRule.mayManage(context.user, round: round) else { throw AppError.forbidden }
        switch form["lock"] {
        case "unlocked":
            guard round.isLocked(on: context.today) else { throw AppError(status: .conflict, code: "state", key: "error.state") }
            try await pages.store.setRoundLock(round, to: .unlocked, actor: context.actor)
            return Response.redirect(to: "/rounds/\(round.id)?done=unlocked", type: .normal)
        case "locked":
            // Locked again after an unlock, or closed before its deadline (截止并锁定).
            guard !round.isLocked(on: context.today) else { throw AppError(status: .conflict, code: "state", key: "error.state") }
            try await pages.store.setRoundLock(round, to: .locked, actor: context.actor)
            return Response.redirect(to: "/rounds/\(round.id)?done=locked", type: .normal)
        default:
            throw AppError.invalid(ValidationFailure([ValidationIssue(field: "lock", key: "error.required")]))
        }
    }

    // MARK: API

    @Sendable func apiList(_ request: Request, context: SignedInContext) async throws -> Response {
        let user = context.user
        let regions = try await pages.regionIndex()
        var out: [RoundOut] = []
        for s in try await pages.store.rounds(within: user.role == .admin ? nil : [user.scopePrefix]) {
            let members = try await pages.store.roundMembers(s.round)
            out.append(RoundOut(s.round, members: members, today: context.today, regions: regions))
        }
        return jsonResponse(RoundsOut(rounds: out))
    }

    @Sendable func apiCreate(_ request: Request, context: SignedInContext) async throws -> Response {
        guard RoundRule.mayOpen(context.user) else { throw AppError.forbidden }
        let body = try await decodeJSON(RoundIn.self, request, context)
        let draft = Draft(
            title: body.title, year: String(body.year), month: String(body.month), deadline: body.deadline, note: body.note ?? "",
            indicators: body.indicators ?? [], ledgers: body.ledgers ?? [], allMembers: body.members == nil, members: body.members ?? [])
        switch try await check(draft, context) {
        case .failure(let f): throw AppError.invalid(f)
        case .success(let (round, members)):
            let saved = try await pages.store.openRound(round, members: members, actor: context.actor)
            try await Notifier(store: pages.store).roundOpened(saved, members: members, regions: try await pages.regionIndex())
            let stored = try await pages.store.roundMembers(saved)
            return jsonResponse(RoundOut(saved, members: stored, today: context.today, regions: try await pages.regionIndex()), status: .created)
        }
    }
}
