import Hummingbird
import XiezuoDomain
import XiezuoReports
import XiezuoStore

/// What every page controller needs: the store, the renderer, and the shared ways to show domain values.
struct Pages: Sendable {
    let store: Store
    let renderer: Renderer
    var passwordCost: UInt8 = 12
    /// The busiest pages' answers, while the data is unchanged.
    var cache = ResponseCache()
    /// The largest evidence file accepted, in bytes.
    var attachmentLimit = Attachment.defaultLimitMB << 20

    /// The evidence block of an object's page.
    func attachments(_ owner: AttachmentOwner, _ id: Int64, canWrite: Bool, _ l: Labels) async throws -> AttachmentsBlock {
        try await AttachmentsController(pages: self, limit: attachmentLimit).block(owner, id, canWrite: canWrite, l)
    }

    func render(
        _ template: String, title: String, section: String, _ request: Request, _ context: some XiezuoContext,
        _ model: some PageModel, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let demo = try await store.meta("demo") != nil
        // The header names the user's scope as people say it (纳雍县), not by its code.
        let home = try await context.signedInUser.asyncMap { u in try await store.regionIndex()[u.regionCode]?.name } ?? nil
        return renderer.page(
            template, title: title, section: section, lang: context.language, demo: demo,
            path: request.uri.path, model: model, status: status, user: context.signedInUser, csrf: context.csrf,
            languageSwitch: ListQuery.languageSwitch(request, to: context.language == .zh ? "en" : "zh"), homeRegion: home)
    }

    /// The year a page shows when none is asked for: this year in China, or — while this year has no agreement yet
    /// (early in a year, or the demo) — the latest year that has one. Never a fixed year.
    func defaultYear(_ context: SignedInContext) async throws -> Int { try await XiezuoWeb.defaultYear(store, today: context.today) }

    static func completionRows(_ c: AgreementCompletion, _ l: Labels) -> [CompletionRow] {
        c.rows.map { r in
            CompletionRow(
                name: r.indicator.name(l.lang), code: r.indicator.code, unit: l.unit(r.indicator.unit),
                workArea: r.workArea.name(l.lang), target: r.indicator.format(r.target),
                actual: r.indicator.format(r.actual), completion: Completion.percentText(r.basisPoints),
                low: (r.basisPoints ?? 0) < 6_000)
        }
    }

    static func indicatorChart(_ c: AgreementCompletion, _ l: Labels, title: String) -> String {
        BarChart(title: title, bars: c.rows.map { .init(label: $0.indicator.name(l.lang), basisPoints: $0.basisPoints) }).svg()
    }

    static func workAreaRows(_ c: AgreementCompletion, _ l: Labels) -> [WorkAreaCompletion] {
        c.byWorkArea().map { WorkAreaCompletion(name: $0.0.name(l.lang), completion: Completion.percentText($0.1)) }
    }

    static func funding(_ f: FundingSummary) -> FundingTotals {
        FundingTotals(budget: f.budget.wanText, committed: f.committed.wanText, disbursed: f.disbursed.wanText, spent: f.spent.wanText)
    }

    static func counted(_ request: Request) -> CountedStates {
        request.query("pending") == "1" ? .includingPending : .approved
    }

    func pairingLabel(_ p: Pairing, _ regions: [String: Region], _ l: Labels) -> String {
        let east = p.eastParty ?? regions[p.eastCode]?.name ?? p.eastCode
        let west = p.westParty ?? regions[p.westCode]?.name ?? p.westCode
        return "\(east) — \(west)（\(l.t("pairing_" + p.level.rawValue))）"
    }

    func regionIndex() async throws -> [String: Region] { try await store.regionIndex() }
}
