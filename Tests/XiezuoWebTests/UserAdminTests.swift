import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Accounts managed in the browser: the administrator creates one with the person's name, unit, role and region; the
/// first password must be replaced before anything else; role and region change; nobody else may do any of it.
@Suite struct UserAdminTests {
    static let users: [(String, Role, String)] = [("admin.test", .admin, "520000"), ("bijie.officer", .prefectureOfficer, "520500")]

    @Test func anAccountFromCreationToItsOwnPassword() async throws {
        try await withAppAndStore(users: Self.users) { raw, store in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let first = "Erste-Passwort-2024"
            // Refused whole, with the reasons on the form and the input kept.
            let bad = try await admin.execute(
                uri: "/admin/users", method: .post, headers: formHeaders,
                body: form([
                    ("username", "Nayong Clerk"), ("fullName", "张晓梅"), ("unit", "纳雍县乡村振兴局"), ("role", "county-reporter"),
                    ("region", "520500"), ("password", "short"),
                ]))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"error-username\"") && bad.text.contains("id=\"error-password\"") && bad.text.contains("value=\"张晓梅\""))
            #expect(try await store.user(username: "Nayong Clerk") == nil)
            // A county reporter's home must be a county: the region chosen is checked against the role.
            let wrongLevel = try await admin.execute(
                uri: "/admin/users", method: .post, headers: formHeaders,
                body: form([
                    ("username", "nayong.clerk"), ("fullName", "张晓梅"), ("role", "county-reporter"), ("region", "520500"), ("password", first),
                ]))
            #expect(wrongLevel.status == .unprocessableContent && wrongLevel.text.contains("id=\"error-role\""))
            let made = try await admin.execute(
                uri: "/admin/users", method: .post, headers: formHeaders,
                body: form([
                    ("username", "nayong.clerk"), ("fullName", "张晓梅"), ("unit", "纳雍县乡村振兴局"), ("role", "county-reporter"),
                    ("region", "520525"), ("password", first),
                ]))
            #expect(made.status == .seeOther && made.headers[.location] == "/admin/users/nayong.clerk?created=1")
            let saved = try #require(try await store.user(username: "nayong.clerk"))
            #expect(saved.fullName == "张晓梅" && saved.unit == "纳雍县乡村振兴局" && saved.mustChangePassword && saved.regionCode == "520525")
            let list = try await admin.execute(uri: "/admin/users", method: .get)
            #expect(list.text.contains("张晓梅") && list.text.contains("贵州省 毕节市 纳雍县"))

