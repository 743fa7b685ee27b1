// An object's history compared version by version, and the administrators' list of accounts.

struct HistoryPage: PageModel {
    struct Object: Sendable {
        let title: String
        let href: String
    }
    struct FieldChange: Sendable {
        let field: String
        let from: String
        let to: String
        let changed: Bool
    }
    let object: Object
    let fields: [FieldChange]
    let from: Int
    let to: Int
    let entries: [HistoryBlock.Entry]
    let fromOptions: [Option]
    let toOptions: [Option]
    let exportHref: String
}

struct UserListPage: PageModel {
    struct User: Sendable {
        let username: String
        let role: String
        let region: String
        let state: String
        /// Absent unless sign-in is locked for the account now.
        let lockedUntil: String?
    }
    let users: [User]
}
