/// A user's inbox, unread first.
struct InboxPage: PageModel {
    struct Line: Sendable {
        let key: String
        let kind: String
        let kindName: String
        let title: String
        let detail: String
        let href: String
        let unread: Bool
    }
    let unread: Int
    let hasUnread: Bool
    let lines: [Line]
}