            // The person signs in: every page leads to the password form until they choose their own.
            let login = try await postLogin(raw, username: "nayong.clerk", password: first)
            let cookie = try #require(sessionCookie(login))
            let projects = try await raw.execute(uri: "/projects", method: .get, headers: [.cookie: cookie])
            #expect(projects.status == .seeOther && projects.headers[.location] == "/account/password")
            let api = try await raw.execute(uri: "/api/v1/projects", method: .get, headers: [.cookie: cookie])
            #expect(api.status == .forbidden && api.errorCode == "password_change_required")
            let page = try await raw.execute(uri: "/account/password", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok && page.text.contains("id=\"must-change\""))
            let clerk = AuthedClient(raw: raw, cookie: cookie, csrf: csrfToken(page.text) ?? "")
            let wrong = try await clerk.execute(
                uri: "/account/password", method: .post, headers: formHeaders,
                body: form([("current", "not-it-1234"), ("password", "Meine-Wahl-2025"), ("repeat", "Meine-Wahl-2025")]))
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("id=\"error-current\""))
            let same = try await clerk.execute(
                uri: "/account/password", method: .post, headers: formHeaders,
                body: form([("current", first), ("password", first), ("repeat", first)]))
            #expect(same.status == .unprocessableContent && same.text.contains("id=\"error-password\""))
            let changed = try await clerk.execute(
                uri: "/account/password", method: .post, headers: formHeaders,
                body: form([("current", first), ("password", "Meine-Wahl-2025"), ("repeat", "Meine-Wahl-2025")]))
            #expect(changed.status == .seeOther && changed.headers[.location] == "/workbench")
            let fresh = try #require(sessionCookie(changed))
            #expect(try await raw.execute(uri: "/projects", method: .get, headers: [.cookie: fresh]).status == .ok)
            #expect(try await raw.execute(uri: "/projects", method: .get, headers: [.cookie: cookie]).status != .ok)  // the old session ended
            #expect(try await store.user(username: "nayong.clerk")?.mustChangePassword == false)

            // Role and region change; the person's sessions end with the old scope.
            let moved = try await admin.execute(
                uri: "/admin/users/nayong.clerk", method: .post, headers: formHeaders,
                body: form([("fullName", "张晓梅"), ("unit", "毕节市乡村振兴局"), ("role", "prefecture-officer"), ("region", "520500")]))
            #expect(moved.status == .seeOther)
            #expect(try await store.user(username: "nayong.clerk")?.regionCode == "520500")
            #expect(try await raw.execute(uri: "/projects", method: .get, headers: [.cookie: fresh]).status != .ok)
            // A reset: the new password is again the administrator's, to be replaced.
            let reset = try await admin.execute(
                uri: "/admin/users/nayong.clerk/password", method: .post, headers: formHeaders, body: form([("password", "Zweites-Passwort-7")]))
            let afterReset = try await store.user(username: "nayong.clerk")
            #expect(reset.status == .seeOther && afterReset?.mustChangePassword == true)
            // Disabled: no sign-in.
            _ = try await admin.execute(
                uri: "/admin/users/nayong.clerk/state", method: .post, headers: formHeaders, body: form([("state", "disabled")]))
            #expect(sessionCookie(try await postLogin(raw, username: "nayong.clerk", password: "Zweites-Passwort-7")) == nil)
            // The administrator cannot disable or demote themself.
            let own = try await admin.execute(
                uri: "/admin/users/admin.test/state", method: .post, headers: formHeaders, body: form([("state", "disabled")]))
            #expect(own.status == .unprocessableContent)
            // Every change is in the audit trail.
            let actions = try await store.history(entity: "user", id: "nayong.clerk").map(\.action)
            #expect(actions == ["create", "reset-password", "update", "reset-password", "state"])

            // The audit log finds these changes by who, what and when, and exports them.
            let log = try await admin.execute(uri: "/admin/audit?actor=admin.test&entity=user", method: .get)
            #expect(log.status == .ok && log.text.contains("/admin/users/nayong.clerk") && log.text.contains("重置密码"))
            let today = Day(Date.now.ISO8601Format().prefix(10).description)!
            let dayBefore = try #require(Day(year: today.year - 1, month: 1, day: 1))
            let none = try await admin.execute(uri: "/admin/audit?entity=user&to=\(dayBefore)", method: .get)
            #expect(none.text.contains("id=\"audit-total\">0<"))
            let byScope = try await admin.execute(uri: "/admin/audit?scope=440000", method: .get)
            #expect(!byScope.text.contains("nayong.clerk"))
            let csv = try await admin.execute(uri: "/admin/audit/export?entity=user&actor=admin.test", method: .get)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains("nayong.clerk"))
            #expect(csv.text.components(separatedBy: "\r\n").filter { $0.contains("nayong.clerk") }.count == 4)
            #expect(try await admin.execute(uri: "/admin/audit?entity=nothing", method: .get).status == .badRequest)

            // Nobody else manages accounts.
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            #expect(try await officer.execute(uri: "/admin/audit", method: .get).status == .forbidden)
            let refused = try await officer.execute(
                uri: "/admin/users", method: .post, headers: formHeaders,
                body: form([("username", "sneaky"), ("fullName", "x"), ("role", "admin"), ("region", "520000"), ("password", first)]))
            let sneaky = try await store.user(username: "sneaky")
            #expect(refused.status == .forbidden && sneaky == nil)
        }
    }
}
