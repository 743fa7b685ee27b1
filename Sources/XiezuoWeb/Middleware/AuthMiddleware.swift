import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// Who is asking: the session cookie gives the user and its CSRF token. Everything but the sign-in page, health,
/// static files and the OpenAPI document needs a signed-in user; every state-changing form must carry the session's
/// CSRF token, and a state-changing API call with a cookie must be JSON (which a foreign page cannot send).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    let clock: ChinaClock
    /// Evidence uploads may be larger than any other form (the deployment's limit).
    var attachmentLimit = maxFormBody
    static let cookieName = "xz_session"
    static let publicPaths: Set<String> = [
        "/login", "/setup", "/health", "/ready", "/metrics", "/api/v1/openapi.json", "/api/v1/session", "/static/app.css",
    ]
    /// What a user whose password must be changed may still reach.
    static let whileChangingPassword: Set<String> = ["/account/password", "/logout", "/api/v1/session"]
    /// Public routes that never look at who is asking: no session is read for them, whatever cookie comes along.
    /// (The public portal's too: it shows the same to everyone, signed in or not.)
    static let anonymousPaths: Set<String> = Set(
        ["/health", "/ready", "/metrics", "/api/v1/openapi.json", "/static/app.css"] + PublicController.paths)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.anonymousPaths.contains(request.uri.path) { return try await next(request, context) }
        var context = context
        var signedIn: SessionInfo?
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), request.uri.path.hasPrefix("/api/") {
            // Scripts: a personal token acts with its owner's rights; no cookie, so no CSRF exposure.
            signedIn = try await store.apiTokenSession(String(auth.dropFirst(7)))
        } else if let token = request.cookies[Self.cookieName]?.value {
            signedIn = try await store.session(token: token)
        }
        context.user = signedIn?.user
        context.csrf = signedIn?.csrf
        context.dataVersion = signedIn?.dataVersion
        // The user's rights, settled once for the whole request: every handler reads these, none recomputes them.
        let today = clock.today()
        context.today = today
        if let s = signedIn {
            context.access = Access(user: s.user, pairings: try await store.pairings(referenceVersion: s.referenceVersion), year: today.year)
        }
        let path = request.uri.path
        if Self.publicPaths.contains(path) { return try await next(request, context) }
        guard context.user != nil else {
            if path.hasPrefix("/api/") {
                throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized")
            }
            if request.method == .get {
                let next = path + (request.uri.query.map { "?" + $0 } ?? "")
                return Response.redirect(
                    to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"), type: .normal)
            }
            throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized")
        }
        // A password an administrator set is replaced before anything else is done with it.
        if context.user?.mustChangePassword == true, !Self.whileChangingPassword.contains(path) {
            if request.method == .get && !path.hasPrefix("/api/") { return Response.redirect(to: "/account/password", type: .normal) }
            throw AppError(status: .forbidden, code: "password_change_required", key: "error.must_change_password")
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
                // An evidence upload: the file's own limit, and room for the form around it.
                let evidence = path == "/attachments"
                let limit = evidence ? max(maxFormBody, attachmentLimit + (1 << 20)) : maxFormBody
                do { body = try await request.collectBody(upTo: limit) } catch {
                    let said = evidence ? attachmentLimit : limit
                    throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(said >> 20)])
                }
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
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}
