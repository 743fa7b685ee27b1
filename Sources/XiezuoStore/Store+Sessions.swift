import Crypto
import Foundation
import SQLKit
import XiezuoDomain

/// Who a request comes from: the user, the session's CSRF token (none for a personal token) and the version of the
/// regions and pairings when the user was read, so the pairings can be taken from memory while they are current.
public struct SessionInfo: Sendable {
    public var user: UserAccount
    public var csrf: String?
    public var referenceVersion: String?
    /// The data's version when the user was read (DataVersion.swift).
    public var dataVersion: Int64?
}

extension Store {
    /// Sessions end after 30 idle minutes, and 12 hours after sign-in whatever happens.
    public static let idleTimeout: TimeInterval = 30 * 60
    public static let absoluteTimeout: TimeInterval = 12 * 3600
    /// Sign-in throttle: an account is locked after `maxFailures` wrong passwords within `failureWindow`, first
    /// for a minute, then for longer at each further failure (up to `lockDuration`); a client address only after
    /// `maxAddressFailures` (an office behind one proxy is many people). Failures older than the window are forgotten.
    public static let maxFailures = 5
    public static let maxAddressFailures = 50
    public static let lockDuration: TimeInterval = 15 * 60
    public static let failureWindow: TimeInterval = 30 * 60

