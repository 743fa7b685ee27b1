import SQLKit
import XiezuoDomain

extension Store {
    static func user(from r: any SQLRow) throws -> UserAccount {
        let code = try r.decode(column: "region_code", as: String.self)
        return UserAccount(
            id: try r.decode(column: "id", as: Int64.self), username: try r.decode(column: "username", as: String.self),
            role: Role(rawValue: try r.decode(column: "role", as: String.self)) ?? .viewer, regionCode: code,
            regionLevel: RegionLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .county,
            side: Side(rawValue: try r.decode(column: "side", as: String.self)) ?? .west,
            state: AccountState(rawValue: try r.decode(column: "state", as: String.self)) ?? .disabled,
            fullName: try r.decode(column: "full_name", as: String.self), unit: try r.decode(column: "unit", as: String.self),
            mustChangePassword: try r.decode(column: "must_change_password", as: Int.self) != 0)
    }

    static let userColumns: SQLQueryString = "SELECT u.*, r.level, r.side FROM users u JOIN regions r ON r.code = u.region_code"

    public func users() async throws -> [UserAccount] {
        try await backend.read { db in try await db.raw(Self.userColumns + " ORDER BY u.username").all().map(Self.user) }
    }

    public func user(username: String) async throws -> UserAccount? {
        try await backend.read { db in
            try await db.raw(Self.userColumns + " WHERE u.username = \(bind: username)").first().map(Self.user)
        }
    }

    /// Creates a user after checking the name, the role against its region's level and the region itself. The
    /// password arrives already hashed; it never reaches the audit trail.
    public func addUser(
        username: String, role: Role, regionCode: String, passwordHash: String, fullName: String = "", unit: String = "",
        mustChangePassword: Bool = false, actor: Actor
    ) async throws -> UserAccount {
        var issues = PasswordRule.usernameIssues(username)
        guard let region = try await region(code: regionCode) else {
            throw ValidationFailure(issues + [ValidationIssue(field: "region", key: "error.unknown_region")])
        }
        if !role.homeLevels.contains(region.level) { issues.append(ValidationIssue(field: "role", key: "error.role_level")) }
        if try await user(username: username) != nil { issues.append(ValidationIssue(field: "username", key: "error.user_exists")) }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return try await backend.write { db in
            let now = Self.now()
            try await db.raw(
                """
                INSERT INTO users (username, role, region_code, password_hash, state, created_at, updated_at, full_name, unit, must_change_password)
                VALUES (\(bind: username), \(bind: role.rawValue), \(bind: regionCode), \(bind: passwordHash), 'active', \(bind: now), \(bind: now),
                        \(bind: fullName), \(bind: unit), \(bind: mustChangePassword ? 1 : 0))
                """
            ).run()
            let saved = try await db.raw(Self.userColumns + " WHERE u.username = \(bind: username)").first().map(Self.user)!
            try await Self.audit(db, actor, entity: "user", id: username, action: "create", before: UserAccount?.none, after: saved)
            return saved
        }
    }

    public func setUserState(username: String, _ state: AccountState, actor: Actor) async throws {
        try await backend.write { db in
            guard let before = try await db.raw(Self.userColumns + " WHERE u.username = \(bind: username)").first().map(Self.user) else {
                throw StoreError.notFound
            }
            try await db.raw("UPDATE users SET state = \(bind: state.rawValue), updated_at = \(bind: Self.now()) WHERE username = \(bind: username)")
                .run()
            try await Self.endEverySession(db, userId: before.id, username: username)
            var after = before
            after.state = state
            try await Self.audit(db, actor, entity: "user", id: username, action: "state", before: before, after: after)
        }
    }

    /// `mustChange`: a password someone else chose (an administrator's reset), to be replaced at the next sign-in.
    public func setPasswordHash(username: String, _ hash: String, mustChange: Bool = false, actor: Actor) async throws {
        try await backend.write { db in
            guard let id = try await db.raw("SELECT id FROM users WHERE username = \(bind: username)").first()?.decode(column: "id", as: Int64.self)
            else {
                throw StoreError.notFound
            }
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = \(bind: mustChange ? 1 : 0), updated_at = \(bind: Self.now())
                WHERE username = \(bind: username)
                """
            ).run()
            // The old password's sessions and tokens end, and its lock (if any) is lifted.
            try await Self.endEverySession(db, userId: id, username: username)
            try await Self.audit(db, actor, entity: "user", id: username, action: "reset-password", before: String?.none, after: "(password changed)")
        }
    }

    public func passwordHash(username: String) async throws -> String? {
        try await backend.read { db in
            try await db.raw("SELECT password_hash FROM users WHERE username = \(bind: username)").first()?.decode(
                column: "password_hash", as: String.self)
        }
    }

    /// Changes who an account is and what it may do: name, unit, role and home region (checked as at creation).
    public func updateUser(
        username: String, role: Role, regionCode: String, fullName: String, unit: String, actor: Actor
    ) async throws
        -> UserAccount
    {
        guard let region = try await region(code: regionCode) else {
            throw ValidationFailure([ValidationIssue(field: "region", key: "error.unknown_region")])
        }
        guard role.homeLevels.contains(region.level) else { throw ValidationFailure([ValidationIssue(field: "role", key: "error.role_level")]) }
        return try await backend.write { db in
            guard let before = try await db.raw(Self.userColumns + " WHERE u.username = \(bind: username)").first().map(Self.user) else {
                throw StoreError.notFound
            }
            try await db.raw(
                """
                UPDATE users SET role = \(bind: role.rawValue), region_code = \(bind: regionCode), full_name = \(bind: fullName), unit = \(bind: unit),
                  updated_at = \(bind: Self.now()) WHERE username = \(bind: username)
                """
            ).run()
            let after = try await db.raw(Self.userColumns + " WHERE u.username = \(bind: username)").first().map(Self.user)!
            // A narrower or another scope takes effect now, not when the old sessions expire.
            if before.role != after.role || before.regionCode != after.regionCode {
                try await Self.endEverySession(db, userId: before.id, username: username)
            }
            try await Self.audit(db, actor, entity: "user", id: username, action: "update", before: before, after: after)
            return after
        }
    }
}
