/// A user's inbox: what waits now, each item read or not.
struct InboxOut: Codable, Sendable {
    struct Item: Codable, Sendable {
        let key: String
        let kind: String
        let title: String
        let detail: String
        let link: String
        let read: Bool
    }
    let unread: Int
    let items: [Item]
}
