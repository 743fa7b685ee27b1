import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoReports
import XiezuoStore
import XiezuoText

/// Document intake: paste a text, see the original and the repaired text side by side with every change marked,
/// save it to the library, search it, link it to a meeting.
struct DocumentsController {
    let pages: Pages
    let repairer = Repairer()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/documents", use: list)
        router.get("/documents/new", use: newForm)
        router.post("/documents/preview", use: preview)
        router.post("/documents/upload", use: upload)
        router.post("/documents", use: save)
        router.get("/documents/:id", use: show)
        router.post("/documents/:id/link", use: link)
    }

    static let maxText = 2_000_000

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let list = try ListQuery(request)
        let q = try list.value("q") { $0.count <= 200 ? $0 : nil } ?? ""
        let result = try await pages.store.documents(matching: q, page: list.page, scope: context.access.scope)
        let pager = list.links(pageCount: result.pageCount, total: result.total)
        let model = DocumentListPage(
            q: q,
            items: result.items.map { d in
                .init(
                    id: d.id, title: d.title, source: d.source, date: d.publishedOn?.description ?? "",
                    garbled: d.garbled, excerpt: String(d.repairedText.prefix(80)))
            },
            prev: pager.previous, next: pager.next, pageInfo: pager.info(l))
        return try await pages.render("documents", title: l.t("documents_title"), section: "documents", request, context, model)
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try await form([:], issues: [], request, context)
    }

    func form(_ values: [String: String], issues: [ValidationIssue], _ request: Request, _ context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let state = FormState(
            values: [
                "title": values["title"] ?? "", "source": values["source"] ?? "",
                "publishedOn": values["publishedOn"] ?? "", "text": values["text"] ?? "", "file": "",
            ],
            issues: issues, lang: l.lang)
        return try await pages.render(
            "document_new", title: l.t("new_document"), section: "documents", request, context,
            DocumentFormPage(f: state.fields, hasErrors: !issues.isEmpty),
            status: issues.isEmpty ? .ok : .unprocessableContent)
    }

    struct Intake {
        var title: String
        var source: String
        var publishedOn: Day?
        var text: String
    }

    func validate(_ form: [String: String]) -> Result<Intake, ValidationFailure> {
        var v = Validator()
        let title = v.text("title", form["title"], max: 200)
        let source = v.text("source", form["source"], required: false, max: 500)
        let date = v.day("publishedOn", form["publishedOn"])
        let text = (form["text"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        if text.trimmingWhitespace().isEmpty { v.fail("text", "error.required") }
        if text.count > Self.maxText { v.fail("text", "error.too_long", [String(Self.maxText)]) }
        return v.result(Intake(title: title, source: source, publishedOn: date, text: text))
    }

    @Sendable func preview(_ request: Request, context: SignedInContext) async throws -> Response {
        try await previewIntake(try await decodeForm(request, context, limit: maxFormBody), request, context)
    }

    /// An uploaded file (text, HTML or .docx): its text taken out, then the same preview as pasted text.
    @Sendable func upload(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: maxFormBody) } catch {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(maxFormBody >> 20)])
        }
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? ""),
            let multipart = MultipartForm.parse(Data(buffer: body), boundary: boundary)
        else {
            throw AppError(status: .badRequest, code: "bad_upload", key: "bad_request")
        }
        var values = [
            "title": multipart.field("title") ?? "", "source": multipart.field("source") ?? "",
            "publishedOn": multipart.field("publishedOn") ?? "",
        ]
        func refuse(_ key: String, _ params: [String] = []) async throws -> Response {
            try await form(values, issues: [ValidationIssue(field: "file", key: key, params: params)], request, context)
        }
        values["text"] = multipart.field("text") ?? ""
        guard let file = multipart.file("file"), !file.data.isEmpty else {
            // No file chosen: the pasted text, if any, is the document.
            if values["text", default: ""].trimmingWhitespace().isEmpty {
                return try await form(values, issues: [ValidationIssue(field: "text", key: "error.file_or_text")], request, context)
            }
            return try await previewIntake(values, request, context)
        }
        let extracted: DocumentText.Extracted
        do { extracted = try DocumentText.extract(file.data, filename: file.filename ?? "") } catch DocumentText.Failure.unsupported(let kind) {
            return try await refuse("error.unsupported_format", [kind])
        } catch DocumentText.Failure.damaged(let why) { return try await refuse("error.damaged_file", [why]) } catch DocumentText.Failure.tooLarge(
            let limit)
        { return try await refuse("error.file_too_large", [String(limit)]) } catch { return try await refuse("error.not_text") }
        if values["title", default: ""].trimmingWhitespace().isEmpty {
            let name = (file.filename ?? "").split(separator: "/").last.map(String.init) ?? ""
            values["title"] = extracted.title ?? String(name.split(separator: ".").dropLast().joined(separator: ".").prefix(200))
        }
        values["text"] = extracted.text
        return try await previewIntake(values, request, context)
    }

    func previewIntake(_ values: [String: String], _ request: Request, _ context: SignedInContext) async throws -> Response {
        switch validate(values) {
        case .failure(let f): return try await self.form(values, issues: f.issues, request, context)
        case .success(let intake):
            let r = repairer.repair(intake.text)
            return try await page(
                title: intake.title, source: intake.source, date: intake.publishedOn, original: intake.text,
                result: r, saved: nil, request, context, hidden: values)
        }
    }

    @Sendable func save(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context, limit: 8 << 20)
        switch validate(form) {
        case .failure(let f): return try await self.form(form, issues: f.issues, request, context)
        case .success(let intake):
            let a = context.access
            try a.requireWriter()
            // The repair runs again on the server: what is stored never depends on what a browser sent back.
            let r = repairer.repair(intake.text)
            let doc = LibraryDocument(
                id: 0, title: intake.title, source: intake.source, publishedOn: intake.publishedOn,
                originalText: intake.text, repairedText: r.text, reportJSON: Self.json(r.report),
                garbled: r.report.garbled, meetingId: nil, createdAt: "", regionCode: a.user.regionCode)
            let saved = try await pages.store.saveDocument(doc, actor: context.actor)
            return Response.redirect(to: "/documents/\(saved.id)", type: .normal)
        }
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try context.id()
        let d = try await context.find(l.t("document")) { try await pages.store.document(id: id) }
        let report =
            (try? JSONDecoder().decode(RepairReport.self, from: Data(d.reportJSON.utf8)))
            ?? RepairReport(garbled: false, reason: "")
        return try await page(
            title: d.title, source: d.source, date: d.publishedOn, original: d.originalText,
            result: RepairResult(text: d.repairedText, report: report), saved: d, request, context, hidden: nil)
    }

    @Sendable func link(_ request: Request, context: SignedInContext) async throws -> Response {
        let id = try parseID(context.parameters.get("id"))
        let form = try await decodeForm(request, context)
        let meeting = try (form["meetingId"] ?? "").isEmpty ? nil : parseID(form["meetingId"])
        let l = Labels(lang: context.language)
        // Only an office whose own scope holds the document links it (a partner that reads it may not), and only to
        // a meeting it may read.
        _ = try await context.find(l.t("document"), .write) { try await pages.store.document(id: id) }
        if let meeting { _ = try await context.find(l.t("nav_meetings")) { try await pages.store.meeting(id: meeting) } }
        do { try await pages.store.linkDocument(id: id, meetingId: meeting, actor: context.actor) } catch StoreError.notFound {
            throw AppError.notFound(Labels(lang: context.language).t("document"))
        }
        return Response.redirect(to: "/documents/\(id)", type: .normal)
    }

    /// The judgement in the reader's language (the report's own `reason` is an English line for logs).
    static func verdict(_ r: RepairReport, _ l: Labels) -> String {
        switch r.verdict {
        case .wrongCharacterSet:
            return l.t("repair_verdict_charset", r.encodings.map { l.t("repair_encoding_" + $0) }.joined(separator: "；"))
        case .pipeline: return l.t("repair_verdict_pipeline", String(r.annotations), String(r.scars))
        case .clean, .glosses, .tooFew: return l.t("repair_verdict_" + r.verdict.rawValue)
        }
    }

    static func json(_ report: RepairReport) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(report)) ?? Data("{}".utf8), as: UTF8.self)
    }

    func page(
        title: String, source: String, date: Day?, original: String, result: RepairResult, saved: LibraryDocument?,
        _ request: Request, _ context: SignedInContext, hidden: [String: String]?
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let (before, after) = Self.highlight(original, result)
        let meetings = try await pages.store.meetings(pairingIds: context.access.readablePairingIds)
        // People are recognised from the attendees of meetings the reader may see.
        let readableMeetings = Set(meetings.map(\.id))
        let attendees = try await pages.store.knownPeople().filter { readableMeetings.contains($0.meetingId) }
        let people = Mentions.people(in: result.text, known: attendees.map(\.name))
        let suggestions = Self.suggest(
            result.text, date: date, meetings: meetings,
            attendeesMentioned: Dictionary(grouping: attendees.filter { people.contains($0.name) }, by: \.meetingId).mapValues(\.count))
        let regions = try await pages.store.regions()
        let mentioned = Self.regionsMentioned(result.text, regions)
        let positions = Dictionary(attendees.map { ($0.name, $0.position) }, uniquingKeysWith: { a, _ in a })
        var linked: DocumentPage.LinkedMeeting?
        if let m = saved?.meetingId, let meeting = try await pages.store.meeting(id: m) {
            linked = .init(title: meeting.title, date: meeting.date.description)
        }
        let model = DocumentPage(
            title: title, source: source, date: date?.description ?? "",
            original: before, repaired: after, garbled: result.report.garbled, reason: Self.verdict(result.report, l),
            changeCount: result.report.changes.count, unsolvedCount: result.report.unsolved.count,
            unsolved: result.report.unsolved.map { u in
                .init(text: u.text, shown: u.shown, candidates: u.candidates.map { l.t("repair_may_be", $0.joined(separator: "、")) })
            },
            suggestions: suggestions.map {
                .init(id: $0.id, title: $0.title, date: $0.date.description, place: $0.place, linked: $0.id == saved?.meetingId)
            },
            regions: mentioned.map { .init(code: $0.code, name: $0.name) },
            people: people.map { .init(name: $0, position: positions[$0] ?? "") },
            dates: Self.datesMentioned(result.text, year: date?.year).map { .init(date: $0) },
            projects: try await Self.projectsSuggested(mentioned, store: pages.store, scope: context.access.scope)
                .map { .init(id: $0.project.id, title: $0.project.title, county: $0.countyName) },
            organisations: Mentions.organisations(in: result.text).map { .init(name: $0) },
            saved: saved.map { .init(id: $0.id) },
            historyBlock: try await saved.asyncMap { try await pages.historyBlock("document", $0.id, l) },
            linkedMeeting: linked,
            hidden: hidden.map {
                .init(title: $0["title"] ?? "", source: $0["source"] ?? "", publishedOn: $0["publishedOn"] ?? "", text: $0["text"] ?? "")
            })
        return try await pages.render(
            "document", title: title.isEmpty ? l.t("document") : title, section: "documents", request, context, model)
    }

    /// The original with removed or replaced stretches struck through, the repaired text with what replaced them
    /// marked, unsolved stretches flagged on both sides. Escaped here because the result is inserted as HTML.
    static func highlight(_ original: String, _ r: RepairResult) -> (String, String) {
        let input = Array(original.unicodeScalars)
        var left = ""
        var right = ""
        var pos = 0
        func text(_ s: ArraySlice<Unicode.Scalar>) -> String { escapeXML(String(String.UnicodeScalarView(s))) }
        var spans: [(Int, Int, String, String, String)] = r.report.changes.map { ($0.offset, $0.length, $0.step.rawValue, $0.before, $0.after) }

        for (offset, length, step, _, after) in spans.sorted(by: { $0.0 < $1.0 }) where offset >= pos && offset + length <= input.count {
            let same = text(input[pos..<offset])
            left += same
            right += same
            let before = text(input[offset..<(offset + length)])
            if step == "unsolved" {
                // Marked on both sides; the repaired side shows □ where a character was lost.
                left += "<mark class=\"unsolved\">\(before)</mark>"
                right += "<mark class=\"unsolved\">\(escapeXML(after))</mark>"
            } else {
                left += "<del class=\"chg \(step)\">\(before)</del>"
                right += after.isEmpty ? "" : "<ins class=\"chg \(step)\">\(escapeXML(after))</ins>"
            }
            pos = offset + length
        }
        let rest = text(input[pos...])
        return (left + rest, right + rest)
    }

    /// Meetings the text is probably about: its month and day (or a range ending on it), the kind of meeting
    /// named, the place, the year. Best first; only those with the date or two other signs.
    static func suggest(_ text: String, date: Day?, meetings: [Meeting], attendeesMentioned: [Int64: Int] = [:]) -> [Meeting] {
        let dayMentions = mentionedDays(text)
        var scored: [(Meeting, Int)] = []
        for m in meetings {
            var score = 0
            if dayMentions.contains([m.date.month, m.date.day]) { score += 3 }
            if date.map({ abs(($0.year - m.date.year) * 372 + ($0.month - m.date.month) * 31 + ($0.day - m.date.day)) <= 7 }) == true { score += 2 }
            if m.kind == .jointConference && text.contains("联席会议") { score += 2 }
            let city = m.place.replacingOccurrences(of: "广东省", with: "").replacingOccurrences(of: "贵州省", with: "").prefix(2)
            if !city.isEmpty && text.contains(city) { score += 1 }
            if text.contains("\(m.date.year)年") { score += 1 }
            if (attendeesMentioned[m.id] ?? 0) >= 2 { score += 3 }  // two of its attendees named: a strong sign
            if score >= 3 { scored.append((m, score)) }
        }
        return scored.sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// Dates the text names, as written in full ("2024年6月4日") or as month and day, which take the year of the
    /// text's own date when known. In order of appearance, each once.
    static func datesMentioned(_ text: String, year: Int?) -> [String] {
        var out: [String] = []
        let pattern = try! NSRegularExpression(pattern: "(?:(\\d{4})年)?(\\d{1,2})月(\\d{1,2})日")
        let ns = text as NSString
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let y = m.range(at: 1).location != NSNotFound ? Int(ns.substring(with: m.range(at: 1))) : year
            guard let month = Int(ns.substring(with: m.range(at: 2))), let day = Int(ns.substring(with: m.range(at: 3))) else { continue }
            let label: String
            if let y, let d = Day(year: y, month: month, day: day) {
                label = d.description
            } else if (1...12).contains(month) && (1...31).contains(day) {
                label = "\(month)月\(day)日"
            } else {
                continue
            }
            if !out.contains(label) { out.append(label) }
        }
        return out
    }

    /// Projects in the counties the text names (the largest first, a few per county), among those the reader sees.
    static func projectsSuggested(_ regions: [Region], store: Store, scope: RegionScope) async throws -> [ProjectRow] {
        var out: [ProjectRow] = []
        for r in regions where r.level == .county && r.side == .west {
            out += try await store.keyProjects(ProjectFilter(regionCode: r.code, scope: scope), limit: 3)
            if out.count >= 9 { break }
        }
        return out
    }

    /// "6月4日" and "6月3日至4日" (both days) as [month, day].
    static func mentionedDays(_ text: String) -> Set<[Int]> {
        var out = Set<[Int]>()
        let pattern = try! NSRegularExpression(pattern: "(\\d{1,2})月(\\d{1,2})日(?:至(\\d{1,2})日)?")
        let ns = text as NSString
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            guard let month = Int(ns.substring(with: m.range(at: 1))), let day = Int(ns.substring(with: m.range(at: 2))) else { continue }
            out.insert([month, day])
            if m.range(at: 3).location != NSNotFound, let end = Int(ns.substring(with: m.range(at: 3))) {
                for d in day...max(day, end) { out.insert([month, d]) }
            }
        }
        return out
    }

    /// Regions whose name, or its short form without the administrative suffix, occurs in the text.
    static func regionsMentioned(_ text: String, _ regions: [Region]) -> [Region] {
        regions.filter { r in
            if text.contains(r.name) { return true }
            for suffix in ["省", "市", "县", "区"] where r.name.hasSuffix(suffix) && r.name.count >= 3 {
                return text.contains(String(r.name.dropLast()))
            }
            return false
        }
    }
}
