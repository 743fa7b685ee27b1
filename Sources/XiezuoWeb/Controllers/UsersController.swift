import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// Accounts, managed by administrators in the browser: create (the person's name and unit, role, home region chosen
/// by name, a first password the user must replace), change role, region, name and unit, disable and enable, reset
/// the password, lift a sign-in lock. Every change is audited by the store.
struct UsersController {
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/admin/users", use: list)
        router.get("/admin/users/new", use: newForm)
        router.post("/admin/users", use: create)
        router.get("/admin/users/:name", use: show)
        router.post("/admin/users/:name", use: update)
        router.post("/admin/users/:name/state", use: setState)
        router.post("/admin/users/:name/password", use: resetPassword)
        router.post("/admin/users/:name/unlock", use: unlock)
    }

    func requireAdmin(_ context: SignedInContext) throws {
        guard AccessRule.managesUsers(context.user) else { throw AppError.forbidden }
    }

    /// Regions an account may have as its home: every level of the provinces the pairings join, by name.
    func regionOptions(selected: String) async throws -> [Option] {
        let regions = try await pages.regionIndex()
        let provinces = Set(try await pages.store.pairings().flatMap { [String($0.eastCode.prefix(2)), String($0.westCode.prefix(2))] })
        return regions.values.filter { $0.level <= .county && provinces.contains(String($0.code.prefix(2))) }
            .sorted { $0.code < $1.code }
            .map { Option(value: $0.code, label: Self.fullName($0, regions), selected: $0.code == selected) }
    }

    /// 贵州省 毕节市 纳雍县: a region with those above it, as the choice reads.
    static func fullName(_ r: Region, _ regions: [String: Region]) -> String {
        var names = [r.name]
        var parent = r.parentCode
        while let p = parent, let up = regions[p] {
            names.insert(up.name, at: 0)
            parent = up.parentCode
        }
        return names.joined(separator: " ")
    }

    static func roleOptions(_ selected: String, _ l: Labels) -> [Option] {
        Role.allCases.map { Option(value: $0.rawValue, label: l.t("role_" + $0.rawValue), selected: $0.rawValue == selected) }
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        let l = Labels(lang: context.language)
        let regions = try await pages.regionIndex()
        var rows: [UserListPage.User] = []
        for u in try await pages.store.users() {
            let until = try await pages.store.lockedUntil("user:" + u.username)
            rows.append(
                .init(
                    username: u.username, fullName: u.fullName, unit: u.unit, role: l.t("role_" + u.role.rawValue),
                    region: regions[u.regionCode].map { Self.fullName($0, regions) } ?? u.regionCode, state: l.t("account_" + u.state.rawValue),
                    stateCode: u.state.rawValue, lockedUntil: until.map { BeijingTime.minute($0) }))
        }
        return try await pages.render("users", title: l.t("users_title"), section: "", request, context, UserListPage(users: rows))
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        return try await form(nil, values: ["role": Role.countyReporter.rawValue], issues: [], request, context)
    }

    func form(
        _ user: UserAccount?, values: [String: String], issues: [ValidationIssue], _ request: Request, _ context: SignedInContext,
        status: HTTPResponse.Status = .ok, notice: String? = nil
    ) async throws -> Response {
        let l = Labels(lang: context.language)
        var v = ["username": "", "fullName": "", "unit": "", "role": "", "region": "", "password": ""]
        for (k, x) in values { v[k] = x }
        let until = try await user.asyncMap { try await pages.store.lockedUntil("user:" + $0.username) } ?? nil
        let model = UserFormPage(
            account: user?.username, f: FormState(values: v, issues: issues, lang: l.lang).fields,
            roles: Self.roleOptions(v["role"] ?? "", l), regions: try await regionOptions(selected: v["region"] ?? ""),
            active: user.map { $0.state == .active }, lockedUntil: until.map { BeijingTime.minute($0) },
            mustChange: user?.mustChangePassword ?? false, notice: notice)
        let title = user.map { l.t("user_edit", $0.username) } ?? l.t("user_new")
        return try await pages.render("user_form", title: title, section: "", request, context, model, status: status)
    }

    func account(_ context: SignedInContext) async throws -> UserAccount {
        let name = context.parameters.get("name") ?? ""
        guard let u = try await pages.store.user(username: name) else { throw AppError.notFound(name) }
        return u
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        let form = try await decodeForm(request, context)
        let username = (form["username"] ?? "").trimmingWhitespace()
        let password = form["password"] ?? ""
        var v = Validator()
        let fullName = v.text("fullName", form["fullName"], max: 50)
        let unit = v.text("unit", form["unit"], required: false, max: 100)
        let role = v.choice("role", form["role"], Role.self)
        let region = v.text("region", form["region"], max: 12)
        var issues = v.issues + PasswordRule.usernameIssues(username) + PasswordRule.check(password, username: username)
        let values = ["username": username, "fullName": fullName, "unit": unit, "role": form["role"] ?? "", "region": region]
        if issues.isEmpty, let role {
            do {
                _ = try await pages.store.addUser(
                    username: username, role: role, regionCode: region,
                    passwordHash: try await SessionController.hash(password, cost: pages.passwordCost),
                    fullName: fullName, unit: unit, mustChangePassword: true, actor: context.actor)
                return Response.redirect(to: "/admin/users/\(Self.pathSafe(username))?created=1", type: .normal)
            } catch let f as ValidationFailure { issues = f.issues }
        }
        return try await self.form(nil, values: values, issues: issues, request, context, status: .unprocessableContent)
    }

    static func pathSafe(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? s }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        let u = try await account(context)
        let l = Labels(lang: context.language)
        let notice = request.query("created") == "1" ? l.t("user_created") : request.query("saved").map { l.t("user_saved_" + $0) }
        return try await form(u, values: Self.values(u), issues: [], request, context, notice: notice)
    }

    static func values(_ u: UserAccount) -> [String: String] {
        ["username": u.username, "fullName": u.fullName, "unit": u.unit, "role": u.role.rawValue, "region": u.regionCode]
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        let u = try await account(context)
        let form = try await decodeForm(request, context)
        var v = Validator()
        let fullName = v.text("fullName", form["fullName"], max: 50)
        let unit = v.text("unit", form["unit"], required: false, max: 100)
        let role = v.choice("role", form["role"], Role.self)
        let region = v.text("region", form["region"], max: 12)
        var issues = v.issues
        // An administrator does not take away their own administration (someone else must).
        if u.username == context.user.username, role != .admin { issues.append(ValidationIssue(field: "role", key: "error.own_admin_role")) }
        if issues.isEmpty, let role {
            do {
                _ = try await pages.store.updateUser(
                    username: u.username, role: role, regionCode: region, fullName: fullName, unit: unit, actor: context.actor)
                return Response.redirect(to: "/admin/users/\(Self.pathSafe(u.username))?saved=details", type: .normal)
            } catch let f as ValidationFailure { issues = f.issues }
        }
        var values = Self.values(u)
        values.merge(["fullName": fullName, "unit": unit, "role": form["role"] ?? "", "region": region]) { _, new in new }
        return try await self.form(u, values: values, issues: issues, request, context, status: .unprocessableContent)
    }

    @Sendable func setState(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        let u = try await account(context)
        let form = try await decodeForm(request, context)
        guard let state = form["state"].flatMap(AccountState.init(rawValue:)) else { throw AppError.badFilter("state") }
        guard u.username != context.user.username else {
            return try await self.form(
                u, values: Self.values(u), issues: [ValidationIssue(field: "state", key: "error.own_account_state")], request, context,
                status: .unprocessableContent)
        }
        try await pages.store.setUserState(username: u.username, state, actor: context.actor)
        return Response.redirect(to: "/admin/users/\(Self.pathSafe(u.username))?saved=\(state.rawValue)", type: .normal)
    }

    @Sendable func resetPassword(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        let u = try await account(context)
        let form = try await decodeForm(request, context)
        let password = form["password"] ?? ""
        let issues = PasswordRule.check(password, username: u.username)
        guard issues.isEmpty else {
            return try await self.form(u, values: Self.values(u), issues: issues, request, context, status: .unprocessableContent)
        }
        try await pages.store.setPasswordHash(
            username: u.username, try await SessionController.hash(password, cost: pages.passwordCost), mustChange: true, actor: context.actor)
        return Response.redirect(to: "/admin/users/\(Self.pathSafe(u.username))?saved=password", type: .normal)
    }

    @Sendable func unlock(_ request: Request, context: SignedInContext) async throws -> Response {
        try requireAdmin(context)
        _ = try await decodeForm(request, context)
        let name = context.parameters.get("name") ?? ""
        do { try await pages.store.unlock(username: name, actor: context.actor) } catch StoreError.notFound { throw AppError.notFound(name) }
        let back = request.query("from") == "list" ? "/admin/users" : "/admin/users/\(Self.pathSafe(name))?saved=unlocked"
        return Response.redirect(to: back, type: .normal)
    }
}
