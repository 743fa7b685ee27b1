import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

/// A user from another scope gets nothing: not the objects, not their existence, and no change.
@Suite struct ScopeTests {
    static let users: [(String, Role, String)] = [
        ("admin.test", .admin, "520000"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("zunyi.officer", .prefectureOfficer, "520300"), ("guangzhou.officer", .prefectureOfficer, "440100"),
        ("nayong.reporter", .countyReporter, "520525"), ("guizhou.viewer", .viewer, "520000"),
    ]

    func ids(_ r: TestResponse) throws -> [Int64] { try r.decode(ListOut<Identified>.self).items.map(\.id) }
    func firstProject(_ admin: AuthedClient, region: String) async throws -> ProjectOut {
        let r = try await admin.execute(uri: "/api/v1/projects?perPage=1&region=\(region)", method: .get)
        return try #require(try r.decode(ListOut<ProjectOut>.self).items.first)
    }

    @Test func readsStayInsideTheScope() async throws {
        try await withRawApp(users: Self.users) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let guangzhou = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let zunyiProject = try await firstProject(admin, region: "520300").id
            let bijieProject = try await firstProject(admin, region: "520500").id

            let listed = try await bijie.execute(uri: "/api/v1/projects?perPage=100", method: .get)
            let counties = (listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["countyCode"] as? String }
            #expect(!counties.isEmpty && counties.allSatisfy { $0.hasPrefix("5205") })
            // Asking for another region's projects by filter gives none, not an error that confirms them.
            #expect(try await bijie.execute(uri: "/api/v1/projects?region=520300", method: .get).json["total"] as? Int == 0)

            for uri in [
                "/api/v1/projects/\(zunyiProject)", "/api/v1/projects/\(zunyiProject)/transactions",
                "/api/v1/projects/\(zunyiProject)/milestones", "/projects/\(zunyiProject)", "/projects/\(zunyiProject)/edit",
            ] {
                let r = try await bijie.execute(uri: uri, method: .get)
                #expect(r.status == .notFound, "\(uri) gave \(r.status)")
                #expect(!r.text.contains("遵义") || uri.hasPrefix("/projects"), "\(uri) leaked")
            }
            #expect(try await bijie.execute(uri: "/api/v1/projects/\(bijieProject)", method: .get).status == .ok)

            // The eastern partner follows the projects of the prefectures it assists, and only those.
            #expect(try await guangzhou.execute(uri: "/api/v1/projects/\(bijieProject)", method: .get).status == .ok)
            #expect(try await guangzhou.execute(uri: "/api/v1/projects/\(zunyiProject)", method: .get).status == .notFound)

            // Agreements: the province one and one's own pairing, not another prefecture's.
            let titles = try await bijie.execute(uri: "/api/v1/agreements", method: .get).decode(ListOut<AgreementOut>.self).items.map(\.title)
            #expect(titles.contains("粤黔2024年东西部协作协议") && titles.contains { $0.contains("毕节") })
            #expect(!titles.contains { $0.contains("遵义") })
            let zunyiAgreement = try #require(
                try await admin.execute(uri: "/api/v1/agreements", method: .get).decode(ListOut<AgreementOut>.self).items
                    .first { $0.title.contains("遵义") }
            ).id
            #expect(try await bijie.execute(uri: "/api/v1/agreements/\(zunyiAgreement)", method: .get).status == .notFound)
            #expect(try await bijie.execute(uri: "/agreements/\(zunyiAgreement)", method: .get).status == .notFound)
            #expect(try await bijie.execute(uri: "/regions/520300", method: .get).status == .notFound)
            let progress = try await bijie.execute(uri: "/api/v1/progress?perPage=100", method: .get)
            let regions = try progress.decode(ListOut<ProgressOut>.self).items.map(\.regionCode)
            #expect(!regions.isEmpty && regions.allSatisfy { $0.hasPrefix("5205") })
        }
    }

    @Test func writesOutsideTheScopeChangeNothing() async throws {
        try await withRawApp(users: Self.users) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let viewer = try await AuthedClient.signIn(raw, username: "guizhou.viewer")
            let guangzhou = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let zunyi = try await firstProject(admin, region: "520300")
            let zid = zunyi.id
            let bijieProject = try await firstProject(admin, region: "520500")
            let before = try await admin.execute(uri: "/api/v1/projects/\(zid)", method: .get).text
            let total = try await projectTotal(admin)

            var edit: [String: Any] = [
                "title": "越权修改", "pairingId": zunyi.pairingId, "countyCode": zunyi.countyCode,
                "workArea": "industry", "version": zunyi.version,
            ]
            #expect(
                try await bijie.execute(uri: "/api/v1/projects/\(zid)", method: .put, headers: jsonHeaders, body: jsonBody(edit)).status == .notFound)
            #expect(
                try await bijie.execute(
                    uri: "/api/v1/projects/\(zid)/transactions", method: .post, headers: jsonHeaders,
                    body: jsonBody(["kind": "budget", "date": "2024-05-01", "amountYuan": "100"])
                ).status == .notFound)
            #expect(
                try await bijie.execute(
                    uri: "/projects/\(zid)", method: .post, headers: formHeaders,
                    body: form([("title", "越权修改"), ("pairingId", "7"), ("countyCode", "520323"), ("workArea", "industry")])
                ).status == .notFound)
            edit["countyCode"] = "520323"
            edit["pairingId"] = 7
            #expect(try await bijie.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: jsonBody(edit)).status == .forbidden)
            // Moving one's own project out of the scope is refused too.
            var move: [String: Any] = [
                "title": "挪走", "pairingId": 7, "countyCode": "520323", "workArea": "industry",
                "version": bijieProject.version,
            ]
            #expect(
                try await bijie.execute(uri: "/api/v1/projects/\(bijieProject.id)", method: .put, headers: jsonHeaders, body: jsonBody(move))
                    .status == .forbidden)
            move["countyCode"] = bijieProject.countyCode
            move["pairingId"] = bijieProject.pairingId
            // The eastern partner reads but does not write western figures; viewers write nothing.
            #expect(
                try await guangzhou.execute(uri: "/api/v1/projects/\(bijieProject.id)", method: .put, headers: jsonHeaders, body: jsonBody(move))
                    .status == .forbidden)
            #expect(
                try await viewer.execute(uri: "/api/v1/projects/\(bijieProject.id)", method: .put, headers: jsonHeaders, body: jsonBody(move))
                    .status == .forbidden)
            let figure: [String: Any] = ["indicatorCode": "demo_villages", "year": 2024, "month": 11, "value": "10"]
            var other = figure
            other["regionCode"] = "520526"
            #expect(
                try await nayong.execute(uri: "/api/v1/progress", method: .post, headers: jsonHeaders, body: jsonBody(other)).status == .forbidden)
            var own = figure
            own["regionCode"] = "520525"
            #expect(try await nayong.execute(uri: "/api/v1/progress", method: .post, headers: jsonHeaders, body: jsonBody(own)).status == .created)
            #expect(try await viewer.execute(uri: "/projects/new", method: .get).status == .forbidden)

            #expect(try await admin.execute(uri: "/api/v1/projects/\(zid)", method: .get).text == before)
            #expect(try await projectTotal(admin) == total)
        }
    }

    @Test func documentsAreScopedToTheOfficeThatTookThemIn() async throws {
        try await withRawApp(demo: false, users: Self.users) { raw in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            let saved = try await bijie.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "毕节内部材料"), ("text", "毕节市东西部协作工作简报。")]))
            let url = saved.headers[.location] ?? ""
            #expect(try await bijie.execute(uri: url, method: .get).status == .ok)
            #expect(try await zunyi.execute(uri: url, method: .get).status == .notFound)
            #expect(!(try await zunyi.execute(uri: "/documents?q=%E7%AE%80%E6%8A%A5", method: .get).text.contains("毕节内部材料")))
            #expect(
                try await zunyi.execute(uri: url + "/link", method: .post, headers: formHeaders, body: form([("meetingId", "")])).status == .notFound)
        }
    }
}

/// Guizhou's twenty national key assisted counties are flagged and shown on the dashboard, within each reader's scope.
@Suite struct KeyCountyTests {
    @Test func theDashboardListsTheKeyCountiesTheReaderFollows() async throws {
        try await withRawApp(users: [("gz.admin", .admin, "520000"), ("nayong.reporter", .countyReporter, "520525")]) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "gz.admin")
            let page = try await admin.execute(uri: "/", method: .get).text
            let block = try #require(page.range(of: "id=\"key-counties\"").map { String(page[$0.upperBound...].prefix { $0 != "\n" }) })
            #expect(block.components(separatedBy: "class=\"tag\"").count - 1 == 20)
            #expect(block.contains("六盘水市水城区") && block.contains("毕节市纳雍县") && block.contains("黔南布依族苗族自治州三都水族自治县"))
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let own = try await nayong.execute(uri: "/", method: .get).text
            let ownBlock = try #require(own.range(of: "id=\"key-counties\"").map { String(own[$0.upperBound...].prefix { $0 != "\n" }) })
            #expect(ownBlock.components(separatedBy: "class=\"tag\"").count - 1 == 1 && ownBlock.contains("纳雍县"))
        }
    }
}