    static func lockSeconds(failures n: Int, limit: Int, growing: Bool) -> TimeInterval? {
        guard n >= limit else { return nil }
        guard growing else { return lockDuration }
        return min(lockDuration, 60 * pow(2, Double(min(n - limit, 8))))
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return hexString((0..<32).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    static func hashToken(_ token: String) -> String {
        hexString(SHA256.hash(data: Data(token.utf8)))
    }

    static func iso(_ d: Date) -> String { d.ISO8601Format() }
    /// A stored time. The form this program writes (`2024-05-01T08:30:00Z`) is read digit by digit — every request reads
    /// two of them, and Foundation's parser was a tenth of a kept answer's time; anything else goes to Foundation.
    static func date(_ s: String) -> Date? {
        let u = Array(s.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            var n = 0
            for i in from..<(from + count) {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                n = n * 10 + Int(u[i] - 0x30)
            }
            return n
        }
        guard u.count == 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[19] == 0x5A,
            let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2), let h = digits(11, 2), let mi = digits(14, 2),
            let sec = digits(17, 2), (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, sec < 60
        else { return try? Date(s, strategy: .iso8601) }
        // Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3600 + mi * 60 + sec))
    }

    /// Starts a session and returns its token (only the cookie holds it) and CSRF token.
    public func createSession(userId: Int64, address: String?) async throws -> (token: String, csrf: String) {
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        try await backend.atomic { db in
            let now = Self.now()
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, address)
                VALUES (\(bind: Self.hashToken(token)), \(bind: userId), \(bind: csrf), \(bind: now), \(bind: now), \(bind: address))
                """
            ).run()
        }
        return (token, csrf)
    }

    /// The reference data's version read beside the user, in the same statement.
    static let referenceVersionColumn: SQLQueryString =
        "(SELECT value FROM app_meta WHERE key = 'regions_version') AS reference_version"

    /// The signed-in user of a token, if the session is alive and the account active; expired sessions are removed.
    /// One statement reads the session and its user as they are now, on every request and every instance: signing
    /// out, a password reset, disabling, a new role or region end the sessions they concern, so they take effect on
    /// the next request wherever it lands.
    public func session(token: String, now: Date = Date()) async throws -> SessionInfo? {
        let hash = Self.hashToken(token)
        guard
            let row = try await backend.read({ db in
                try await db.raw(
                    """
                    SELECT s.csrf, s.created_at, s.last_seen_at, u.*, r.level, r.side, \(Self.referenceVersionColumn), \(DataVersion.column)
                    FROM sessions s JOIN users u ON u.id = s.user_id JOIN regions r ON r.code = u.region_code
                    WHERE s.token_hash = \(bind: hash)
                    """
                ).first()
            })
        else { return nil }
        let created = Self.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast
        let seen = Self.date(try row.decode(column: "last_seen_at", as: String.self)) ?? .distantPast
        if now.timeIntervalSince(created) > Self.absoluteTimeout || now.timeIntervalSince(seen) > Self.idleTimeout {
            try await endSession(token: token)
            return nil
        }
        let user = try Self.user(from: row)
        guard user.state == .active else { return nil }
        if now.timeIntervalSince(seen) > 60 {  // note activity at most once a minute
            try await backend.atomic { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: Self.iso(now)) WHERE token_hash = \(bind: hash)").run()
            }
        }
        return SessionInfo(
            user: user, csrf: try row.decode(column: "csrf", as: String.self),
            referenceVersion: try row.decode(column: "reference_version", as: String?.self),
            dataVersion: try row.decode(column: "data_version", as: Int64?.self))
    }

    public func endSession(token: String) async throws {
        try await backend.atomic { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.hashToken(token))").run()
        }
    }

    /// Claims one sign-in attempt for a key before the password is checked, in one atomic statement: a locked key
    /// gets `.locked`; otherwise the attempt is counted as a failure at once (the success that may follow clears it),
    /// so parallel guesses can never check more passwords than the limit.
    public func claimSignInAttempt(_ key: String, limit: Int, growing: Bool, now: Date = Date()) async throws -> SignInAttempt {
        let token = Self.randomToken()
        let nowText = Self.iso(now)
        let stale = Self.iso(now.addingTimeInterval(-Self.failureWindow))
        // The count this attempt makes, computed from the row as it stands under its lock.
        let wasLocked: SQLQueryString = "login_throttle.locked_until > \(bind: nowText)"
        let count: SQLQueryString = """
            (CASE WHEN login_throttle.last_failure_at IS NULL OR login_throttle.last_failure_at < \(bind: stale) THEN 1
                  ELSE login_throttle.failures + 1 END)
            """
        var lock: SQLQueryString = "CASE"
        for n in stride(from: limit + 8, through: limit, by: -1) {
            let until = Self.iso(now.addingTimeInterval(Self.lockSeconds(failures: n, limit: limit, growing: growing)!))
            lock += n == limit + 8 ? " WHEN \(count) >= \(literal: n) THEN \(bind: until)" : " WHEN \(count) = \(literal: n) THEN \(bind: until)"
        }
        lock += " ELSE NULL END"
        let lockUntil = lock
        let first = Self.lockSeconds(failures: 1, limit: limit, growing: growing).map { Self.iso(now.addingTimeInterval($0)) }
        let row = try await backend.atomic { db in
            try await db.raw(
                """
                INSERT INTO login_throttle (key, failures, locked_until, last_failure_at, attempt)
                VALUES (\(bind: key), 1, \(bind: first), \(bind: nowText), \(bind: token))
                ON CONFLICT (key) DO UPDATE SET
                  failures = CASE WHEN \(wasLocked) THEN login_throttle.failures ELSE \(count) END,
                  locked_until = CASE WHEN \(wasLocked) THEN login_throttle.locked_until ELSE \(lockUntil) END,
                  last_failure_at = CASE WHEN \(wasLocked) THEN login_throttle.last_failure_at ELSE \(bind: nowText) END,
                  attempt = CASE WHEN \(wasLocked) THEN login_throttle.attempt ELSE \(bind: token) END
                RETURNING failures, locked_until, attempt
                """
            ).first()
        }
        guard let row else { throw StoreError.notFound }
        let failures = try row.decode(column: "failures", as: Int.self)
        let until = try row.decode(column: "locked_until", as: String?.self).flatMap(Self.date)
        guard try row.decode(column: "attempt", as: String?.self) == token else { return .locked(until: until ?? now) }
        return .allowed(remainingAfterFailure: max(0, limit - failures), lockedIfWrong: until)
    }

    /// A successful sign-in takes back the one failure its claim counted for a shared key (the client's address):
    /// an office behind one address signs in all day without locking itself out, while every wrong password still
    /// counts. A lock that count set is lifted when the count falls under the limit again.
    public func forgiveSignInAttempt(_ key: String, limit: Int) async throws {
        try await backend.atomic { db in
            try await db.raw(
                """
                UPDATE login_throttle SET failures = failures - 1,
                  locked_until = CASE WHEN failures - 1 < \(bind: limit) THEN NULL ELSE locked_until END
                WHERE key = \(bind: key) AND failures > 0
                """
            ).run()
        }
    }

    /// A successful sign-in forgets the account's failures.
    public func clearLoginFailures(_ keys: [String]) async throws {
        try await backend.atomic { db in
            for key in keys { try await db.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run() }
        }
    }

    /// Until when a key is locked, if it is (for the administrator's view).
    public func lockedUntil(_ key: String, now: Date = Date()) async throws -> Date? {
        try await backend.read { db in
            guard
                let s = try await db.raw("SELECT locked_until FROM login_throttle WHERE key = \(bind: key)").first()?
                    .decode(column: "locked_until", as: String?.self), let d = Self.date(s), d > now
            else { return nil }
            return d
        }
    }

    /// Ends every session and personal token of a user (password reset, disabling, a new role or region): the
    /// change takes effect on the user's next request, on every instance.
    static func endEverySession(_ db: any SQLDatabase, userId: Int64, username: String) async throws {
        try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId)").run()
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: now()) WHERE user_id = \(bind: userId) AND revoked_at IS NULL").run()
        try await db.raw("DELETE FROM login_throttle WHERE key = \(bind: "user:" + username)").run()
    }

    /// Lifts a sign-in lock (an administrator's act, audited).
    public func unlock(username: String, actor: Actor) async throws {
        try await backend.write { db in
            guard try await db.raw("SELECT id FROM users WHERE username = \(bind: username)").first() != nil else { throw StoreError.notFound }
            try await db.raw("DELETE FROM login_throttle WHERE key = \(bind: "user:" + username)").run()
            try await Self.audit(db, actor, entity: "user", id: username, action: "unlock", before: ["locked": true], after: ["locked": false])
        }
    }
}

/// What the throttle says of one sign-in attempt.
public enum SignInAttempt: Sendable, Equatable {
    /// Check the password; if it is wrong, this many attempts remain (and the key is locked until then, if at all).
    case allowed(remainingAfterFailure: Int, lockedIfWrong: Date?)
    case locked(until: Date)
}

extension Store {
    public func hasAdministrator() async throws -> Bool {
        try await backend.read { db in
            try await db.raw("SELECT 1 AS x FROM users WHERE role = 'admin' AND state = 'active'").first() != nil
        }
    }

    /// A fresh one-time setup token for creating the first administrator (only its hash is kept; a new token
    /// replaces any earlier one). nil when an administrator exists.
    public func createSetupToken() async throws -> String? {
        guard try await !hasAdministrator() else { return nil }
        let token = Self.randomToken()
        try await backend.write { db in
            try await db.raw(
                """
                INSERT INTO app_meta (key, value) VALUES ('setup_token', \(bind: Self.hashToken(token)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """
            ).run()
        }
        return token
    }

    /// Creates the first administrator if the token is the current one and no administrator exists; the token is
    /// spent in the same transaction.
    /// Whether `token` is the current setup token and no administrator exists yet (checked before any hashing).
    public func setupTokenIsValid(_ token: String) async throws -> Bool {
        let valid = try await backend.read { db in
            try await db.raw("SELECT value FROM app_meta WHERE key = 'setup_token'").first()?.decode(column: "value", as: String.self)
        }
        guard let valid, constantTime(valid, Self.hashToken(token)) else { return false }
        return try await !hasAdministrator()
    }

    public func useSetupToken(
        _ token: String, username: String, regionCode: String, passwordHash: String,
        actor: Actor
    ) async throws -> UserAccount? {
        guard try await setupTokenIsValid(token) else { return nil }
        let user = try await addUser(username: username, role: .admin, regionCode: regionCode, passwordHash: passwordHash, actor: actor)
        try await backend.write { db in try await db.raw("DELETE FROM app_meta WHERE key = 'setup_token'").run() }
        return user
    }
}

func constantTime(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

public struct APITokenInfo: Sendable {
    public var id: Int64
    public var name: String
    public var createdAt: String
    public var lastUsedAt: String?
    public var expiresAt: String?
    public var revoked: Bool
}

extension Store {
    /// A personal API token: returned once, stored as a hash, acting with its owner's rights.
    public func createAPIToken(userId: Int64, name: String, expiresAt: Date? = nil, actor: Actor) async throws -> String {
        let token = "xz_" + Self.randomToken()
        try await backend.write { db in
            try await db.raw(
                """
                INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES
                (\(bind: userId), \(bind: name), \(bind: Self.hashToken(token)), \(bind: Self.now()), \(bind: expiresAt.map(Self.iso)))
                """
            ).run()
            try await Self.audit(db, actor, entity: "api_token", id: name, action: "create", before: String?.none, after: name)
        }
        return token
    }

    public func apiTokens(userId: Int64) async throws -> [APITokenInfo] {
        try await backend.read { db in
            try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userId) ORDER BY id").all().map { r in
                APITokenInfo(
                    id: try r.decode(column: "id", as: Int64.self), name: try r.decode(column: "name", as: String.self),
                    createdAt: try r.decode(column: "created_at", as: String.self),
                    lastUsedAt: try r.decode(column: "last_used_at", as: String?.self),
                    expiresAt: try r.decode(column: "expires_at", as: String?.self),
                    revoked: try r.decode(column: "revoked_at", as: String?.self) != nil)
            }
        }
    }

    /// Revokes one of the user's own tokens; false if it is not theirs.
    public func revokeAPIToken(id: Int64, userId: Int64, actor: Actor) async throws -> Bool {
        try await backend.write { db in
            guard let r = try await db.raw("SELECT name FROM api_tokens WHERE id = \(bind: id) AND user_id = \(bind: userId)").first() else {
                return false
            }
            try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: Self.now()) WHERE id = \(bind: id)").run()
            let name = try r.decode(column: "name", as: String.self)
            try await Self.audit(db, actor, entity: "api_token", id: name, action: "revoke", before: name, after: String?.none)
            return true
        }
    }

    /// The active owner of a live, unexpired token; its last use is noted (at most once a minute).
    public func apiTokenSession(_ token: String, now: Date = Date()) async throws -> SessionInfo? {
        let hash = Self.hashToken(token)
        guard
            let row = try await backend.read({ db in
                try await db.raw(
                    """
                    SELECT u.*, r.level, r.side, t.expires_at AS token_expires, t.last_used_at AS token_used, \(Self.referenceVersionColumn),
                      \(DataVersion.column)
                    FROM users u JOIN regions r ON r.code = u.region_code JOIN api_tokens t ON t.user_id = u.id
                    WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL
                    """
                )
                .first()
            })
        else { return nil }
        let user = try Self.user(from: row)
        guard user.state == .active else { return nil }
        if let e = try row.decode(column: "token_expires", as: String?.self).flatMap(Self.date), e <= now { return nil }
        let used = try row.decode(column: "token_used", as: String?.self).flatMap(Self.date)
        if used.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await backend.atomic { db in
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: Self.iso(now)) WHERE token_hash = \(bind: hash)").run()
            }
        }
        return SessionInfo(
            user: user, csrf: nil, referenceVersion: try row.decode(column: "reference_version", as: String?.self),
            dataVersion: try row.decode(column: "data_version", as: Int64?.self))
    }
}
