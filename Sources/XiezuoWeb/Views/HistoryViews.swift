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
        let fullName: String
        let unit: String
        let role: String
        let region: String
        let state: String
        let stateCode: String
        /// Absent unless sign-in is locked for the account now.
        let lockedUntil: String?
    }
    let users: [User]
}

/// An account's page: create, or change its details, state and password.
struct UserFormPage: PageModel {
    /// The account's username; absent while creating.
    let account: String?
    let f: [String: FormField]
    let roles: [Option]
    let regions: [Option]
    /// Whether the account may sign in (absent while creating).
    let active: Bool?
    let lockedUntil: String?
    let mustChange: Bool
    let notice: String?
}

/// The signed-in user's own password: required before anything else after an administrator set it.
struct PasswordPage: PageModel {
    let required: Bool
    let f: [String: FormField]
}

/// The administrators' audit log: one row per recorded change, with the filters that selected them.
struct AuditLogPage: PageModel {
    struct Row: Sendable {
        let at: String
        let actor: String
        let address: String
        let entity: String
        let entityId: String
        let href: String?
        let action: String
    }
    let rows: [Row]
    let actor: String
    let from: String
    let to: String
    let entities: [Option]
    let scopes: [Option]
    let total: Int
    let exportHref: String
    let prev: String?
    let next: String?
    let pageInfo: String
}
