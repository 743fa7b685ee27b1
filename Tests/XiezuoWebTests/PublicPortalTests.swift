import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// The public portal: off unless switched on; without sign-in when on; approved totals and completed projects only —
/// a walk of every public address finds no ID number, phone, worker's name, user name, unfinished project or figure
/// awaiting review. Runs on whichever backend the suite runs on (SQLite, and PostgreSQL in scripts/test).
@Suite struct PublicPortalTests {
    static let users: [(String, Role, String)] = [
        ("admin.test", .admin, "520000"), ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
    ]

    @Test func thePortalIsAbsentUnlessSwitchedOn() async throws {
        try await withRawApp(users: Self.users) { raw in
            for path in PublicController.paths {
                let status = try await raw.execute(uri: path, method: .get).status
                #expect(status == .notFound, "\(path) answers with the portal off")
            }
        }
    }

    /// The county total of one indicator as the portal's JSON gives it (nil: no line).
    static func countyValue(_ raw: any TestClientProtocol, _ code: String, _ indicator: String) async throws -> String? {
        let j = try await raw.execute(uri: "/public/figures.json?year=2024", method: .get).json
        let figures = j["figures"] as? [[String: Any]] ?? []
        return figures.first { $0["level"] as? String == "county" && $0["code"] as? String == code && $0["indicator"] as? String == indicator }?[
            "value"]
            as? String
    }

    @Test func nothingPrivateOrUnapprovedLeaksThroughAnyPublicAddress() async throws {
        try await withRawApp(users: Self.users, publicPortal: true) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let before = try await Self.countyValue(raw, "520525", "demo_villages")

            // Private things: a worker with ID number and phone (a ledger row awaiting review),
            // a figure awaiting review, and a project not yet completed.
            let idNumber = validID("520525", 731)
            let phone = "13987654321"
            let worker = "公开泄露测试工人"
            let sheet = "姓名,身份证号码,联系电话,户籍县,是否脱贫人口,就业单位,就业城市,就业时间\n\(worker),\(idNumber),\(phone),纳雍县,是,佛山公开测试厂,佛山市,2024-05-01\n"
            let imported = try await reporter.execute(
                uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["fileName": "t.csv", "content": Data(sheet.utf8).base64EncodedString()]))
            #expect(imported.status == .created)
            let created = try await reporter.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([("indicatorCode", "demo_villages"), ("regionCode", "520525"), ("year", "2024"), ("month", "11"), ("value", "7")]))
            let figure = locationID(created)
            #expect(
                try await reporter.execute(uri: "/progress/\(figure)/submit", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .seeOther)
            let pairings = try await admin.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self).items
            let bijie = try #require(pairings.first { $0.westCode == "520500" })
            let secretProject = "尚未完工的公开测试项目"
            let p = try await admin.execute(
                uri: "/api/v1/projects", method: .post, headers: jsonHeaders,
                body: jsonBody(["title": secretProject, "pairingId": bijie.id, "countyCode": "520525", "workArea": "industry"]))
            #expect(p.status == .created)

            // Every public address, in both languages, for the year and by default; with and without a session cookie.
            var addresses: [String] = []
            for path in PublicController.paths {
                for query in ["", "?year=2024", "?lang=en", "?year=2024&lang=en"] { addresses.append(path + query) }
            }
            let page = try await raw.execute(uri: "/public?year=2024", method: .get).text
            for piece in page.components(separatedBy: "href=\"").dropFirst() {
                let href = String(piece.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                if href.hasPrefix("/public") { addresses.append(href) }
            }
            let secrets = [
                idNumber, "****" + String(idNumber.suffix(4)), phone, "****" + String(phone.suffix(4)), worker,
                "佛山公开测试厂", secretProject, "nayong.reporter", "bijie.officer", "admin.test", "演示数据", "xz_session",
            ]
            for address in addresses {
                let anonymous = try await raw.execute(uri: address, method: .get)
                #expect(anonymous.status == .ok, "\(address) gave \(anonymous.status)")
                // No session is made or read (a language choice may be remembered, nothing else).
                #expect(!anonymous.headers[values: .setCookie].contains { !$0.hasPrefix("lang=") }, "\(address) set a cookie")
                #expect(anonymous.headers[.cacheControl]?.hasPrefix("public") == true, "\(address) has no public cache header")
                for s in secrets { #expect(!anonymous.text.contains(s), "\(address) shows \(s)") }
                // A signed-in reader gets exactly what the public gets.
                let signedIn = try await reporter.execute(uri: address, method: .get)
                #expect(signedIn.text == anonymous.text, "\(address) differs for a signed-in reader")
            }

            // The figure awaiting review is not counted; approved by the officer, it is.
            #expect(try await Self.countyValue(raw, "520525", "demo_villages") == before)
            #expect(
                try await officer.execute(uri: "/progress/\(figure)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .seeOther)
            let after = try await Self.countyValue(raw, "520525", "demo_villages")
            #expect(Int(after ?? "0")! == Int(before ?? "0")! + 7)

            // Completed projects only: each one listed is completed in the API too.
            let json = try await raw.execute(uri: "/public/figures.json?year=2024", method: .get).json
            let listed = (json["completedProjects"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            let completed = try await admin.execute(uri: "/api/v1/projects?status=completed&perPage=100", method: .get)
                .decode(ListOut<ProjectOut>.self).items.map(\.title)
            #expect(!listed.isEmpty && Set(listed).isSubset(of: Set(completed)))
            #expect((json["licence"] as? String)?.isEmpty == false)
        }
    }

    @Test func answersCarryALicenceAndRevalidateByTheDataVersion() async throws {
        try await withRawApp(users: Self.users, publicPortal: true) { raw in
            let csv = try await raw.execute(uri: "/public/figures.csv?year=2024", method: .get)
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines[0].hasPrefix("# ") && lines[0].contains(AppSettings.defaultPublicLicence))
            #expect(lines[1] == "year,level,code,name,prefecture,indicator,indicator_name,unit,value")
            #expect(lines.count > 100 && lines[2].hasPrefix("2024,prefecture,52"))
            let tag = try #require(csv.headers[.eTag])
            #expect(try await raw.execute(uri: "/public/figures.csv?year=2024", method: .get, headers: [.ifNoneMatch: tag]).status == .notModified)
            // A write moves the data version: the old tag no longer matches.
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            _ = try await admin.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([("indicatorCode", "demo_villages"), ("regionCode", "520525"), ("year", "2024"), ("month", "12"), ("value", "1")]))
            #expect(try await raw.execute(uri: "/public/figures.csv?year=2024", method: .get, headers: [.ifNoneMatch: tag]).status == .ok)
            // A bad year is the user's error, not an empty answer.
            #expect(try await raw.execute(uri: "/public?year=abc", method: .get).status == .badRequest)
        }
    }
}
