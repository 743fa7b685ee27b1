import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// Meetings (joint conferences, working meetings, study visits) with their attendees, itinerary and decisions; the
/// follow-up tasks (督办) those decisions become, each owner's queue, and the updates owners post.
struct MeetingsController {
    let pages: Pages
    var followUp: FollowUp { FollowUp(store: pages.store) }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/meetings", use: list)
        router.get("/meetings/new", use: newForm)
        router.post("/meetings", use: create)
        router.get("/meetings/:id", use: show)
        router.get("/meetings/:id/edit", use: editForm)
        router.post("/meetings/:id", use: update)
        router.post("/meetings/:id/attendees", use: addAttendee)
        router.post("/meetings/:id/stops", use: addStop)
        router.post("/meetings/:id/decisions", use: addDecision)
        router.post("/decisions/:id/tasks", use: addTask)
        router.get("/meetings/:id/report", use: report)
        router.get("/tasks", use: queue)
        router.get("/tasks/:id", use: showTask)
        router.post("/tasks/:id/updates", use: postUpdate)
    }

    static func dateText(_ m: Meeting) -> String {
        m.endDate.map { $0 == m.date ? m.date.description : "\(m.date) — \($0)" } ?? m.date.description
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let regions = try await pages.regionIndex()
        let pairings = Dictionary(uniqueKeysWithValues: a.pairings.map { ($0.id, $0) })
        let items = try await pages.store.meetings(pairingIds: a.readablePairingIds).map { m in
            MeetingListPage.Item(
                id: m.id, title: m.title, date: Self.dateText(m), place: m.place, kind: l.t("meeting_" + m.kind.rawValue),
                pairing: pairings[m.pairingId].map { pages.pairingLabel($0, regions, l) } ?? "")
        }
        let canCreate = a.pairings.contains { AccessRule.canOrganise(a.user, pairing: $0) }
        return try await pages.render(
            "meetings", title: l.t("meetings_title"), section: "meetings", request, context,
            MeetingListPage(items: items, canCreate: canCreate))
    }

    func form(
        _ draft: MeetingDraft, id: Int64?, version: Int64?, issues: [ValidationIssue], _ request: Request,
        _ context: SignedInContext, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let a = context.access
        let regions = try await pages.regionIndex()
        let f = FormState(
            values: [
                "kind": draft.kind ?? "", "pairingId": draft.pairingId ?? "", "title": draft.title ?? "",
                "date": draft.date ?? "", "endDate": draft.endDate ?? "", "place": draft.place ?? "",
                "hostSide": draft.hostSide ?? "", "summary": draft.summary ?? "", "agenda": draft.agenda ?? "",
                "minutes": draft.minutes ?? "",
            ], issues: issues, lang: l.lang)
        let model = MeetingFormPage(
            f: f.fields,
            kinds: Pages.options(MeetingKind.self, selected: draft.kind) { l.t("meeting_" + $0.rawValue) },
            sides: Pages.options(Side.self, selected: draft.hostSide ?? "east") { l.t("side_" + $0.rawValue) },
            pairings: a.pairings.filter { AccessRule.canOrganise(a.user, pairing: $0) }.map {
                Option(value: String($0.id), label: pages.pairingLabel($0, regions, l), selected: String($0.id) == draft.pairingId)
            },
            action: id.map { "/meetings/\($0)" } ?? "/meetings", editing: id != nil, version: version.map(String.init) ?? "",
            hasErrors: !issues.isEmpty)
        return try await pages.render(
            "meeting_form", title: id == nil ? l.t("new_meeting") : l.t("edit_meeting"), section: "meetings",
            request, context, model, status: status)
    }

    static func draft(_ form: [String: String]) -> MeetingDraft {
        MeetingDraft(
            kind: form["kind"], pairingId: form["pairingId"], title: form["title"], date: form["date"], endDate: form["endDate"],
            place: form["place"], hostSide: form["hostSide"], summary: form["summary"], agenda: form["agenda"], minutes: form["minutes"])
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let a = context.access
        guard a.pairings.contains(where: { AccessRule.canOrganise(a.user, pairing: $0) }) else { throw AppError.forbidden }
        return try await form(MeetingDraft(kind: MeetingKind.jointConference.rawValue), id: nil, version: nil, issues: [], request, context)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let draft = Self.draft(try await decodeForm(request, context))
        do {
            let m = try await followUp.createMeeting(draft, context)
            return Response.redirect(to: "/meetings/\(m.id)", type: .normal)
        } catch let e as AppError where !e.issues.isEmpty {
            return try await form(draft, id: nil, version: nil, issues: e.issues, request, context, status: .unprocessableContent)
        }
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (m, p, _) = try await followUp.meeting(try parseID(context.parameters.get("id")), context, organise: true)
        let draft = MeetingDraft(
            kind: m.kind.rawValue, pairingId: String(p.id), title: m.title, date: m.date.description,
            endDate: m.endDate?.description, place: m.place, hostSide: m.hostSide.rawValue, summary: m.summary,
            agenda: m.agenda, minutes: m.minutes)
        return try await form(draft, id: m.id, version: m.version, issues: [], request, context)
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let fields = try await decodeForm(request, context)
        let draft = Self.draft(fields)
        do {
            _ = try await followUp.updateMeeting(id, draft, version: Int64(fields["version"] ?? ""), context)
            return Response.redirect(to: "/meetings/\(id)", type: .normal)
        } catch let e as AppError where !e.issues.isEmpty || e.status == .conflict {
            let conflict = e.status == .conflict
            let issues = conflict ? [ValidationIssue(field: "version", key: "conflict")] : e.issues
            let current = try await pages.store.meeting(id: id)
            return try await form(
                draft, id: id, version: conflict ? current?.version : Int64(fields["version"] ?? ""), issues: issues,
                request, context, status: conflict ? .conflict : .unprocessableContent)
        }
    }

    /// The meeting page: record, attendees by side, itinerary, decisions with the state of each task, attached
    /// documents, the report, and the history. `problem` is a sub-form's validation failure, shown at the top.
    func meetingPage(
        _ id: Int64, _ request: Request, _ context: SignedInContext, problem: [ValidationIssue] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let (m, p, a) = try await followUp.meeting(id, context)
        let regions = try await pages.regionIndex()
        let today = context.today
        let organiser = AccessRule.canOrganise(a.user, pairing: p)
        let attendees = try await pages.store.attendees(meetingId: id)
        let stops = try await pages.store.stops(meetingId: id)
        let tasks = try await pages.store.tasks(TaskFilter(meetingIds: [id], today: today))
        let byDecision = Dictionary(grouping: tasks, by: \.decisionId)
        var decisions: [MeetingPage.Decision] = []
        for (i, d) in try await pages.store.decisions(meetingId: id).enumerated() {
            decisions.append(
                MeetingPage.Decision(
                    id: d.id, number: i + 1, text: d.text, workArea: d.workArea?.name(l.lang),
                    tasks: (byDecision[d.id] ?? []).map { TaskRow($0, regions, l, today: today) },
                    attached: try await pages.attachments(.decision, d.id, canWrite: organiser, l)))
        }
        let counts = TaskState.allCases.map { s in
            MeetingPage.StateCount(state: l.t("task_" + s.rawValue), code: s.rawValue, count: tasks.filter { $0.state(on: today) == s }.count)
        }
        let sideCodes = [p.eastCode, p.westCode]
        let ownerRegions = try await pages.store.regions().filter { r in
            r.level != .county && sideCodes.contains { r.code.hasPrefix(Region.scopePrefix(code: $0, level: ProjectDraft.levelOf($0))) }
        }.map { Option(value: $0.code, label: $0.name, selected: false) }
        let model = MeetingPage(
            m: .init(
                id: m.id, title: m.title, kind: l.t("meeting_" + m.kind.rawValue), date: Self.dateText(m), place: m.place,
                host: l.t("side_" + m.hostSide.rawValue), summary: m.summary.nilIfEmpty, agenda: m.agenda.nilIfEmpty,
                minutes: m.minutes.nilIfEmpty, demo: m.isDemo, pairing: pages.pairingLabel(p, regions, l),
                jointConference: m.kind == .jointConference),
            east: attendees.filter { $0.side == .east }.map { .init(name: $0.name, position: $0.position) },
            west: attendees.filter { $0.side == .west }.map { .init(name: $0.name, position: $0.position) },
            showItinerary: m.kind == .studyVisit || !stops.isEmpty,
            stops: stops.map {
                .init(date: $0.date?.description ?? Self.dateText(m), city: $0.city, name: $0.name, kind: l.t("stop_" + $0.kind.rawValue))
            },
            decisions: decisions, counts: counts, taskTotal: tasks.count,
            documents: try await pages.store.documents(meetingId: id, scope: a.scope).map {
                .init(id: $0.id, title: $0.title, date: $0.publishedOn?.description ?? "")
            },
            organiser: organiser, sides: Pages.options(Side.self, selected: nil) { l.t("side_" + $0.rawValue) },
            workAreas: Pages.options(WorkArea.self, selected: nil) { $0.name(l.lang) },
            stopKinds: Pages.options(StopKind.self, selected: nil) { l.t("stop_" + $0.rawValue) },
            ownerRegions: ownerRegions,
            hasProblems: !problem.isEmpty, problems: problem.map { .init(message: "\(l.t("field_" + $0.field)): \($0.message(l.lang))") },
            historyBlock: try await pages.historyBlock("meeting", id, l))
        return try await pages.render("meeting", title: m.title, section: "meetings", request, context, model, status: status)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try await meetingPage(try parseID(context.parameters.get("id")), request, context)
    }

    /// Runs a sub-form's write; on invalid input shows the meeting page again with the problems, nothing written.
    func subForm(
        _ meetingId: Int64, _ request: Request, _ context: SignedInContext, anchor: String,
        _ write: () async throws -> Void
    ) async throws -> Response {
        do {
            try await write()
            return Response.redirect(to: "/meetings/\(meetingId)#\(anchor)", type: .normal)
        } catch let e as AppError where !e.issues.isEmpty {
            return try await meetingPage(meetingId, request, context, problem: e.issues, status: .unprocessableContent)
        }
    }

    @Sendable func addAttendee(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let f = try await decodeForm(request, context)
        return try await subForm(id, request, context, anchor: "attendees") {
            _ = try await followUp.addAttendee(id, name: f["name"], position: f["position"], side: f["side"], context)
        }
    }

    @Sendable func addStop(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let f = try await decodeForm(request, context)
        return try await subForm(id, request, context, anchor: "itinerary") {
            _ = try await followUp.addStop(id, date: f["date"], city: f["city"], name: f["name"], kind: f["kind"], context)
        }
    }

    @Sendable func addDecision(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let f = try await decodeForm(request, context)
        return try await subForm(id, request, context, anchor: "decisions") {
            _ = try await followUp.addDecision(id, text: f["text"], workArea: f["workArea"], context)
        }
    }

    @Sendable func addTask(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let f = try await decodeForm(request, context)
        guard let d = try await pages.store.decision(id: id) else { throw AppError.notFound(Labels(lang: context.language).t("decision")) }
        return try await subForm(d.meetingId, request, context, anchor: "decision-\(id)") {
            _ = try await followUp.createTask(
                decisionId: id, title: f["title"], ownerOffice: f["ownerOffice"],
                ownerRegionCode: f["ownerRegionCode"], deadline: f["deadline"], context)
        }
    }

    @Sendable func queue(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let q = try ListQuery(request)
        let state = try q.choice("state", TaskState.self)
        let all = try q.value("scope") { $0 == "mine" || $0 == "all" ? $0 : nil } == "all"
        let today = context.today
        let regions = try await pages.regionIndex()
        let tasks = try await followUp.tasks(context, mine: !all, state: state, today: today)
        let meetings = Dictionary(uniqueKeysWithValues: try await pages.store.meetings().map { ($0.id, $0) })
        // Overdue first, then by deadline.
        let rows = tasks.sorted { ($0.state(on: today) == .overdue ? 0 : 1, $0.deadline) < ($1.state(on: today) == .overdue ? 0 : 1, $1.deadline) }
            .map { t in
                var row = TaskRow(t, regions, l, today: today)
                row.meeting = meetings[t.meetingId]?.title ?? ""
                row.meetingId = t.meetingId
                return row
            }
        let overdue = tasks.filter { $0.state(on: today) == .overdue }.count
        return try await pages.render(
            "tasks", title: l.t("nav_tasks"), section: "tasks", request, context,
            TaskQueuePage(
                items: rows, all: all, states: Pages.options(TaskState.self, selected: state?.rawValue) { l.t("task_" + $0.rawValue) },
                overdueCount: overdue, hasOverdue: overdue > 0))
    }

    func taskPage(
        _ id: Int64, _ request: Request, _ context: SignedInContext, issues: [ValidationIssue] = [], values: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let (t, m, a) = try await followUp.task(id, context)
        let regions = try await pages.regionIndex()
        let today = context.today
        let decision = try await pages.store.decision(id: t.decisionId)
        let f = FormState(
            values: [
                "date": values["date"] ?? today.description, "text": values["text"] ?? "",
                "evidence": values["evidence"] ?? "", "status": values["status"] ?? "",
            ], issues: issues, lang: l.lang)
        return try await pages.render(
            "task", title: t.title, section: "tasks", request, context,
            TaskPage(
                task: TaskRow(t, regions, l, today: today), version: t.version,
                meeting: .init(id: m.id, title: m.title, date: Self.dateText(m)), decision: decision?.text ?? "",
                updates: try await taskUpdates(id, canWrite: AccessRule.canWrite(a.user, regionCode: t.ownerRegionCode), l),
                canUpdate: AccessRule.canWrite(a.user, regionCode: t.ownerRegionCode), f: f.fields, hasErrors: !issues.isEmpty,
                statuses: Pages.options(
                    TaskStatus.self, selected: values["status"] ?? (t.status == .open ? TaskStatus.inProgress.rawValue : t.status.rawValue)
                ) {
                    l.t("task_" + $0.rawValue)
                },
                historyBlock: try await pages.historyBlock("task", id, l)), status: status)
    }

    /// A task's updates, each with its evidence files.
    func taskUpdates(_ id: Int64, canWrite: Bool, _ l: Labels) async throws -> [TaskPage.Update] {
        var out: [TaskPage.Update] = []
        for u in try await pages.store.taskUpdates(taskId: id) {
            out.append(
                .init(
                    date: u.date.description, text: u.text, evidence: u.evidence, status: l.t("task_" + u.status.rawValue), author: u.author,
                    attached: try await pages.attachments(.taskUpdate, u.id, canWrite: canWrite, l)))
        }
        return out
    }

    @Sendable func showTask(_ request: Request, context: SignedInContext) async throws -> Response {
        try await taskPage(try parseID(context.parameters.get("id")), request, context)
    }

    @Sendable func postUpdate(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let f = try await decodeForm(request, context)
        do {
            _ = try await followUp.postUpdate(
                taskId: id, date: f["date"], text: f["text"], evidence: f["evidence"], status: f["status"],
                version: Int64(f["version"] ?? ""), context)
            return Response.redirect(to: "/tasks/\(id)", type: .normal)
        } catch let e as AppError where !e.issues.isEmpty || e.status == .conflict {
            let issues = e.status == .conflict ? [ValidationIssue(field: "text", key: "conflict")] : e.issues
            return try await taskPage(id, request, context, issues: issues, values: f, status: e.status)
        }
    }

    /// The conference's progress report as HTML (to read and print), PDF or XLSX, for what the reader may see.
    @Sendable func report(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try parseID(context.parameters.get("id"))
        let (m, _, a) = try await followUp.meeting(id, context)
        let format = request.query("format") ?? "html"
        guard ["html", "pdf", "xlsx"].contains(format) else { throw AppError.badFilter("format") }
        let asOf = context.today
        guard
            let r = try await ConferenceReport.build(
                store: pages.store, meetingId: m.id, asOf: asOf, lang: l.lang,
                pairingIds: a.readablePairingIds, scope: a.scope)
        else {
            throw AppError.notFound(l.t("meeting"))
        }
        let name = "conference-\(m.id)-\(asOf)"
        // 2024年粤黔东西部协作联席会议进展报告（截至2024-12-05）
        let title = l.t("report_file_name", m.title, asOf.description)
        switch format {
        case "xlsx":
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    .contentDisposition: Download.disposition(title + ".xlsx", ascii: name + ".xlsx"),
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: try r.xlsx())))
        case "pdf":
            do {
                let pdf = try await PDFPrinter.pdfAsync(html: r.html(), stamp: asOf)
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/pdf",
                        .contentDisposition: Download.disposition(title + ".pdf", ascii: name + ".pdf", inline: true),
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
            } catch PDFPrinter.Failure.chromiumMissing {
                throw AppError(status: .serviceUnavailable, code: "pdf_unavailable", key: "report_pdf_unavailable")
            } catch PDFPrinter.Failure.failed(let why) {
                context.logger.error("PDF failed: \(why)")
                throw AppError(status: .internalServerError, code: "pdf_failed", key: "report_pdf_failed", params: [String(why.prefix(200))])
            }
        default:
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: SecurityHeadersMiddleware.reportPolicy],
                body: .init(byteBuffer: ByteBuffer(string: r.html())))
        }
    }
}
