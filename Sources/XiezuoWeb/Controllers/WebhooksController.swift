import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// An office's group robots (群机器人): registered by its province or prefecture office for itself, each with the log
/// of what was posted to it; a test message; removal. Robots are the office's own: nobody sees another office's.
struct WebhooksController {
    let pages: Pages
    /// Origins the deployment allows besides WeCom's and DingTalk's.
    let extraOrigins: [String]

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/webhooks", use: list)
        router.post("/webhooks", use: create)
        router.post("/webhooks/:id/test", use: test)
        router.post("/webhooks/:id/delete", use: remove)
    }

    /// The robots a user sees and manages: its own office's (an administrator's: every office's).
    func visible(_ user: UserAccount) -> [String]? { user.role == .admin ? nil : [user.regionCode] }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        try await page(request, context, values: ["name": "", "url": ""], kind: .wecom, events: WebhookEvent.allCases, issues: [])
    }

    func page(
        _ request: Request, _ context: SignedInContext, values: [String: String], kind: WebhookKind, events: [WebhookEvent],
        issues: [ValidationIssue]
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let user = context.user
        guard WebhookRule.mayRegister(user) else { throw AppError.forbidden }
        let regions = try await pages.regionIndex()
        var robots: [WebhooksPage.Robot] = []
        for w in try await pages.store.webhooks(regionCodes: visible(user)) {
            let log = try await pages.store.deliveries(webhookId: w.id, limit: 20)
            robots.append(
                .init(
                    id: w.id, name: w.name, kind: l.t("webhook_kind_" + w.kind.rawValue), office: regions[w.regionCode]?.name ?? w.regionCode,
                    url: w.urlShown, events: w.events.map { l.t("webhook_event_" + $0.rawValue) }.joined(separator: "、"),
                    messages: log.map { d in
                        .init(
                            key: d.eventKey, state: l.t("webhook_state_" + d.state), stateCode: d.state, attempts: d.attempts,
                            at: ReviewController.beijing(d.sentAt ?? d.nextAt), detail: d.lastError)
                    }))
        }
        let model = WebhooksPage(
            robots: robots, canAdd: true,
            kinds: WebhookKind.allCases.map { Option(value: $0.rawValue, label: l.t("webhook_kind_" + $0.rawValue), selected: $0 == kind) },
            events: WebhookEvent.allCases.map { .init(value: $0.rawValue, label: l.t("webhook_event_" + $0.rawValue), checked: events.contains($0)) },
            f: FormState(values: values, issues: issues, lang: l.lang).fields, hasErrors: !issues.isEmpty,
            origins: (WebhookRule.defaultOrigins + extraOrigins).joined(separator: "、"),
            notice: request.query("done").flatMap { ["added", "tested", "deleted"].contains($0) ? l.t("webhook_done_" + $0) : nil })
        return try await pages.render(
            "webhooks", title: l.t("webhooks_title"), section: "webhooks", request, context, model,
            status: issues.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        guard WebhookRule.mayRegister(context.user) else { throw AppError.forbidden }
        let form = try await decodeFormLists(request, context)
        let name = (form["name"]?.last ?? "").trimmingWhitespace()
        let url = form["url"]?.last ?? ""
        let kind = WebhookKind(rawValue: form["kind"]?.last ?? "") ?? .wecom
        let events = (form["events"] ?? []).compactMap(WebhookEvent.init(rawValue:))
        var issues: [ValidationIssue] = []
        if name.isEmpty { issues.append(.init(field: "name", key: "error.required")) }
        if name.count > 60 { issues.append(.init(field: "name", key: "error.too_long", params: ["60"])) }
        let checked = WebhookRule.check(url, extraOrigins: extraOrigins)
        if case .failure(let f) = checked { issues += f.issues }
        if events.isEmpty { issues.append(.init(field: "url", key: "error.webhook_events")) }
        guard issues.isEmpty, case .success(let address) = checked else {
            return try await page(request, context, values: ["name": name, "url": url], kind: kind, events: events, issues: issues)
        }
        _ = try await pages.store.addWebhook(
            regionCode: context.user.regionCode, kind: kind, name: name, url: address, events: events, actor: context.actor)
        return Response.redirect(to: "/webhooks?done=added", type: .normal)
    }

    /// The robot of the route, if it is one of the caller's office's (404 otherwise).
    func own(_ context: SignedInContext) async throws -> WebhookInfo {
        let l = Labels(lang: context.language)
        guard WebhookRule.mayRegister(context.user) else { throw AppError.forbidden }
        let id = try context.id()
        guard let w = try await pages.store.webhook(id: id), visible(context.user).map({ $0.contains(w.regionCode) }) ?? true else {
            throw AppError.notFound(l.t("webhooks_title"))
        }
        return w
    }

    @Sendable func test(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await decodeForm(request, context)
        let w = try await own(context)
        let regions = try await pages.regionIndex()
        // Posted to this robot alone, whichever events it takes.
        try await pages.store.enqueueWebhooks(
            regionCodes: [w.regionCode], event: w.events.first ?? .round, eventKey: "test:\(w.id):\(Date.now.timeIntervalSince1970)",
            title: "协作平台测试消息", lines: ["- 本群已接入东西部协作平台（\(regions[w.regionCode]?.name ?? w.regionCode)）。", "- 发送人：\(context.user.username)"])
        return Response.redirect(to: "/webhooks?done=tested", type: .normal)
    }

    @Sendable func remove(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await decodeForm(request, context)
        let w = try await own(context)
        try await pages.store.deleteWebhook(id: w.id, actor: context.actor)
        return Response.redirect(to: "/webhooks?done=deleted", type: .normal)
    }
}
