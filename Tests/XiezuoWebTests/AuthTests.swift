import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

@Suite struct SignInTests {
    @Test func everythingButThePublicPagesNeedsASession() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000")]) { client in
            let page = try await client.execute(uri: "/projects?region=520500", method: .get)
            #expect(page.status == .seeOther && (page.headers[.location] ?? "").hasPrefix("/login?next="))
            let api = try await client.execute(uri: "/api/v1/projects", method: .get)
            #expect(api.status == .unauthorized && api.errorCode == "unauthorized")
            for open in ["/health", "/login", "/api/v1/openapi.json", "/static/app.css"] {
                #expect(try await client.execute(uri: open, method: .get).status == .ok, "\(open)")
            }
        }
    }

    @Test func aNewSessionIdAtEverySignInAndSignOutEndsIt() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000")]) { client in
            let first = try await AuthedClient.signIn(client, username: "li.ming")
            let second = try await AuthedClient.signIn(client, username: "li.ming")
            #expect(!first.cookie.isEmpty && first.cookie != second.cookie)
            #expect(try await first.execute(uri: "/api/v1/projects", method: .get).status == .ok)
            let out = try await first.execute(uri: "/logout", method: .post, headers: formHeaders, body: ByteBuffer())
            #expect(out.status == .seeOther)
            #expect(try await first.execute(uri: "/api/v1/projects", method: .get).status == .unauthorized)
            #expect(try await second.execute(uri: "/api/v1/projects", method: .get).status == .ok)
        }
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        try await withRawApp(users: [("li.ming", .admin, "520000")]) { client in
            for i in 0..<5 {
                let r = try await client.execute(
                    uri: "/api/v1/session", method: .post, headers: jsonHeaders,
                    body: jsonBody(["username": "li.ming", "password": "wrong-password-1"]))
                // Four wrong answers say how many attempts remain; the fifth locks.
                #expect(r.status == (i < 4 ? .unauthorized : .tooManyRequests))
            }
            // Even the right password is refused while the lock lasts.
            let locked = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: jsonHeaders,
                body: jsonBody(["username": "li.ming", "password": testPassword]))
            #expect(locked.status == .tooManyRequests)
            let page = try await postLogin(client, username: "li.ming", password: testPassword)
            #expect(page.status == .tooManyRequests && page.text.contains("id=\"login-error\""))
        }
    }

    @Test func aFormWithoutTheCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await withApp { client in
            let before = try await projectTotal(client)
            let fields = [("title", "伪造的项目"), ("pairingId", "2"), ("countyCode", "520525"), ("workArea", "industry")]
            var headers = formHeaders
            headers[.cookie] = client.cookie
            let forged = try await client.raw.execute(uri: "/projects", method: .post, headers: headers, body: form(fields))
            #expect(forged.status == .forbidden)
            let wrong = try await client.raw.execute(
                uri: "/projects", method: .post, headers: headers,
                body: form(fields + [("_csrf", "0000")]))
            #expect(wrong.status == .forbidden)
            #expect(try await projectTotal(client) == before)
            let real = try await client.execute(uri: "/projects", method: .post, headers: formHeaders, body: form(fields))
            #expect(real.status == .seeOther)
            #expect(try await projectTotal(client) == before + 1)
        }
    }

    @Test func apiWritesWithACookieMustBeJSON() async throws {
        try await withApp { client in
            let r = try await client.execute(
                uri: "/api/v1/projects", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "{}"))
            #expect(r.status == .unsupportedMediaType)
        }
    }

    @Test func theSignedInUserAndScopeAreShown() async throws {
        try await withApp(user: ("bijie.officer", .prefectureOfficer, "520500")) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.text.contains("id=\"me\"") && page.text.contains("bijie.officer") && page.text.contains("520500"))
        }
    }
}

@Suite struct FirstAdministratorTests {
    @Test func theOneTimeSetupLinkCreatesTheFirstAdministratorOnce() async throws {
        try await withAppAndStore(demo: false) { client, store in
            let token = try #require(try await store.createSetupToken())
            #expect(try await client.execute(uri: "/setup?token=\(token)", method: .get).status == .ok)
            let weak = try await client.execute(
                uri: "/setup", method: .post, headers: formHeaders,
                body: form([("token", token), ("username", "first.admin"), ("password", "short"), ("region", "520000")]))
            #expect(weak.status == .unprocessableContent && weak.text.contains("id=\"error-password\""))
            let forged = try await client.execute(
                uri: "/setup", method: .post, headers: formHeaders,
                body: form([("token", "not-the-token"), ("username", "evil.admin"), ("password", testPassword), ("region", "520000")]))
            #expect(forged.status == .forbidden)
            let made = try await client.execute(
                uri: "/setup", method: .post, headers: formHeaders,
                body: form([("token", token), ("username", "first.admin"), ("password", testPassword), ("region", "520000")]))
            #expect(made.status == .seeOther && sessionCookie(made) != nil)
            // Spent: the link no longer works, and the page is gone once an administrator exists.
            let again = try await client.execute(
                uri: "/setup", method: .post, headers: formHeaders,
                body: form([("token", token), ("username", "second.admin"), ("password", testPassword), ("region", "520000")]))
            #expect(again.status == .notFound)  // gone once an administrator exists
            #expect(try await client.execute(uri: "/setup?token=\(token)", method: .get).status == .notFound)
            #expect(try await store.users().map(\.username) == ["first.admin"])
            #expect(try await store.createSetupToken() == nil)
        }
    }
}

@Suite struct APITokenTests {
    @Test func aPersonalTokenActsWithItsOwnersScopeUntilRevoked() async throws {
        try await withRawApp(users: [("bijie.officer", .prefectureOfficer, "520500"), ("admin.test", .admin, "520000")]) { raw in
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let page = try await officer.execute(uri: "/tokens", method: .post, headers: formHeaders, body: form([("name", "报表脚本")]))
            let html = page.text
            let token = try #require(html.range(of: "id=\"new-token\">").map { String(html[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(token.hasPrefix("xz_"))
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let mine = try await raw.execute(uri: "/api/v1/projects?perPage=100", method: .get, headers: bearer)
            #expect(mine.status == .ok)
            let counties = (mine.json["items"] as? [[String: Any]] ?? []).compactMap { $0["countyCode"] as? String }
            #expect(!counties.isEmpty && counties.allSatisfy { $0.hasPrefix("5205") })
            // Shown once: the list never shows it again.
            #expect(!(try await officer.execute(uri: "/tokens", method: .get).text.contains(token)))
            #expect(
                try await raw.execute(uri: "/api/v1/projects", method: .get, headers: [.authorization: "Bearer xz_wrong"]).status == .unauthorized)
            // A token is for the API only, not for pages.
            #expect(try await raw.execute(uri: "/projects", method: .get, headers: bearer).status == .seeOther)
            let list = try await officer.execute(uri: "/tokens", method: .get).text
            let tokenId = String(list[list.range(of: "action=\"/tokens/")!.upperBound...].prefix { $0.isNumber })
            // Another user cannot revoke it.
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            #expect(
                try await admin.execute(uri: "/tokens/\(tokenId)/revoke", method: .post, headers: formHeaders, body: ByteBuffer()).status == .notFound
            )
            #expect(
                try await officer.execute(uri: "/tokens/\(tokenId)/revoke", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .seeOther)
            #expect(try await raw.execute(uri: "/api/v1/projects", method: .get, headers: bearer).status == .unauthorized)
        }
    }
}
