import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// 我的工作台: signing in lands there; a reporter finds what was returned to it and what it has not reported for the
/// last closed month, a reviewer what awaits it (figures and ledger rows counted together), each in its own scope.
@Suite struct WorkbenchTests {
    static let users: [(String, Role, String)] = [
        ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"), ("bijie.viewer", .viewer, "520500"),
    ]

    func section(_ html: String, _ id: String) -> String {
        guard let start = html.range(of: "id=\"\(id)\"") else { return "" }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    @Test func eachRoleFindsItsWorkInItsScope() async throws {
        try await withRawApp(users: Self.users, clock: .fixed(Day(year: 2024, month: 12, day: 5)!)) { raw in
            #expect(try await postLogin(raw, username: "nayong.reporter", password: testPassword).headers[.location] == "/workbench")
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let viewer = try await AuthedClient.signIn(raw, username: "bijie.viewer")

            var page = try await reporter.execute(uri: "/workbench", method: .get).text
            #expect(page.contains("贵州省 毕节市 纳雍县") && page.contains("县级填报员"))
            // November is the last closed month; the hand-reported indicators lack a figure for Nayong.
            let missing = section(page, "missing-block")
            #expect(missing.contains("2024年11月") && missing.contains("财政援助资金"))
            #expect(missing.contains("new_indicator=fiscal_aid&amp;new_region=520525&amp;new_year=2024&amp;new_month=11"))
            // The link opens the form filled in for that figure.
            let filled = try await reporter.execute(
                uri: "/progress?new_indicator=fiscal_aid&new_region=520525&new_year=2024&new_month=11", method: .get
            ).text
            #expect(filled.contains("<option value=\"fiscal_aid\" selected>") && filled.contains("name=\"month\" inputmode=\"numeric\" value=\"11\""))

            // Reported, submitted and returned by the reviewer: it leaves "missing" and comes back as "returned".
            let created = try await reporter.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([("indicatorCode", "fiscal_aid"), ("regionCode", "520525"), ("year", "2024"), ("month", "11"), ("value", "12.5")]))
            let id = locationID(created)
            _ = try await reporter.execute(uri: "/progress/\(id)/submit", method: .post, headers: formHeaders, body: ByteBuffer())
            let awaiting = section(try await officer.execute(uri: "/workbench", method: .get).text, "awaiting-block")
            #expect(awaiting.contains("href=\"/review\""))
            _ = try await officer.execute(uri: "/progress/\(id)/return", method: .post, headers: formHeaders, body: form([("comment", "请附拨付凭证")]))
            page = try await reporter.execute(uri: "/workbench", method: .get).text
            #expect(!section(page, "missing-block").contains("new_indicator=fiscal_aid&amp;"))
            #expect(section(page, "returned-block").contains("/progress/\(id)"))

            // Ledger rows awaiting review are counted beside the figures, per ledger.
            var csv = "姓名,身份证号码,户籍县,就业单位,就业城市,就业时间\n"
            for n in 1...2 { csv += "工作台工人\(n),\(validID("520525", 700 + n)),纳雍县,佛山某厂,佛山市,2024-11-0\(n)\n" }
            let imported = try await reporter.execute(
                uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["fileName": "w.csv", "content": Data(csv.utf8).base64EncodedString()]))
            #expect(imported.status == .created)
            let officerPage = try await officer.execute(uri: "/workbench", method: .get).text
            #expect(section(officerPage, "awaiting-block").contains("href=\"/ledgers/labour?state=submitted\""))
            #expect(officerPage.contains("贵州省 毕节市"))

            // A viewer writes nothing: nothing to report, nothing returned.
            let viewerPage = try await viewer.execute(uri: "/workbench", method: .get).text
            #expect(!viewerPage.contains("id=\"missing-block\"") && !viewerPage.contains("id=\"returned-block\""))
            #expect(viewerPage.contains("id=\"tasks-block\""))
        }
    }
}

/// A viewer reads; no page offers it a form it would only be refused after filling in.
@Suite struct ViewerFormsTests {
    @Test func aViewerIsOfferedNoWritingForm() async throws {
        try await withRawApp(users: [("bijie.viewer", .viewer, "520500")]) { raw in
            let viewer = try await AuthedClient.signIn(raw, username: "bijie.viewer")
            var offered: [String] = []
            for path in [
                "/workbench", "/", "/projects", "/projects/1", "/progress", "/review", "/ledgers", "/ledgers/labour", "/meetings", "/meetings/1",
                "/tasks", "/documents", "/agreements", "/agreements/1", "/assessments", "/regions/520500",
            ] {
                let html = try await viewer.execute(uri: path, method: .get).text
                // Every form that posts, other than signing out.
                for m in html.matches(of: /<form[^>]*method="post"[^>]*action="([^"]+)"/) where m.1 != "/logout" { offered.append("\(path): \(m.1)") }
                for m in html.matches(of: /<form[^>]*action="([^"]+)"[^>]*method="post"/) where m.1 != "/logout" { offered.append("\(path): \(m.1)") }
                if html.contains("href=\"/projects/new\"") || html.contains("href=\"/meetings/new\"") {
                    offered.append("\(path): a link to a new-object form")
                }
            }
            #expect(offered.isEmpty, "\(offered)")
        }
    }
}
