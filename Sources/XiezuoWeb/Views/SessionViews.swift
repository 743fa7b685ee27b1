// Signing in, the first administrator's setup, and personal API tokens.

struct LoginPage: PageModel {
    let username: String
    let message: String?
    /// Where to go after signing in (a local path).
    let next: String?
    let loginToken: String
}

struct SetupPage: PageModel {
    let token: String
    let f: [String: FormField]
}

struct TokensPage: PageModel {
    struct Token: Sendable {
        let id: Int64
        let name: String
        let created: String
        let used: String
        let expires: String
        let revoked: Bool
    }
    let tokens: [Token]
    /// Shown once, right after it was made.
    let newToken: String?
}
