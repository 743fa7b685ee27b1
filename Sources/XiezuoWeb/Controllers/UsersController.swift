import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The administrator's list of accounts, with who is locked out by the sign-in throttle and a button to lift it.
struct UsersController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/admin/users", use: list)
        router.post("/admin/users/:name/unlock", use: unlock)
    }

    func requireAdmin(_ context: SignedInContext) throws -> UserAccount {
        let user = context.user
        guard AccessRule.managesUsers(user) else { throw AppError.forbidden }
        return user
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try requireAdmin(context)
        let l = Labels(lang: context.language)
        var rows: [UserListPage.User] = []
        for u in try await pages.store.users() {
            let until = try await pages.store.lockedUntil("user:" + u.username)
            rows.append(
                .init(
                    username: u.username, role: u.role.rawValue, region: u.regionCode, state: u.state.rawValue,
                    lockedUntil: until?.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))))
        }
        return try await pages.render("users", title: l.t("users_title"), section: "", request, context, UserListPage(users: rows))
    }

    @Sendable func unlock(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try requireAdmin(context)
        _ = try await decodeForm(request, context)
        let name = context.parameters.get("name") ?? ""
        do { try await pages.store.unlock(username: name, actor: context.actor) } catch StoreError.notFound { throw AppError.notFound(name) }
        return Response.redirect(to: "/admin/users", type: .normal)
    }
}
