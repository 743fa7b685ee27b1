import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdBcrypt
import XiezuoFormats
import XiezuoDomain
import XiezuoStore

/// Who is asking: the session cookie gives the user and its CSRF token. Everything but the sign-in page, health,
/// static files and the OpenAPI document needs a signed-in user; every state-changing form must carry the session's
/// CSRF token, and a state-changing API call with a cookie must be JSON (which a foreign page cannot send).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    static let cookieName = "xz_session"
    static let publicPaths: Set<String> = ["/login", "/setup", "/health", "/ready", "/metrics", "/api/v1/openapi.json", "/api/v1/session", "/static/app.css"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), request.uri.path.hasPrefix("/api/") {
            // Scripts: a personal token acts with its owner's rights; no cookie, so no CSRF exposure.
            context.user = try await store.userForAPIToken(String(auth.dropFirst(7)))
        } else if let token = request.cookies[Self.cookieName]?.value, let s = try await store.session(token: token) {
            context.user = s.user
            context.csrf = s.csrf
        }
        let path = request.uri.path
        if Self.publicPaths.contains(path) { return try await next(request, context) }
        guard context.user != nil else {
            if path.hasPrefix("/api/") {
                throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized")
            }
            if request.method == .get {
                let next = path + (request.uri.query.map { "?" + $0 } ?? "")
                return Response.redirect(to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"), type: .normal)
            }
            throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized")
        }
        var request = request
        if request.method != .get && request.method != .head {
            if path.hasPrefix("/api/") {
                let type = request.headers[.contentType] ?? ""
                if request.method != .delete && !type.hasPrefix("application/json") {
                    throw AppError(status: .unsupportedMediaType, code: "json_required", key: "error.json_required")
                }
            } else {
                // Buffer the form so the handler can still read it after the token is checked.
                let body: ByteBuffer
                do { body = try await request.collectBody(upTo: maxFormBody) }
                catch { throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(maxFormBody >> 20)]) }
                let sent: String?
                if let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") {
                    // A file upload carries the token as one of its fields.
                    sent = MultipartForm.parse(Data(buffer: body), boundary: boundary)?.field("_csrf")
                } else {
                    sent = parseForm(String(buffer: body))["_csrf"]
                }
                guard let sent, let expected = context.csrf, constantTimeEquals(sent, expected) else {
                    throw AppError(status: .forbidden, code: "csrf", key: "error.csrf")
                }
            }
        }
        return try await next(request, context)
    }
}

