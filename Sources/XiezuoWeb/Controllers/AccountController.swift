import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The signed-in user's own password. After an administrator has set it (a new account, a reset), every page leads
/// here until the user has chosen one only they know (AuthMiddleware).
struct AccountController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/account/password", use: form)
        router.post("/account/password", use: change)
    }

    func page(
        _ issues: [ValidationIssue], _ request: Request, _ context: SignedInContext, status: HTTPResponse.Status = .ok
    ) async throws
        -> Response
    {
        let l = Labels(lang: context.language)
        let model = PasswordPage(
            required: context.user.mustChangePassword,
            f: FormState(values: ["current": "", "password": "", "repeat": ""], issues: issues, lang: l.lang).fields)
        return try await pages.render("account_password", title: l.t("change_password"), section: "", request, context, model, status: status)
    }

    @Sendable func form(_ request: Request, context: SignedInContext) async throws -> Response {
        try await page([], request, context)
    }

    @Sendable func change(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = try await decodeForm(request, context)
        let user = context.user
        let password = form["password"] ?? ""
        var issues = PasswordRule.check(password, username: user.username)
        if password != (form["repeat"] ?? "") { issues.append(ValidationIssue(field: "repeat", key: "error.password_repeat")) }
        let hash = try await pages.store.passwordHash(username: user.username) ?? ""
        if try await !SessionController.verify(form["current"] ?? "", hash: hash) {
            issues.append(ValidationIssue(field: "current", key: "error.password_current"))
        } else if try await SessionController.verify(password, hash: hash) {
            issues.append(ValidationIssue(field: "password", key: "error.password_same"))
        }
        guard issues.isEmpty else { return try await page(issues, request, context, status: .unprocessableContent) }
        try await pages.store.setPasswordHash(
            username: user.username, try await SessionController.hash(password, cost: pages.passwordCost), mustChange: false,
            actor: context.actor)
        // Every session ended with the old password (another device's too); this browser goes on in a new one.
        let s = try await pages.store.createSession(userId: user.id, address: context.clientAddress)
        var response = Response.redirect(to: "/workbench", type: .normal)
        response.setCookie(SessionController.sessionCookie(s.token, request))
        return response
    }
}
