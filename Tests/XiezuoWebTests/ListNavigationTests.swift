import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

/// Lists keep their filters from page to page, the language switch keeps the address, queues page like any list,
/// and every template a page renders is there when the server starts.
@Suite struct ListNavigationTests {
    func href(_ html: String, rel: String) -> String? {
        guard let r = html.range(of: "rel=\"\(rel)\"") else { return nil }
        let before = html[..<r.lowerBound]
        guard let h = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[h.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func pagesKeepEveryFilterAndTheLanguageSwitchKeepsTheAddress() async throws {
        try await withApp { client in
            let pairings = try await client.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self).items
            let pid = try #require(pairings.first { $0.westCode == "520500" }).id
            let first = try await client.execute(uri: "/projects?pairing=\(pid)&perPage=2", method: .get).text
            let next = try #require(href(first, rel: "next"))
            #expect(next.contains("pairing=\(pid)") && next.contains("perPage=2") && next.contains("page=2"))
            let second = try await client.execute(uri: next, method: .get).text
            #expect(href(second, rel: "prev")?.contains("pairing=\(pid)") == true)
            // The progress list moves between its pages too.
            let progress = try await client.execute(uri: "/progress?region=520500&perPage=5", method: .get).text
            #expect(href(progress, rel: "next")?.contains("region=520500") == true)
            // The language switch keeps the filters.
            #expect(first.contains("class=\"lang\" href=\"/projects?pairing=\(pid)&amp;perPage=2&amp;lang=en\""))
        }
    }

    @Test func theReviewQueuePagesInsteadOfStoppingAtAHundred() async throws {
        try await withRawApp(users: [("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500")]) { raw in
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            for month in 1...3 {
                let r = try await nayong.execute(
                    uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                    body: jsonBody(
                        ["indicatorCode": "demo_villages", "regionCode": "520525", "year": 2025, "month": month, "value": "1", "note": ""]))
                let id = try r.createdID
                _ = try await nayong.execute(uri: "/progress/\(id)/submit", method: .post, headers: formHeaders, body: form([]))
            }
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let page = try await bijie.execute(uri: "/review?perPage=2", method: .get).text
            #expect(page.components(separatedBy: "href=\"/progress/").count - 1 == 2)
            let next = try #require(href(page, rel: "next"))
            let rest = try await bijie.execute(uri: next, method: .get).text
            #expect(rest.components(separatedBy: "href=\"/progress/").count - 1 >= 1)
        }
    }

    @Test func theDefaultYearIsThisYearOnceItHasAnAgreement() async throws {
        // A fixed day in 2027, a year the demo has no agreement for.
        try await withApp(clock: .fixed(Day(year: 2027, month: 2, day: 14)!)) { client in
            // The demo's latest agreement is 2024's: shown while this year has none.
            #expect(try await client.execute(uri: "/api/v1/dashboard", method: .get).json["year"] as? Int == 2024)
            let thisYear = 2027
            let pairings = try await client.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self).items
            let pid = try #require(pairings.first { $0.level == "province" }).id
            let made = try await client.execute(
                uri: "/api/v1/agreements", method: .post, headers: jsonHeaders,
                body: jsonBody(["pairingId": pid, "year": thisYear, "title": "本年度协议", "status": "draft"]))
            #expect(made.status == .created, "\(made.text.prefix(200))")
            #expect(try await client.execute(uri: "/api/v1/dashboard", method: .get).json["year"] as? Int == thisYear)
            // A new figure's form starts at this month.
            let form = try await client.execute(uri: "/progress", method: .get).text
            #expect(form.contains("name=\"year\" inputmode=\"numeric\" value=\"\(thisYear)\""))
        }
    }

    @Test func anErrorPageKeepsTheSignedInHeaderAndTheWayBack() async throws {
        try await withApp { client in
            let r = try await client.execute(
                uri: "/projects/999999", method: .get, headers: [.referer: "http://127.0.0.1:8080/projects?region=520500"])
            #expect(r.status == .notFound && r.text.contains("id=\"me\"") && r.text.contains("id=\"error-back\" href") == false)
            #expect(r.text.contains("href=\"/projects\" id=\"error-back\""))
            // A referrer elsewhere is not offered.
            let away = try await client.execute(uri: "/projects/999999", method: .get, headers: [.referer: "http://127.0.0.1/\\evil.example"])
            #expect(!away.text.contains("error-back"))
        }
    }

    @Test func theFigureFormOffersOnlyWhatTheUserMayReportAndKeepsTheInput() async throws {
        try await withRawApp(users: [
            ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
            ("bijie.viewer", .viewer, "520500"),
        ]) { raw in
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let page = try await nayong.execute(uri: "/progress", method: .get).text
            let after = page[page.range(of: "name=\"regionCode\"")!.upperBound...]
            let select = String(after[..<after.range(of: "</select>")!.lowerBound])
            #expect(select.components(separatedBy: "<option value=\"5").count - 1 == 1 && select.contains("value=\"520525\" selected"))
            #expect(page.contains("不是累计数"))
            // A viewer is not shown a form it could not send.
            let viewer = try await AuthedClient.signIn(raw, username: "bijie.viewer")
            #expect(!(try await viewer.execute(uri: "/progress", method: .get).text.contains("id=\"progress-form\"")))
            // A region outside the scope: the form comes back with the reason and what was typed.
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let r = try await bijie.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([
                    ("indicatorCode", "demo_villages"), ("regionCode", "520323"), ("year", "2024"), ("month", "12"), ("value", "77"),
                    ("note", "遵义的数"),
                ]))
            #expect(
                r.status == .unprocessableContent && r.text.contains("id=\"progress-form\"") && r.text.contains("value=\"77\"")
                    && r.text.contains("遵义的数"))
        }
    }

    @Test func everyTemplateAPageRendersIsCheckedAtStart() async throws {
        _ = try await Renderer.load()
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/XiezuoWeb")
        var used: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in text.matches(of: /(?:render|page)\("([a-z_]+)"/) { used.insert(String(m.1)) }
        }
        #expect(!used.isEmpty)
        #expect(used.subtracting(Renderer.required).isEmpty, "templates rendered but not checked at start: \(used.subtracting(Renderer.required))")
    }
}
