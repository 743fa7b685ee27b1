import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

@testable import XiezuoWeb

/// The early warnings as offices meet them: computed by the published rules from the same figures the dashboard
/// shows, inside the reader's scope only, moved by an office's monthly plan, and exported for the supervising office.
@Suite struct WarningsTests {
    static let users: [(String, Role, String)] = [
        ("admin.test", .admin, "520000"), ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("qian.coordinator", .provinceCoordinator, "520000"),
    ]
    /// A year after the demo year: all of 2024's targets are due.
    static let clock = ChinaClock.fixed(Day("2025-03-01")!)

    @Test func warningsFollowTheRulesFromTheDashboardsOwnFigures() async throws {
        try await withRawApp(users: Self.users, clock: Self.clock) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let out = try await admin.execute(uri: "/api/v1/warnings?year=2024", method: .get).decode(WarningsOut.self)
            #expect(out.asOf == "2025-03-01" && out.red == out.items.filter { $0.level == "red" }.count)
            let d = try await admin.execute(uri: "/api/v1/dashboard?year=2024", method: .get).decode(DashboardOut.self)
            for i in try #require(d.completion?.indicators) {
                let bp = Int(i.actual * 10_000 / max(1, i.target))
                let expected = bp < Pace.redBelow ? "red" : bp < Pace.amberBelow ? "amber" : nil
                let found = out.items.first { $0.kind == "indicator_behind" && $0.subject == i.indicatorCode && $0.regionCode == "520000" }
                #expect(found?.level == expected, "\(i.indicatorCode) at \(bp) bp")
                if let found { #expect(found.link == "/agreements/\(d.agreement!.id)" && found.expected == i.target) }
            }
            // Every project warning is a project not completed past its end (red), as the project list has it.
            let projects = out.items.filter { $0.kind == "project_overdue" }
            #expect(!projects.isEmpty)
            for w in projects.prefix(10) {
                let p = try await admin.execute(uri: "/api/v1/projects/\(w.subject)", method: .get).decode(ProjectOut.self)
                #expect(["planned", "ongoing"].contains(p.status) && p.plannedEnd! < "2025-03-01" && w.since == p.plannedEnd)
            }
            // The database picks out exactly the projects the rule flags: the rule applied to every project, read
            // through the API with its disbursements, gives the same warnings at the same levels.
            var expected: [String: String] = [:]
            var pageNumber = 1
            while true {
                let list = try await admin.execute(uri: "/api/v1/projects?perPage=100&page=\(pageNumber)", method: .get).decode(
                    ListOut<ProjectOut>.self)
                for p in list.items {
                    let txs = try await admin.execute(uri: "/api/v1/projects/\(p.id)/transactions", method: .get).decode(ListOut<TransactionOut>.self)
                        .items
                    let last = txs.filter { $0.kind == "disbursement" }.map(\.date).max()
                    if let w = WarningRules.project(
                        id: p.id, title: p.title, countyCode: p.countyCode, status: ProjectStatus(rawValue: p.status)!,
                        plannedStart: p.plannedStart.flatMap(Day.init), plannedEnd: p.plannedEnd.flatMap(Day.init),
                        lastDisbursed: last.flatMap(Day.init),
                        today: Day("2025-03-01")!)
                    {
                        expected[String(p.id)] = w.level.rawValue
                    }
                }
                if list.items.isEmpty || pageNumber * 100 >= list.total { break }
                pageNumber += 1
            }
            let listed = Dictionary(
                out.items.filter { $0.kind.hasPrefix("project_") }.map { ($0.subject, $0.level) }, uniquingKeysWith: { a, _ in a })
            #expect(listed == expected)
            // A shorter list still counts everything: the projects past the limit are said, red ones listed first.
            let one = try await admin.execute(uri: "/api/v1/warnings?year=2024&limit=1", method: .get).decode(WarningsOut.self)
            #expect(one.red == out.red && one.amber == out.amber && one.projectsNotListed == expected.count - 1)
            #expect(one.items.filter { $0.kind.hasPrefix("project_") }.map(\.level) == [expected.values.contains("red") ? "red" : "amber"])
            #expect(try await admin.execute(uri: "/api/v1/warnings?limit=-1", method: .get).status == .badRequest)
            // Every overdue task is a warning, and nothing else is.
            let tasks = try await admin.execute(uri: "/api/v1/tasks?scope=all&state=overdue", method: .get).decode(ListOut<TaskOut>.self).items
            #expect(Set(tasks.map { String($0.id) }) == Set(out.items.filter { $0.kind == "task_overdue" }.map(\.subject)))
            // Filters, and a refused one.
            let red = try await admin.execute(uri: "/api/v1/warnings?year=2024&level=red", method: .get).decode(WarningsOut.self)
            #expect(red.items.allSatisfy { $0.level == "red" } && red.items.count == out.red)
            #expect(try await admin.execute(uri: "/api/v1/warnings?level=purple", method: .get).status == .badRequest)
            // The page and the dashboard say the same counts.
            let page = try await admin.execute(uri: "/warnings?year=2024", method: .get).text
            #expect(page.contains("id=\"warnings-red\">\(out.red)<") && page.contains("id=\"warnings-amber\">\(out.amber)<"))
            let dashboard = try await admin.execute(uri: "/?year=2024", method: .get).text
            #expect(dashboard.contains("id=\"dashboard-red\">\(Strings.text("warning_red", .zh)) \(out.red)<"))
        }
    }

    @Test func aReaderSeesOnlyWarningsOfItsScope() async throws {
        try await withRawApp(users: Self.users, clock: Self.clock) { raw in
            // A project in Nayong past its planned end, and one in Zunyi.
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let pairings = try await admin.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self).items
            for (west, county, title) in [("520500", "520525", "纳雍逾期测试项目"), ("520300", "520323", "绥阳逾期测试项目")] {
                let pairing = try #require(pairings.first { $0.westCode == west })
                let r = try await admin.execute(
                    uri: "/api/v1/projects", method: .post, headers: jsonHeaders,
                    body: jsonBody([
                        "title": title, "pairingId": pairing.id, "countyCode": county, "workArea": "industry", "status": "ongoing",
                        "plannedStart": "2024-01-01", "plannedEnd": "2024-12-31",
                    ]))
                #expect(r.status == .created)
            }
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let own = try await reporter.execute(uri: "/api/v1/warnings?year=2024", method: .get).decode(WarningsOut.self)
            #expect(own.items.contains { $0.about == "纳雍逾期测试项目" && $0.level == "red" && $0.kind == "project_overdue" })
            #expect(own.items.allSatisfy { $0.regionCode.hasPrefix("520525") })
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let bijie = try await officer.execute(uri: "/api/v1/warnings?year=2024", method: .get).decode(WarningsOut.self)
            #expect(bijie.items.allSatisfy { $0.regionCode.hasPrefix("5205") })
            // Bijie's city agreement is among them; the province's is not.
            #expect(bijie.items.contains { $0.kind == "indicator_behind" && $0.regionCode == "520500" })
            #expect(!bijie.items.contains { $0.regionCode == "520000" || $0.about == "绥阳逾期测试项目" })
        }
    }

    @Test func anOfficesMonthlyPlanMovesWhatIsDueAndIsAudited() async throws {
        // Early in 2024: two months ended. An even pace asks for a sixth; a plan with 80 % in February asks for more.
        try await withRawApp(users: Self.users, clock: .fixed(Day("2024-03-10")!)) { raw in
            let coordinator = try await AuthedClient.signIn(raw, username: "qian.coordinator")
            let d = try await coordinator.execute(uri: "/api/v1/dashboard?year=2024", method: .get).decode(DashboardOut.self)
            let agreement = try #require(d.agreement?.id)
            let code = "fiscal_aid"
            func level() async throws -> String? {
                try await coordinator.execute(uri: "/api/v1/warnings?year=2024&kind=indicator_behind", method: .get).decode(WarningsOut.self)
                    .items.first { $0.subject == code && $0.regionCode == "520000" }?.level
            }
            let before = try await level()
            let plan = "10 80 1 1 1 1 1 1 1 1 1 1"
            let saved = try await coordinator.execute(
                uri: "/agreements/\(agreement)/pace", method: .post, headers: formHeaders, body: form([("indicator", code), ("months", plan)]))
            #expect(saved.status == .seeOther)
            #expect(try await level() == "red")
            #expect(before != "red")
            let page = try await coordinator.execute(uri: "/agreements/\(agreement)", method: .get).text
            #expect(page.contains("10% 80% 1%"))
            let history = try await coordinator.execute(uri: "/agreements/\(agreement)", method: .get).text
            #expect(history.contains("id=\"pace-form\""))
            // Wrong plans change nothing and say why; a reporter may not set one; empty puts back the even pace.
            for bad in ["10 80", "50 50 50 0 0 0 0 0 0 0 0 0", "十 80 1 1 1 1 1 1 1 1 1 1"] {
                let r = try await coordinator.execute(
                    uri: "/agreements/\(agreement)/pace", method: .post, headers: formHeaders, body: form([("indicator", code), ("months", bad)]))
                #expect(r.status == .unprocessableContent && r.text.contains("合计为 100"))
            }
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let refused = try await reporter.execute(
                uri: "/agreements/\(agreement)/pace", method: .post, headers: formHeaders, body: form([("indicator", code), ("months", "")]))
            #expect(refused.status == .forbidden || refused.status == .notFound)
            #expect(try await level() == "red")
            _ = try await coordinator.execute(
                uri: "/agreements/\(agreement)/pace", method: .post, headers: formHeaders, body: form([("indicator", code), ("months", "")]))
            #expect(try await level() == before)
        }
    }

    @Test func theMonthlyListExportsAsASheet() async throws {
        try await withRawApp(users: Self.users, clock: Self.clock) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let out = try await admin.execute(uri: "/api/v1/warnings?year=2024", method: .get).decode(WarningsOut.self)
            let r = try await admin.execute(uri: "/warnings/export.xlsx?year=2024", method: .get)
            #expect(r.status == .ok && r.headers[.contentType]?.contains("spreadsheetml") == true)
            #expect(r.headers[.contentDisposition]?.contains("2025") == true)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("warnings-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(buffer: r.body).write(to: file)
            var rows = try SheetFiles.open(file)
            var lines: [[String]] = []
            while let row = try rows.next() { lines.append(row.cells.map(\.text)) }
            #expect(lines.first?.first == Strings.text("warning_level", .zh))
            // A line per warning, then the date line.
            #expect(lines.count == out.items.count + 2)
            #expect(lines[1][0] == Strings.text("warning_" + out.items[0].level, .zh) && lines[1][2] == out.items[0].about)
        }
    }
}
