import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import XiezuoDomain
import XiezuoStore

/// Sign-in and sign-out, for the browser (form and cookie) and for scripts (JSON and cookie); personal API tokens;
/// the first administrator's setup.
struct SessionController {
    let pages: Pages
    /// A hash of the real cost for names that do not exist, so a wrong name costs what a wrong password costs.
    let dummyHash: String

    init(pages: Pages) {
        self.pages = pages
        dummyHash = Bcrypt.hash(SessionController.randomText(), cost: pages.passwordCost)
    }

    static func randomText() -> String { (0..<24).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined() }

    /// The double-submit cookie that ties a sign-in form to the browser that loaded it.
    static let loginCookie = "xz_login"

    func addRoutes(public router: Router<AppRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get("/login", use: loginForm)
        router.post("/login", use: login)
        router.post("/api/v1/session", use: apiLogin)
        router.delete("/api/v1/session", use: apiLogout)
        router.get("/setup", use: setupForm)
        router.post("/setup", use: setup)
        signedIn.post("/logout", use: logout)
        signedIn.get("/tokens", use: tokens)
        signedIn.post("/tokens", use: createToken)
        signedIn.post("/tokens/:id/revoke", use: revokeToken)
    }

    // MARK: bcrypt, off the request's executor

    /// bcrypt takes a quarter of a second at cost 12: it runs on NIO's blocking-work pool, never on the threads
    /// that serve requests, so sixteen sign-ins at once do not stall `/health`.
    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    // MARK: personal API tokens

    func tokensPage(_ request: Request, _ context: SignedInContext, newToken: String?) async throws -> Response {
        let l = Labels(lang: context.language)
        let user = context.user
        let list = try await pages.store.apiTokens(userId: user.id).map {
            TokensPage.Token(
                id: $0.id, name: $0.name, created: $0.createdAt, used: $0.lastUsedAt ?? l.t("never"),
                expires: $0.expiresAt ?? l.t("never"), revoked: $0.revoked)
        }
        return try await pages.render("tokens", title: l.t("api_tokens"), section: "", request, context, TokensPage(tokens: list, newToken: newToken))
    }

    @Sendable func tokens(_ request: Request, context: SignedInContext) async throws -> Response {
        try await tokensPage(request, context, newToken: nil)
    }

    @Sendable func createToken(_ request: Request, context: SignedInContext) async throws -> Response {
        let user = context.user
        let form = try await decodeForm(request, context)
        var v = Validator()
        let name = v.text("name", form["name"], max: 100)
        // "" (never), or a number of days.
        let days = (form["days"] ?? "").trimmingWhitespace()
        var expires: Date?
        if !days.isEmpty {
            if let n = Int(days), (1...3650).contains(n) {
                expires = Date().addingTimeInterval(Double(n) * 86_400)
            } else {
                v.fail("days", "error.integer")
            }
        }
        guard v.issues.isEmpty else { throw AppError.invalid(ValidationFailure(v.issues)) }
        let token = try await pages.store.createAPIToken(userId: user.id, name: name, expiresAt: expires, actor: context.actor)
        return try await tokensPage(request, context, newToken: token)  // shown this once only
    }

    @Sendable func revokeToken(_ request: Request, context: SignedInContext) async throws -> Response {
        let user = context.user
        let id = try parseID(context.parameters.get("id"))
        guard try await pages.store.revokeAPIToken(id: id, userId: user.id, actor: context.actor) else { throw AppError.notFound("token") }
        return Response.redirect(to: "/tokens", type: .normal)
    }

    // MARK: the first administrator

