import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Each user's inbox: the page with unread counts, opening an item (marked read, then its page), everything marked
/// read at once, and the same as JSON.
struct InboxController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/inbox", use: page)
        router.get("/inbox/open", use: open)
        router.post("/inbox/read", use: readAll)
        router.get("/api/v1/inbox", use: api)
    }

    func items(_ context: SignedInContext) async throws -> (items: [InboxItem], read: Set<String>) {
        let items = try await InboxFeed.items(context, pages: pages, lang: context.language)
        let read = try await pages.store.inboxRead(username: context.user.username, keys: items.map(\.key))
        return (items, read)
    }

    @Sendable func page(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let (items, read) = try await items(context)
        let lines = items.map { i in
            InboxPage.Line(
                key: i.key, kind: i.kind.rawValue, kindName: l.t("inbox_kind_" + i.kind.rawValue), title: i.title, detail: i.detail,
                href: "/inbox/open?key=\(Self.encoded(i.key))&to=\(Self.encoded(i.link))", unread: !read.contains(i.key))
        }
        let unread = lines.filter(\.unread).count
        return try await pages.render(
            "inbox", title: l.t("inbox_title"), section: "inbox", request, context,
            InboxPage(unread: unread, hasUnread: unread > 0, lines: lines.filter(\.unread) + lines.filter { !$0.unread }))
    }

    /// Marks the item read and goes to its page (only a page of this site).
    @Sendable func open(_ request: Request, context: SignedInContext) async throws -> Response {
        guard let key = request.query("key"), !key.isEmpty, key.count <= 200 else { return Response.redirect(to: "/inbox", type: .normal) }
        // Only an item that is in the user's inbox now is marked: nobody fills another's (or their own) table at will.
        let (items, _) = try await items(context)
        guard let item = items.first(where: { $0.key == key }) else { return Response.redirect(to: "/inbox", type: .normal) }
        try await pages.store.markInboxRead(username: context.user.username, keys: [item.key])
        return Response.redirect(to: SafeRedirect.path(item.link, fallback: "/inbox"), type: .normal)
    }

    @Sendable func readAll(_ request: Request, context: SignedInContext) async throws -> Response {
        let (items, _) = try await items(context)
        try await pages.store.markInboxRead(username: context.user.username, keys: items.map(\.key))
        return Response.redirect(to: "/inbox", type: .normal)
    }

    @Sendable func api(_ request: Request, context: SignedInContext) async throws -> Response {
        let (items, read) = try await items(context)
        return jsonResponse(
            InboxOut(
                unread: items.filter { !read.contains($0.key) }.count,
                items: items.map {
                    .init(key: $0.key, kind: $0.kind.rawValue, title: $0.title, detail: $0.detail, link: $0.link, read: read.contains($0.key))
                }))
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
}
