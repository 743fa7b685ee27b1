import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

/// The review chain's integrity, as the attacks that broke it were made: an office approving what it entered
/// itself, an eastern partner approving a western row, the same monthly figure entered twice.
@Suite struct SeparationTests {
    static let users: [(String, Role, String)] = [
        ("bijie.officer", .prefectureOfficer, "520500"), ("bijie.second", .prefectureOfficer, "520500"),
        ("guangzhou.officer", .prefectureOfficer, "440100"), ("gz.province", .provinceCoordinator, "520000"),
        ("gd.province", .provinceCoordinator, "440000"), ("admin.test", .admin, "520000"), ("nayong.reporter", .countyReporter, "520525"),
    ]

    func figureState(_ c: AuthedClient, _ id: Int64) async throws -> String {
        let page = try await c.execute(uri: "/progress/\(id)", method: .get).text
        return String(page[page.range(of: "data-state=\"")!.upperBound...].prefix { $0 != "\"" })
    }

    @Test func nobodyApprovesAFigureTheyEnteredOrSubmitted() async throws {
        try await withRawApp(users: Self.users) { raw in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            // The prefecture enters a county's figure, submits it, and tries to approve it: refused, nothing moves.
            let made = try await bijie.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["indicatorCode": "demo_villages", "regionCode": "520525", "year": 2024, "month": 12, "value": "9", "note": "自审测试"]))
            #expect(made.status == .created)
            let id = try made.createdID
            #expect(try await bijie.execute(uri: "/progress/\(id)/submit", method: .post, headers: formHeaders, body: form([])).status == .seeOther)
            let page = try await bijie.execute(uri: "/progress/\(id)", method: .get).text
            #expect(!page.contains("id=\"approve-form\"") && page.contains("id=\"own-work\""))
            let own = try await bijie.execute(uri: "/progress/\(id)/approve", method: .post, headers: formHeaders, body: form([]))
            #expect(own.status == .forbidden && own.text.contains("不能审核自己"))
            #expect(try await figureState(bijie, id) == "submitted")
            // The administrator may not approve its own work either.
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let adminMade = try await admin.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["indicatorCode": "demo_villages", "regionCode": "520525", "year": 2024, "month": 11, "value": "3", "note": "自审测试"]))
            let aid = try adminMade.createdID
            _ = try await admin.execute(uri: "/progress/\(aid)/submit", method: .post, headers: formHeaders, body: form([]))
            #expect(
                try await admin.execute(uri: "/progress/\(aid)/approve", method: .post, headers: formHeaders, body: form([])).status == .forbidden)
            // Another officer of the prefecture approves; the page names who entered, submitted and approved.
            let second = try await AuthedClient.signIn(raw, username: "bijie.second")
            let queue = try await second.execute(uri: "/review", method: .get).text
            #expect(queue.contains("/progress/\(id)"))
            #expect(try await bijie.execute(uri: "/review", method: .get).text.contains("/progress/\(id)\"") == false)
            #expect(try await second.execute(uri: "/progress/\(id)/approve", method: .post, headers: formHeaders, body: form([])).status == .seeOther)
            let done = try await second.execute(uri: "/progress/\(id)", method: .get).text
            #expect(
                done.contains("id=\"created-by\">bijie.officer") && done.contains("id=\"submitted-by\">bijie.officer")
                    && done.contains("id=\"approved-by\">bijie.second"))
            // An eastern province coordinator never approves a western figure.
            let gd = try await AuthedClient.signIn(raw, username: "gd.province")
            #expect(try await gd.execute(uri: "/progress/\(aid)/approve", method: .post, headers: formHeaders, body: form([])).status != .seeOther)
            #expect(try await figureState(admin, aid) == "submitted")
        }
    }

    @Test func theEasternPartnerRecordsAndConfirmsButDoesNotApprove() async throws {
        try await withRawApp(users: Self.users) { raw in
            let guangzhou = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let row = try await guangzhou.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders,
                body: form([
                    ("product", "广州采购刺梨GG"), ("supplier", "纳雍某公司"), ("county", "520525"), ("buyer", "广州某食堂"),
                    ("channel", "canteen"), ("amount", "88"), ("date", "2024-05-01"),
                ]))
            #expect(row.status == .seeOther)
            let lid = Int(locationID(row))!
            func state(_ c: AuthedClient) async throws -> String {
                let page = try await c.execute(uri: "/ledgers/consumption/\(lid)", method: .get).text
                return String(page[page.range(of: "data-state=\"")!.upperBound...].prefix { $0 != "\"" })
            }
            // Its own row: no approving, one by one or in bulk, and no confirming its own record either.
            #expect(
                try await guangzhou.execute(uri: "/ledgers/consumption/\(lid)/approve", method: .post, headers: formHeaders, body: form([])).status
                    == .forbidden)
            #expect(
                try await guangzhou.execute(
                    uri: "/ledgers/consumption/approve?state=submitted", method: .post, headers: formHeaders, body: form([("confirm", "1")])
                )
                .status == .forbidden)
            #expect(
                try await guangzhou.execute(uri: "/ledgers/consumption/\(lid)/confirm", method: .post, headers: formHeaders, body: form([])).status
                    == .forbidden)
            #expect(try await state(guangzhou) == "submitted")
            // A row Nayong recorded: Guangzhou confirms it (a visible mark), Bijie approves it.
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let nrow = try await nayong.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders,
                body: form([
                    ("product", "纳雍茶叶NN"), ("supplier", "纳雍某茶厂"), ("county", "520525"), ("buyer", "广州某单位"),
                    ("channel", "canteen"), ("amount", "66"), ("date", "2024-05-02"),
                ]))
            let nid = Int(locationID(nrow))!
            let before = try await guangzhou.execute(uri: "/ledgers/consumption/\(nid)", method: .get).text
            #expect(before.contains("id=\"confirm-form\"") && !before.contains("id=\"approve-form\""))
            #expect(
                try await guangzhou.execute(uri: "/ledgers/consumption/\(nid)/confirm", method: .post, headers: formHeaders, body: form([])).status
                    == .seeOther)
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let shown = try await bijie.execute(uri: "/ledgers/consumption/\(nid)", method: .get).text
            #expect(shown.contains("id=\"confirmed-by\"") && shown.contains("guangzhou.officer") && shown.contains("id=\"approve-form\""))
            #expect(
                try await bijie.execute(uri: "/ledgers/consumption/\(nid)/approve", method: .post, headers: formHeaders, body: form([])).status
                    == .seeOther)
            // Bijie's bulk approval takes Guangzhou's row too (Bijie did not make it); Bijie's own rows it leaves.
            let mine = try await bijie.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders,
                body: form([
                    ("product", "毕节自录BB"), ("supplier", "纳雍某公司"), ("county", "520525"), ("buyer", "广州某单位"),
                    ("channel", "canteen"), ("amount", "5"), ("date", "2024-05-03"),
                ]))
            let mid = Int(locationID(mine))!
            _ = try await bijie.execute(
                uri: "/ledgers/consumption/approve?state=submitted", method: .post, headers: formHeaders, body: form([("confirm", "1")]))
            #expect(try await state(bijie) == "approved")
            let left = try await bijie.execute(uri: "/ledgers/consumption/\(mid)", method: .get).text
            #expect(left.contains("data-state=\"submitted\"") && left.contains("id=\"own-work\""))
        }
    }

    @Test func aMonthlyFigureIsEnteredOnceEvenUnderConcurrency() async throws {
        try await withRawApp(users: Self.users) { raw in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let fields = [
                ("indicatorCode", "demo_villages"), ("regionCode", "520526"), ("year", "2024"), ("month", "12"), ("value", "4"), ("note", ""),
            ]
            let first = try await bijie.execute(uri: "/progress", method: .post, headers: formHeaders, body: form(fields))
            #expect(first.status == .seeOther)
            let link = "/progress/" + locationID(first)
            // Back, then Save again: the form comes back with a link to the figure that exists.
            let again = try await bijie.execute(uri: "/progress", method: .post, headers: formHeaders, body: form(fields))
            #expect(again.status == .unprocessableContent && again.text.contains(link))
            // Eight requests at once for another period (one the demo has no figure for): the database lets exactly one through.
            let payload = jsonBody(["indicatorCode": "demo_villages", "regionCode": "520526", "year": 2025, "month": 1, "value": "2", "note": ""])
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await bijie.execute(uri: "/api/v1/progress", method: .post, headers: jsonHeaders, body: payload).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            let list = try await bijie.execute(uri: "/api/v1/progress?region=520526&year=2025&indicator=demo_villages", method: .get).json
            #expect(((list["items"] as? [[String: Any]]) ?? []).filter { $0["month"] as? Int == 1 }.count == 1)
            let december = try await bijie.execute(uri: "/api/v1/progress?region=520526&year=2024&indicator=demo_villages", method: .get).json
            #expect(((december["items"] as? [[String: Any]]) ?? []).filter { $0["month"] as? Int == 12 }.count == 1)
        }
    }
}
