import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// The county map and the leaders' screen as their readers meet them: every county drawn, figures only inside the
/// reader's scope, the screen's warnings by the published pace rule.
@Suite struct MapScreenTests {
    static let users: [(String, Role, String)] = [
        ("admin.test", .admin, "520000"), ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
    ]

    /// The approved sum of one indicator in one county, from the API's list of figures.
    static func approvedSum(_ c: AuthedClient, _ region: String, _ indicator: String) async throws -> Int64 {
        var sum: Int64 = 0
        var page = 1
        while true {
            let j = try await c.execute(
                uri: "/api/v1/progress?region=\(region)&year=2024&indicator=\(indicator)&state=approved&perPage=100&page=\(page)", method: .get
            ).decode(ListOut<ProgressOut>.self)
            sum += j.items.filter { $0.regionCode == region }.reduce(0) { $0 + $1.value }
            if j.items.isEmpty || page * 100 >= j.total { return sum }
            page += 1
        }
    }

    @Test func theMapDrawsEveryCountyAndShowsFiguresOnlyInsideTheReadersScope() async throws {
        try await withRawApp(users: Self.users) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let page = try await admin.execute(uri: "/map?year=2024&indicator=fiscal_aid&measure=amount", method: .get)
            #expect(page.status == .ok)
            // Guizhou's 88 counties, each a shape with its code, and its 9 prefectures' outlines.
            #expect(page.text.components(separatedBy: "class=\"county\"").count - 1 == 88)
            #expect(page.text.components(separatedBy: "class=\"prefecture\"").count - 1 == 9)
            #expect(page.text.contains("data-code=\"520525\"") && page.text.contains("广州市"))
            let nayong = try await Self.approvedSum(admin, "520525", "fiscal_aid")
            #expect(nayong > 0)
            #expect(page.text.contains("<tr data-code=\"520525\">"))

            // A county reporter: Nayong alone has figures and a link; every other county is drawn plain.
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let own = try await reporter.execute(uri: "/map?year=2024&indicator=fiscal_aid&measure=amount", method: .get).text
            let rows = own.components(separatedBy: "<tr data-code=\"").dropFirst().map { String($0.prefix(6)) }
            #expect(rows == ["520525"])
            #expect(own.contains("href=\"/regions/520525?year=2024\""))
            #expect(!own.contains("href=\"/regions/520323"))
            let zunyiTip = own.components(separatedBy: "data-code=\"520323\"><title>").dropFirst().first.map { String($0.prefix { $0 != "<" }) } ?? ""
            #expect(zunyiTip.contains("不在您的查看范围内") && !zunyiTip.contains("财政援助资金"))
            let nayongTip =
                own.components(separatedBy: "data-code=\"520525\"><title>").dropFirst().first.map { String($0.prefix { $0 != "<" }) } ?? ""
            #expect(nayongTip.contains(IndicatorCatalogue.byCode["fiscal_aid"]!.format(nayong)))

            // Refused choices are the reader's error in the reader's language.
            #expect(try await reporter.execute(uri: "/map?indicator=nonsense", method: .get).status == .badRequest)
            #expect(try await reporter.execute(uri: "/map?measure=colour", method: .get).status == .badRequest)
            #expect(try await reporter.execute(uri: "/map?province=440000", method: .get).status == .badRequest)
            // The dashboard carries the compact map; the conference report carries the full one.
            #expect(try await admin.execute(uri: "/?year=2024", method: .get).text.contains("id=\"dashboard-map\""))
            let report = try await admin.execute(uri: "/meetings/1/report?format=html", method: .get).text
            #expect(report.contains("id=\"report-map\"") && report.components(separatedBy: "class=\"county\"").count - 1 == 88)
            #expect(!report.contains("href=\"/regions/"), "the printed map links nowhere")
            // The warnings of the meeting's pairing as of the report's date.
            #expect(report.contains(Strings.text("report_s6", .zh)) && report.contains("id=\"report-warnings\""))
        }
    }

    @Test func theScreenFlagsIndicatorsBehindPaceByThePublishedRule() async throws {
        // A year after the demo year: the whole target is due.
        try await withRawApp(users: Self.users, clock: .fixed(Day("2025-03-01")!)) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let screen = try await admin.execute(uri: "/screen?year=2024", method: .get)
            #expect(screen.status == .ok)
            #expect(screen.text.contains("<meta http-equiv=\"refresh\" content=\"\(ScreenController.refreshSeconds)\">"))
            let d = try await admin.execute(uri: "/api/v1/dashboard?year=2024", method: .get).decode(DashboardOut.self)
            let indicators = try #require(d.completion?.indicators)
            var red = 0
            for i in indicators {
                let tile = screen.text.components(separatedBy: "data-indicator=\"\(i.indicatorCode)\"").count
                #expect(tile >= 2, "no tile for \(i.indicatorCode)")
                let warned = screen.text.contains("<li data-subject=\"\(i.indicatorCode)\" data-region=\"520000\"")
                // Completion under 70 % of what is due (all of it) is red; 90 % and more is not flagged.
                let bp = Int(i.actual * 10_000 / max(1, i.target))
                if bp < Pace.redBelow { red += 1 }
                #expect(warned == (bp < Pace.redBelow), "\(i.indicatorCode) at \(bp) bp: warned \(warned)")
            }
            #expect(red > 0, "the demo has indicators behind pace")
            #expect(screen.text.contains("id=\"screen-map\"") && screen.text.contains("class=\"chart trend-chart\""))
        }
    }
}