func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// Sign-in and sign-out, for the browser (form and cookie) and for scripts (JSON and cookie).
struct SessionController {
    let pages: Pages

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: loginForm)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.post("/api/v1/session", use: apiLogin)
        router.delete("/api/v1/session", use: apiLogout)
        router.get("/tokens", use: tokens)
        router.post("/tokens", use: createToken)
        router.post("/tokens/:id/revoke", use: revokeToken)
        router.get("/setup", use: setupForm)
        router.post("/setup", use: setup)
    }

    // MARK: personal API tokens

    func tokensPage(_ request: Request, _ context: AppRequestContext, newToken: String?) async throws -> Response {
        let l = Labels(lang: context.language)
        guard let user = context.user else { throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized") }
        let list = try await pages.store.apiTokens(userId: user.id).map {
            ["id": $0.id, "name": $0.name, "created": $0.createdAt, "used": $0.lastUsedAt ?? "", "revoked": $0.revoked] as [String: Any]
        }
        return try await pages.render("tokens", title: l.t("api_tokens"), section: "", request, context,
                                      present(["tokens": list, "newToken": newToken]))
    }

    @Sendable func tokens(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await tokensPage(request, context, newToken: nil)
    }

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user else { throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized") }
        let form = try await decodeForm(request, context)
        var v = Validator()
        let name = v.text("name", form["name"], max: 100)
        guard v.issues.isEmpty else { throw AppError.invalid(ValidationFailure(v.issues)) }
        let token = try await pages.store.createAPIToken(userId: user.id, name: name, actor: context.actor)
        return try await tokensPage(request, context, newToken: token)  // shown this once only
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user else { throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized") }
        let id = try parseID(context.parameters.get("id"))
        guard try await pages.store.revokeAPIToken(id: id, userId: user.id, actor: context.actor) else { throw AppError.notFound("token") }
        return Response.redirect(to: "/tokens", type: .normal)
    }

    // MARK: the first administrator

    @Sendable func setupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        guard try await !pages.store.hasAdministrator() else { throw AppError.notFound(l.t("setup")) }
        return try await pages.render("setup", title: l.t("setup"), section: "", request, context,
                                      ["token": request.query("token") ?? "", "f": FormState(values: ["username": "", "region": "520000"], issues: [], lang: l.lang).data])
    }

    @Sendable func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let form = try await decodeForm(request, context)
        let username = (form["username"] ?? "").trimmingWhitespace(), region = (form["region"] ?? "").trimmingWhitespace()
        let issues = PasswordRule.usernameIssues(username) + PasswordRule.check(form["password"] ?? "", username: username)
        func again(_ issues: [ValidationIssue], _ status: HTTPResponse.Status) async throws -> Response {
            try await pages.render("setup", title: l.t("setup"), section: "", request, context,
                                   ["token": form["token"] ?? "", "f": FormState(values: ["username": username, "region": region, "password": ""],
                                                                                  issues: issues, lang: l.lang).data], status: status)
        }
        guard issues.isEmpty else { return try await again(issues, .unprocessableContent) }
        let created: UserAccount?
        do {
            created = try await pages.store.useSetupToken(form["token"] ?? "", username: username, regionCode: region,
                                                          passwordHash: Bcrypt.hash(form["password"] ?? "", cost: pages.passwordCost),
                                                          actor: Actor(name: "setup", address: context.remoteAddress))
        } catch let f as ValidationFailure { return try await again(f.issues, .unprocessableContent) }
        guard let user = created else { throw AppError(status: .forbidden, code: "setup", key: "error.setup_token") }
        let s = try await pages.store.createSession(userId: user.id, address: context.remoteAddress)
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(sessionCookie(s.token, request))
        return response
    }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, username: "", message: nil)
    }

    func page(_ request: Request, _ context: AppRequestContext, username: String, message: String?,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let l = Labels(lang: context.language)
        let next = request.query("next").flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
        return try await pages.render("login", title: l.t("login"), section: "", request, context,
                                      present(["username": username, "message": message, "next": next]), status: status)
    }

    enum Outcome { case ok(UserAccount), wrong, locked(Date) }

    /// Checks a password with the throttle around it: a locked account or address is refused without checking,
    /// failures are counted for both, and each failure past the third waits a second before answering.
    func authenticate(_ username: String, _ password: String, address: String?) async throws -> Outcome {
        let keys = ["user:" + username] + (address.map { ["ip:" + $0] } ?? [])
        for k in keys { if let until = try await pages.store.lockedUntil(k) { return .locked(until) } }
        let hash = try await pages.store.passwordHash(username: username)
        // Verify against a fixed hash when the user does not exist, so timing does not tell which names exist.
        let ok = Bcrypt.verify(password, hash: hash ?? "$2b$04$abcdefghijklmnopqrstuuN1R0bJ7Cw1d3kY5mJ0c9cQp5N2Yhqz6")
        if ok, hash != nil, let user = try await pages.store.user(username: username), user.state == .active {
            try await pages.store.clearLoginFailures(keys)
            return .ok(user)
        }
        try await pages.store.recordLoginFailure(keys)
        try await Task.sleep(for: .milliseconds(300))
        return .wrong
    }

    func sessionCookie(_ token: String, _ request: Request) -> Cookie {
        let tls = request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
        return Cookie(name: AuthMiddleware.cookieName, value: token, path: "/", secure: tls, httpOnly: true, sameSite: .lax)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let form = try await decodeForm(request, context)
        let username = (form["username"] ?? "").trimmingWhitespace()
        switch try await authenticate(username, form["password"] ?? "", address: context.remoteAddress) {
        case .locked(let until):
            let minutes = max(1, Int(until.timeIntervalSinceNow / 60) + 1)
            return try await page(request, context, username: username, message: l.t("error.locked", String(minutes)), status: .tooManyRequests)
        case .wrong:
            return try await page(request, context, username: username, message: l.t("error.login"), status: .unauthorized)
        case .ok(let user):
            // A new session id at every sign-in; any session the browser had is ended.
            if let old = request.cookies[AuthMiddleware.cookieName]?.value { try await pages.store.endSession(token: old) }
            let s = try await pages.store.createSession(userId: user.id, address: context.remoteAddress)
            let next = form["next"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
            var response = Response.redirect(to: next, type: .normal)
            response.setCookie(sessionCookie(s.token, request))
            return response
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value { try await pages.store.endSession(token: token) }
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    struct Credentials: Decodable { var username: String?; var password: String? }

    @Sendable func apiLogin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try await decodeJSON(Credentials.self, request, context)
        switch try await authenticate(c.username ?? "", c.password ?? "", address: context.remoteAddress) {
        case .locked: throw AppError(status: .tooManyRequests, code: "locked", key: "error.locked", params: ["15"])
        case .wrong: throw AppError(status: .unauthorized, code: "unauthorized", key: "error.login")
        case .ok(let user):
            let s = try await pages.store.createSession(userId: user.id, address: context.remoteAddress)
            var response = jsonResponse(["username": user.username, "role": user.role.rawValue, "regionCode": user.regionCode])
            response.setCookie(sessionCookie(s.token, request))
            return response
        }
    }

    @Sendable func apiLogout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value { try await pages.store.endSession(token: token) }
        return Response(status: .noContent)
    }
}
