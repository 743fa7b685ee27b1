import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Sign-in as an attacker and a careless office try it: redirects elsewhere, parallel guessing, a shared address,
/// a reset that should end what the old password opened, the setup page after setup, forms from other sites.
@Suite struct AuthHardeningTests {
    @Test func afterSignInOnlySameSitePathsAreFollowed() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000")]) { raw in
            let hostile = [
                "/\\evil.example/x", "/\t/evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)",
                "/%5Cevil.example", "/%2F%2Fevil.example", "/%09/evil.example", "/\r\n/evil.example", "\\\\evil.example",
                "/\u{3000}/evil.example", "/\u{200B}/evil.example", "evil.example", "", "/%2f%5cevil.example",
            ]
            for next in hostile {
                let r = try await postLogin(raw, username: "li.ming", password: testPassword, next: next)
                #expect(
                    r.status == .seeOther && r.headers[.location] == "/workbench",
                    "next=\(next.debugDescription) went to \(r.headers[.location] ?? "")")
            }
            for next in ["/projects?region=520500&page=2", "/ledgers/labour", "/progress/12"] {
                let r = try await postLogin(raw, username: "li.ming", password: testPassword, next: next)
                #expect(r.headers[.location] == next)
            }
            // The form shows only a safe value too.
            let page = try await raw.execute(uri: "/login?next=%2F%5Cevil.example", method: .get).text
            #expect(page.contains("name=\"next\" value=\"/\""))
        }
    }

    @Test func aSignInFormFromAnotherSiteIsRefused() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000")]) { raw in
            let forged = try await raw.execute(
                uri: "/login", method: .post, headers: formHeaders,
                body: form([("username", "li.ming"), ("password", testPassword)]))
            #expect(forged.status == .forbidden && sessionCookie(forged) == nil)
            var h = formHeaders
            h[.cookie] = "xz_login=abc"
            let mismatched = try await raw.execute(
                uri: "/login", method: .post, headers: h,
                body: form([("username", "li.ming"), ("password", testPassword), ("_login", "abd")]))
            #expect(mismatched.status == .forbidden && sessionCookie(mismatched) == nil)
        }
    }

    @Test func parallelGuessesCheckAtMostTheLimit() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000")]) { raw in
            let payload = jsonBody(["username": "li.ming", "password": "wrong-password-1"])
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<15 {
                    group.addTask { try await raw.execute(uri: "/api/v1/session", method: .post, headers: jsonHeaders, body: payload).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Five attempts were let through to the password check (four answered "wrong", the fifth locked); ten never were.
            #expect(statuses.filter { $0 == .unauthorized }.count == 4, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 11)
        }
    }

    @Test func aLockedAccountDoesNotLockItsOfficeAndSaysWhatRemains() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000"), ("wang.fang", .prefectureOfficer, "520500")]) { raw in
            let first = try await postLogin(raw, username: "li.ming", password: "wrong-password-1")
            #expect(first.status == .unauthorized && first.text.contains("还可尝试 4 次"))
            for _ in 0..<4 { _ = try await postLogin(raw, username: "li.ming", password: "wrong-password-1") }
            let locked = try await postLogin(raw, username: "li.ming", password: testPassword)
            #expect(locked.status == .tooManyRequests && locked.text.contains("分钟后再试"))
            // The colleague at the next desk (same address) signs in.
            #expect(sessionCookie(try await postLogin(raw, username: "wang.fang", password: testPassword)) != nil)
        }
    }

    @Test func anOfficeSigningInAllDayIsNeverLockedOutTogether() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000"), ("wang.fang", .prefectureOfficer, "520500")]) { raw in
            // Sixty good sign-ins from one address (more than the address's limit of failures) …
            for i in 0..<(Store.maxAddressFailures + 10) {
                let r = try await postLogin(raw, username: i % 2 == 0 ? "li.ming" : "wang.fang", password: testPassword)
                #expect(sessionCookie(r) != nil, "sign-in \(i) refused")
            }
            // … and a wrong password still counts for the account.
            let wrong = try await postLogin(raw, username: "li.ming", password: "wrong-password-1")
            #expect(wrong.status == .unauthorized && wrong.text.contains("还可尝试 4 次"))
        }
    }

    @Test func theThrottleGrowsForgetsAndCountsAddressesHigher() async throws {
        try await withAppAndStore(demo: false) { _, store in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            for i in 1...5 {
                let a = try await store.claimSignInAttempt("user:x", limit: 5, growing: true, now: t0)
                guard case .allowed(let remaining, _) = a else {
                    Issue.record("attempt \(i) refused")
                    return
                }
                #expect(remaining == 5 - i)
            }
            // Locked a minute, then two, then four …
            #expect(
                try await store.claimSignInAttempt("user:x", limit: 5, growing: true, now: t0.addingTimeInterval(30))
                    == .locked(until: t0.addingTimeInterval(60)))
            let sixth = try await store.claimSignInAttempt("user:x", limit: 5, growing: true, now: t0.addingTimeInterval(61))
            #expect(sixth == .allowed(remainingAfterFailure: 0, lockedIfWrong: t0.addingTimeInterval(61 + 120)))
            // After a quiet half hour the account starts afresh.
            let later = try await store.claimSignInAttempt("user:x", limit: 5, growing: true, now: t0.addingTimeInterval(61 + 120 + 31 * 60))
            #expect(later == .allowed(remainingAfterFailure: 4, lockedIfWrong: nil))
            // An address takes fifty failures before it is locked (an office behind one proxy), then fifteen minutes.
            for _ in 1...50 { _ = try await store.claimSignInAttempt("ip:10.0.0.1", limit: 50, growing: false, now: t0) }
            #expect(
                try await store.claimSignInAttempt("ip:10.0.0.1", limit: 50, growing: false, now: t0) == .locked(until: t0.addingTimeInterval(900)))
        }
    }

    @Test func aResetOrDisableEndsSessionsAndTokensAndLiftsTheLock() async throws {
        try await withAppAndStore(users: [("li.ming", .admin, "520000"), ("wang.fang", .prefectureOfficer, "520500")]) { raw, store in
            let session = try await AuthedClient.signIn(raw, username: "li.ming")
            let page = try await session.execute(uri: "/tokens", method: .post, headers: formHeaders, body: form([("name", "脚本"), ("days", "30")]))
            let html = page.text
            let token = try #require(html.range(of: "id=\"new-token\">").map { String(html[$0.upperBound...].prefix { $0 != "<" }) })
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            #expect(try await raw.execute(uri: "/api/v1/projects", method: .get, headers: bearer).status == .ok)
            let listed = try await session.execute(uri: "/tokens", method: .get).text.replacingOccurrences(of: "<span class=\"nowrap\">", with: "")
            // Its expiry (30 days on) and its last use (just now) are shown.
            let expires = Date().addingTimeInterval(30 * 86_400).ISO8601Format().prefix(10)
            #expect(listed.contains("class=\"token-expires\">\(expires)") && listed.contains("class=\"token-used\">20"))
            for _ in 0..<5 { _ = try await postLogin(raw, username: "li.ming", password: "wrong-password-1") }
            #expect(try await postLogin(raw, username: "li.ming", password: testPassword).status == .tooManyRequests)
            try await store.setPasswordHash(username: "li.ming", Bcrypt.hash("New-password-2025", cost: 4), actor: .system)
            #expect(try await session.execute(uri: "/api/v1/projects", method: .get).status == .unauthorized)
            #expect(try await raw.execute(uri: "/api/v1/projects", method: .get, headers: bearer).status == .unauthorized)
            #expect(sessionCookie(try await postLogin(raw, username: "li.ming", password: "New-password-2025")) != nil)
            // Disabling ends the sessions at once too.
            let other = try await AuthedClient.signIn(raw, username: "wang.fang")
            try await store.setUserState(username: "wang.fang", .disabled, actor: .system)
            #expect(try await other.execute(uri: "/api/v1/projects", method: .get).status == .unauthorized)
        }
    }

    @Test func anAdministratorUnlocksFromTheWeb() async throws {
        try await withRawApp(users: [("li.ming", .prefectureOfficer, "520500"), ("admin.test", .admin, "520000")]) { raw in
            for _ in 0..<5 { _ = try await postLogin(raw, username: "li.ming", password: "wrong-password-1") }
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let list = try await admin.execute(uri: "/admin/users", method: .get).text
            #expect(list.contains("id=\"unlock-li.ming\""))
            #expect(
                try await admin.execute(uri: "/admin/users/li.ming/unlock", method: .post, headers: formHeaders, body: form([])).status == .seeOther)
            #expect(sessionCookie(try await postLogin(raw, username: "li.ming", password: testPassword)) != nil)
            let officer = try await AuthedClient.signIn(raw, username: "li.ming")
            #expect(try await officer.execute(uri: "/admin/users", method: .get).status == .forbidden)
        }
    }

    @Test func anExpiredTokenOpensNothing() async throws {
        try await withAppAndStore(users: [("li.ming", .admin, "520000")]) { raw, store in
            let user = try #require(try await store.user(username: "li.ming"))
            let token = try await store.createAPIToken(userId: user.id, name: "短期", expiresAt: Date().addingTimeInterval(-1), actor: .system)
            #expect(
                try await raw.execute(uri: "/api/v1/projects", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
        }
    }

    @Test func setupIsGoneOnceAnAdministratorExistsAndChecksItsTokenFirst() async throws {
        try await withAppAndStore(demo: false) { raw, store in
            _ = try await store.createSetupToken()
            // A wrong token is refused before any password is hashed.
            let wrong = try await raw.execute(
                uri: "/setup", method: .post, headers: formHeaders,
                body: form([("token", "nope"), ("username", "x.admin"), ("password", testPassword), ("region", "520000")]))
            #expect(wrong.status == .forbidden)
            _ = try await store.addUser(
                username: "first.admin", role: .admin, regionCode: "520000", passwordHash: Bcrypt.hash(testPassword, cost: 4), actor: .system)
            #expect(
                try await raw.execute(
                    uri: "/setup", method: .post, headers: formHeaders,
                    body: form([("token", "nope"), ("username", "x.admin"), ("password", testPassword), ("region", "520000")])
                ).status == .notFound)
        }
    }

    @Test func unknownNamesAreCheckedAgainstAHashOfTheRealCost() async throws {
        try await withAppAndStore { _, store in
            let pages = Pages(store: store, renderer: try await Renderer.load(), passwordCost: 7)
            #expect(SessionController(pages: pages).dummyHash.hasPrefix("$2b$07$") || SessionController(pages: pages).dummyHash.hasPrefix("$2a$07$"))
        }
    }

    @Test func theClientAddressComesFromATrustedProxyOnly() {
        let proxy = [CIDR("127.0.0.1/32")!, CIDR("10.0.0.0/8")!]
        #expect(ClientAddressMiddleware.client(peer: "127.0.0.1", forwarded: ["203.0.113.7"], trusted: proxy) == "203.0.113.7")
        #expect(
            ClientAddressMiddleware.client(peer: "127.0.0.1", forwarded: ["198.51.100.1, 203.0.113.7, 10.1.2.3"], trusted: proxy) == "203.0.113.7")
        // From anyone else, or with no proxy configured, the header is a lie that changes nothing.
        #expect(ClientAddressMiddleware.client(peer: "203.0.113.9", forwarded: ["1.2.3.4"], trusted: proxy) == "203.0.113.9")
        #expect(ClientAddressMiddleware.client(peer: "127.0.0.1", forwarded: ["1.2.3.4"], trusted: []) == "127.0.0.1")
        #expect(ClientAddressMiddleware.client(peer: "127.0.0.1", forwarded: ["not-an-address"], trusted: proxy) == "127.0.0.1")
        #expect(CIDR("::1/128")!.contains("::1") && !CIDR("::1/128")!.contains("::2") && CIDR("fd00::/8")!.contains("fd12:3456::1"))
        #expect(CIDR("10.0.0.0/33") == nil && CIDR("nonsense") == nil)
    }
}
