import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Two instances of the application on one database (behind a load balancer, PostgreSQL in production): what one
/// changes, the other shows on its very next request — signing out, a password reset, disabling, a new role or region,
/// and any data — although each keeps the busiest answers in memory.
@Suite struct InstancesTests {
    /// Two applications, each with its own store (its own connections and memory) on one fresh database.
    func withTwoInstances(
        _ body: @Sendable (_ one: any TestClientProtocol, _ two: any TestClientProtocol, _ admin: Store, _ stats: StoreStats) async throws -> Void
    ) async throws {
        let scratch = try await ScratchDatabase.create()
        let storeOne = try await Store.open(url: scratch.url, logger: Logger(label: "one"))
        let storeTwo = try await Store.open(url: scratch.url, logger: Logger(label: "two"))
        var settings = AppSettings(port: 0, databaseURL: scratch.url, demo: true, logLevel: .error)
        settings.passwordCost = 4
        do {
            try await storeOne.migrate()
            for (name, role, region) in [
                ("prov.admin", Role.admin, "520000"), ("nayong.rep", .countyReporter, "520525"), ("bijie.off", .prefectureOfficer, "520500"),
            ] {
                _ = try await storeOne.addUser(
                    username: name, role: role, regionCode: region, passwordHash: Bcrypt.hash(testPassword, cost: 4), actor: .system)
            }
            let appOne = try await buildApplication(settings, store: storeOne)
            let appTwo = try await buildApplication(settings, store: storeTwo)
            try await appOne.test(.router) { one in
                try await appTwo.test(.router) { two in try await body(one, two, storeOne, storeTwo.stats) }
            }
        } catch {
            await storeOne.close()
            await storeTwo.close()
            await scratch.drop()
            throw error
        }
        await storeOne.close()
        await storeTwo.close()
        await scratch.drop()
    }

    static func total(_ r: TestResponse) -> Int { r.json["total"] as? Int ?? -1 }

    @Test func signingOutOnOneInstanceEndsTheSessionOnTheOther() async throws {
        try await withTwoInstances { one, two, _, _ in
            let onOne = try await AuthedClient.signIn(one, username: "bijie.off")
            let onTwo = AuthedClient(raw: two, cookie: onOne.cookie, csrf: onOne.csrf)
            #expect(try await onTwo.execute(uri: "/api/v1/projects", method: .get).status == .ok)
            #expect(try await onTwo.execute(uri: "/", method: .get).status == .ok)
            let out = try await onOne.execute(uri: "/api/v1/session", method: .delete)
            #expect(out.status == .noContent)
            #expect(try await onTwo.execute(uri: "/api/v1/projects", method: .get).status == .unauthorized)
            let page = try await onTwo.execute(uri: "/", method: .get)
            #expect(page.status == .seeOther || page.status == .found)
            #expect(page.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test func disablingAResetAndANewRoleTakeEffectOnTheOtherInstanceAtOnce() async throws {
        try await withTwoInstances { one, two, admin, _ in
            let by = Actor(name: "prov.admin", address: nil)
            let changes: [(String, @Sendable () async throws -> Void)] = [
                (
                    "a new role and region",
                    {
                        _ = try await admin.updateUser(
                            username: "bijie.off", role: .countyReporter, regionCode: "520525", fullName: "", unit: "", actor: by)
                    }
                ),
                (
                    "a password reset",
                    {
                        try await admin.setPasswordHash(
                            username: "bijie.off", Bcrypt.hash("Another-password-2024", cost: 4), mustChange: false, actor: by)
                    }
                ),
                ("disabling", { try await admin.setUserState(username: "bijie.off", .disabled, actor: by) }),
            ]
            var password = testPassword
            for (what, change) in changes {
                let client = try await AuthedClient.signIn(one, username: "bijie.off", password: password)
                let onTwo = AuthedClient(raw: two, cookie: client.cookie, csrf: client.csrf)
                let before = try await onTwo.execute(uri: "/api/v1/projects", method: .get)
                #expect(before.status == .ok, "\(what): signed in before")
                #expect(try await onTwo.execute(uri: "/api/v1/projects", method: .get).status == .ok, "\(what): kept answer")
                try await change()
                let after = try await onTwo.execute(uri: "/api/v1/projects", method: .get)
                #expect(after.status == .unauthorized, "\(what): the other instance still served \(after.status)")
                if what == "a password reset" { password = "Another-password-2024" }
            }
        }
    }

    @Test func aWriteOnOneInstanceIsSeenOnTheOtherAtItsNextRequest() async throws {
        try await withTwoInstances { one, two, _, stats in
            let onOne = try await AuthedClient.signIn(one, username: "prov.admin")
            let onTwo = AuthedClient(raw: two, cookie: onOne.cookie, csrf: onOne.csrf)
            let first = try await onTwo.execute(uri: "/api/v1/projects", method: .get)
            let dashboard = try await onTwo.execute(uri: "/api/v1/dashboard?year=2024", method: .get)
            // The same request again is answered from memory: the only database read is the session's.
            let reads = stats.reads.load(ordering: .relaxed)
            let again = try await onTwo.execute(uri: "/api/v1/projects", method: .get)
            #expect(stats.reads.load(ordering: .relaxed) - reads == 1)
            #expect(again.text == first.text)
            let created = try await onOne.execute(
                uri: "/api/v1/projects", method: .post, headers: jsonHeaders,
                body: jsonBody(["title": "毕节新建冷链仓库", "pairingId": 2, "countyCode": "520525", "workArea": "industry", "description": "两个实例"]))
            #expect(created.status == .created)
            let after = try await onTwo.execute(uri: "/api/v1/projects", method: .get)
            #expect(Self.total(after) == Self.total(first) + 1)
            #expect(after.text.contains("毕节新建冷链仓库"))
            let dashboardAfter = try await onTwo.execute(uri: "/api/v1/dashboard?year=2024", method: .get)
            #expect(dashboardAfter.text != dashboard.text, "the dashboard counts the new project")
        }
    }

    @Test func anAnswerKeptForOneReaderIsNeverShownToAnother() async throws {
        try await withTwoInstances { one, _, _, _ in
            let admin = try await AuthedClient.signIn(one, username: "prov.admin")
            let county = try await AuthedClient.signIn(one, username: "bijie.off")
            let all = try await admin.execute(uri: "/api/v1/projects?page=1", method: .get)
            let own = try await county.execute(uri: "/api/v1/projects?page=1", method: .get)
            #expect(Self.total(own) > 0 && Self.total(own) < Self.total(all), "\(own.text.prefix(300))")
            let codes = ((own.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["countyCode"] as? String }
            #expect(!codes.isEmpty && codes.allSatisfy { $0.hasPrefix("5205") })
            // The page too: the prefecture's header names its own scope, the province's its own, each time.
            for _ in 0..<2 {
                #expect(try await county.execute(uri: "/", method: .get).text.contains("毕节市"))
                #expect(try await admin.execute(uri: "/", method: .get).text.contains("贵州省"))
            }
            // A language is part of what was kept.
            let english = try await county.execute(uri: "/?lang=en", method: .get).text
            #expect(english != (try await county.execute(uri: "/?lang=zh", method: .get).text))
        }
    }
}