    @Sendable func setupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        guard try await !pages.store.hasAdministrator() else { throw AppError.notFound(l.t("setup")) }
        return try await pages.render(
            "setup", title: l.t("setup"), section: "", request, context,
            SetupPage(
                token: request.query("token") ?? "", f: FormState(values: ["username": "", "region": "520000"], issues: [], lang: l.lang).fields))
    }

    @Sendable func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        // Gone once an administrator exists; the token is checked before anything costly is done.
        guard try await !pages.store.hasAdministrator() else { throw AppError.notFound(l.t("setup")) }
        let form = try await decodeForm(request, context)
        guard try await pages.store.setupTokenIsValid(form["token"] ?? "") else {
            throw AppError(status: .forbidden, code: "setup", key: "error.setup_token")
        }
        let username = (form["username"] ?? "").trimmingWhitespace()
        let region = (form["region"] ?? "").trimmingWhitespace()
        let issues = PasswordRule.usernameIssues(username) + PasswordRule.check(form["password"] ?? "", username: username)
        func again(_ issues: [ValidationIssue], _ status: HTTPResponse.Status) async throws -> Response {
            try await pages.render(
                "setup", title: l.t("setup"), section: "", request, context,
                SetupPage(
                    token: form["token"] ?? "",
                    f: FormState(values: ["username": username, "region": region, "password": ""], issues: issues, lang: l.lang).fields),
                status: status)
        }
        guard issues.isEmpty else { return try await again(issues, .unprocessableContent) }
        let created: UserAccount?
        do {
            created = try await pages.store.useSetupToken(
                form["token"] ?? "", username: username, regionCode: region,
                passwordHash: try await Self.hash(form["password"] ?? "", cost: pages.passwordCost),
                actor: Actor(name: "setup", address: context.clientAddress))
        } catch let f as ValidationFailure { return try await again(f.issues, .unprocessableContent) }
        guard let user = created else { throw AppError(status: .forbidden, code: "setup", key: "error.setup_token") }
        let s = try await pages.store.createSession(userId: user.id, address: context.clientAddress)
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(Self.sessionCookie(s.token, request))
        return response
    }

    // MARK: signing in

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, username: "", message: nil)
    }

    func page(
        _ request: Request, _ context: AppRequestContext, username: String, message: String?, next: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        let next = SafeRedirect.path(next ?? request.query("next"))
        // The form's token, also set as a cookie: a sign-in posted from another site carries neither.
        let token = request.cookies[Self.loginCookie]?.value.nilIfEmpty ?? Self.randomText()
        var response = try await pages.render(
            "login", title: l.t("login"), section: "", request, context,
            LoginPage(username: username, message: message, next: next, loginToken: token),
            status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/", secure: Self.isTLS(request), httpOnly: true, sameSite: .strict))
        return response
    }

    enum Outcome {
        case ok(UserAccount)
        case wrong(remaining: Int)
        case locked(Date)
    }

    /// Checks a password with the throttle around it. The attempt is claimed (and counted) before the password is
    /// checked, for the account and for the client address, so parallel guesses check at most the limit.
    func authenticate(_ username: String, _ password: String, address: String?) async throws -> Outcome {
        let store = pages.store
        let account = try await store.claimSignInAttempt("user:" + username, limit: Store.maxFailures, growing: true)
        guard case .allowed(let remaining, _) = account else {
            if case .locked(let until) = account { return .locked(until) }
            return .locked(Date())
        }
        if let address, case .locked(let until) = try await store.claimSignInAttempt("ip:" + address, limit: Store.maxAddressFailures, growing: false)
        {
            return .locked(until)
        }
        let hash = try await store.passwordHash(username: username)
        // Unknown names are checked against a hash of the same cost, so timing does not tell which names exist.
        let ok = try await Self.verify(password, hash: hash ?? dummyHash)
        if ok, hash != nil, let user = try await store.user(username: username), user.state == .active {
            try await store.clearLoginFailures(["user:" + username])
            if let address { try await store.forgiveSignInAttempt("ip:" + address, limit: Store.maxAddressFailures) }
            return .ok(user)
        }
        return remaining == 0 ? .locked(Date().addingTimeInterval(60)) : .wrong(remaining: remaining)
    }

    static func isTLS(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
    }

    static func sessionCookie(_ token: String, _ request: Request) -> Cookie {
        Cookie(name: AuthMiddleware.cookieName, value: token, path: "/", secure: Self.isTLS(request), httpOnly: true, sameSite: .lax)
    }

    static func minutes(until: Date) -> String { String(max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))) }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let form = try await decodeForm(request, context)
        let username = (form["username"] ?? "").trimmingWhitespace()
        guard let sent = form["_login"], let cookie = request.cookies[Self.loginCookie]?.value, !cookie.isEmpty,
            constantTimeEquals(sent, cookie)
        else {
            return try await page(request, context, username: username, message: l.t("error.login_form"), next: form["next"], status: .forbidden)
        }
        switch try await authenticate(username, form["password"] ?? "", address: context.clientAddress) {
        case .locked(let until):
            return try await page(
                request, context, username: username, message: l.t("error.locked", Self.minutes(until: until)),
                next: form["next"], status: .tooManyRequests)
        case .wrong(let remaining):
            return try await page(
                request, context, username: username, message: l.t("error.login_remaining", String(remaining)),
                next: form["next"], status: .unauthorized)
        case .ok(let user):
            // A new session id at every sign-in; any session the browser had is ended.
            if let old = request.cookies[AuthMiddleware.cookieName]?.value { try await pages.store.endSession(token: old) }
            let s = try await pages.store.createSession(userId: user.id, address: context.clientAddress)
            // Where the user was going, else its own start page.
            let next = SafeRedirect.path(form["next"], fallback: "/workbench")
            var response = Response.redirect(to: next, type: .normal)
            response.setCookie(Self.sessionCookie(s.token, request))
            response.setCookie(Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    @Sendable func logout(_ request: Request, context: SignedInContext) async throws -> Response {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value { try await pages.store.endSession(token: token) }
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    struct Credentials: Decodable {
        var username: String?
        var password: String?
    }

    @Sendable func apiLogin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try await decodeJSON(Credentials.self, request, context)
        switch try await authenticate(c.username ?? "", c.password ?? "", address: context.clientAddress) {
        case .locked(let until): throw AppError(status: .tooManyRequests, code: "locked", key: "error.locked", params: [Self.minutes(until: until)])
        case .wrong(let remaining):
            throw AppError(status: .unauthorized, code: "unauthorized", key: "error.login_remaining", params: [String(remaining)])
        case .ok(let user):
            let s = try await pages.store.createSession(userId: user.id, address: context.clientAddress)
            var response = jsonResponse(SessionOut(username: user.username, role: user.role.rawValue, regionCode: user.regionCode))
            response.setCookie(Self.sessionCookie(s.token, request))
            return response
        }
    }

    @Sendable func apiLogout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value { try await pages.store.endSession(token: token) }
        return Response(status: .noContent)
    }
}

/// Who signed in through the API.
struct SessionOut: Codable, Sendable {
    let username: String
    let role: String
    let regionCode: String
}
