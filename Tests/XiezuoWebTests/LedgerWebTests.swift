import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

@testable import XiezuoWeb

func validID(_ county: String, _ n: Int) -> String {
    let first17 = county + "19850615" + String(format: "%03d", n % 1000)
    return first17 + String(IDNumber.checkCharacter(first17))
}

/// Reads every page of a ledger list through the API.
func allRows(_ c: AuthedClient, _ ledger: String, _ query: String) async throws -> [LedgerRowOut] {
    var out: [LedgerRowOut] = []
    var page = 1
    while true {
        let j = try await c.execute(uri: "/api/v1/ledgers/\(ledger)?\(query)&perPage=100&page=\(page)", method: .get)
            .decode(ListOut<LedgerRowOut>.self)
        out += j.items
        if out.count >= j.total || j.items.isEmpty { return out }
        page += 1
    }
}

@Suite struct LedgerWebTests {
    static let users: [(String, Role, String)] = [
        ("admin.test", .admin, "520000"), ("nayong.reporter", .countyReporter, "520525"),
        ("bijie.officer", .prefectureOfficer, "520500"), ("zunyi.officer", .prefectureOfficer, "520300"),
        ("guangzhou.officer", .prefectureOfficer, "440100"),
    ]

    func importCSV(_ c: AuthedClient, _ ledger: String, _ csv: String, dryRun: Bool = false) async throws -> TestResponse {
        try await c.execute(
            uri: "/api/v1/ledgers/\(ledger)/import", method: .post, headers: jsonHeaders,
            body: jsonBody(["fileName": "t.csv", "content": Data(csv.utf8).base64EncodedString(), "dryRun": dryRun]))
    }

    @Test func thePreviewNamesColumnsThatWillNotBeImportedAndRecordsRepeatedInTheFile() async throws {
        try await withRawApp(users: Self.users) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let csv =
                "产品名称,供货企业,企业所在县,采购方,渠道,金额（元）,日期,经办人\n"
                + "刺梨干,纳雍刺梨公司,纳雍县,佛山某食堂,食堂,800,2024-06-05,王某\n刺梨干,纳雍刺梨公司,纳雍县,佛山某食堂,食堂,800,2024-06-05,王某\n"
            let r = try await importCSV(reporter, "consumption", csv, dryRun: true).decode(LedgerImportOut.self)
            #expect(r.ignoredColumns == ["H 经办人"] && r.added == 1 && r.repeated == 1 && !r.committed)
            // The same in the browser's preview.
            let (headers, body) = multipart([("_csrf", reporter.csrf)], file: ("t.csv", Data(csv.utf8)))
            let page = try await reporter.execute(uri: "/ledgers/consumption/import", method: .post, headers: headers, body: body)
            #expect(page.text.contains("id=\"import-ignored\"") && page.text.contains("H 经办人") && page.text.contains("data-n=\"repeated\">1<"))
        }
    }

    @Test func dashboardFiguresAreTheSumsOfApprovedRowsAndLinkToThem() async throws {
        try await withRawApp(users: Self.users) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            // Nayong records 4 workers (2 formerly poor) and 2 purchases.
            var labour = "姓名,身份证号码,户籍县,是否脱贫人口,就业单位,就业城市,就业时间\n"
            for i in 1...4 { labour += "测试工人\(i),\(validID("520525", i)),纳雍县,\(i <= 2 ? "是" : "否"),佛山测试厂,佛山市,2024-0\(i)-01\n" }
            #expect(try await importCSV(reporter, "labour", labour).status == .created)
            let consumption =
                "产品名称,供货企业,企业所在县,采购方,渠道,金额（元）,日期\n刺梨测试,纳雍测试公司,纳雍县,佛山食堂,食堂,\"1,234.56\",2024年6月4日\n茶叶测试,纳雍测试公司,纳雍县,佛山食堂,832平台,100,2024.7.1\n"
            #expect(try await importCSV(reporter, "consumption", consumption).status == .created)

            func dashboard() async throws -> [String: Int] {
                let d = try await admin.execute(uri: "/api/v1/dashboard?year=2024", method: .get).decode(DashboardOut.self)
                return Dictionary(uniqueKeysWithValues: (d.completion?.indicators ?? []).map { ($0.indicatorCode, Int($0.actual)) })
            }
            func fromRows() async throws -> [String: Int] {
                let c = try await allRows(admin, "consumption", "region=520000&year=2024&state=approved")
                let l = try await allRows(admin, "labour", "region=520000&year=2024&state=approved")
                return [
                    "consumption_amount": c.reduce(0) { $0 + Int($1.values["amount"] ?? "0")! },
                    "workers_placed": l.count,
                    "workers_formerly_poor": l.filter { $0.values["formerlyPoor"] == "1" }.count,
                ]
            }
            // Pending rows count nowhere yet.
            let before = try await dashboard()
            let rowsBefore = try await fromRows()
            for k in rowsBefore.keys { #expect(before[k] == rowsBefore[k], "\(k)") }
            // The prefecture approves what Nayong recorded: the figures move by exactly those rows.
            let approve = try await officer.execute(
                uri: "/ledgers/labour/approve?state=submitted&region=520525", method: .post, headers: formHeaders, body: form([("confirm", "1")]))
            #expect(approve.status == .seeOther)
            _ = try await officer.execute(
                uri: "/ledgers/consumption/approve?state=submitted", method: .post, headers: formHeaders, body: form([("confirm", "1")]))
            let after = try await dashboard()
            let rowsAfter = try await fromRows()
            for k in rowsAfter.keys { #expect(after[k] == rowsAfter[k], "\(k)") }
            #expect(after["workers_placed"]! - before["workers_placed"]! == 4)
            #expect(after["workers_formerly_poor"]! - before["workers_formerly_poor"]! == 2)
            #expect(after["consumption_amount"]! - before["consumption_amount"]! == 133_456)
            // The dashboard's figure links to the rows behind it, and that list's total is the figure.
            let page = try await admin.execute(uri: "/?year=2024", method: .get).text
            let link = try #require(page.range(of: "href=\"/ledgers/labour?").map { page[$0.lowerBound...].dropFirst(6).prefix { $0 != "\"" } })
            #expect(link.contains("state=approved") && link.contains("year=2024"))
            let list = try await admin.execute(uri: String(link).replacingOccurrences(of: "&amp;", with: "&"), method: .get).text
            #expect(list.contains("共 \(groupThousandsText(after["workers_placed"]!)) 条") || list.contains("共 \(after["workers_placed"]!) 条"))
        }
    }

    @Test func otherScopesGetNothingAndPersonalDataIsMasked() async throws {
        try await withRawApp(users: Self.users) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            let foshan = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let id = validID("520525", 7)
            let csv = "姓名,身份证号码,联系电话,户籍县,就业单位,就业城市,就业时间\n保密工人,\(id),13912345678,纳雍县,东莞测试厂,东莞市,2024-05-01\n"
            #expect(try await importCSV(reporter, "labour", csv).status == .created)
            let row = try #require(try await allRows(reporter, "labour", "q=%E4%BF%9D%E5%AF%86").first)
            let rid = row.id
            // Zunyi: not in its list, 404 on the row, its history and reveal, not in its export; its own import of
            // a Nayong row is refused with the row and the reason.
            #expect(try await allRows(zunyi, "labour", "q=%E4%BF%9D%E5%AF%86").isEmpty)
            for uri in ["/ledgers/labour/\(rid)", "/api/v1/ledgers/labour/\(rid)", "/history/ledger_row/\(rid)", "/ledgers/labour/\(rid)/edit"] {
                #expect(try await zunyi.execute(uri: uri, method: .get).status == .notFound, "\(uri)")
            }
            #expect(
                try await zunyi.execute(uri: "/ledgers/labour/\(rid)/reveal", method: .post, headers: formHeaders, body: form([])).status == .notFound
            )
            #expect(!(try await zunyi.execute(uri: "/ledgers/labour/export?format=csv", method: .get).text.contains("保密工人")))
            let refused = try await importCSV(zunyi, "labour", csv)
            #expect(refused.status == .unprocessableContent)
            let issue = try refused.decode(LedgerImportOut.self).rows.first?.issues.first
            #expect(issue?.code == "ledger.outside_scope")
            // Guangzhou (the eastern side that assists Bijie) reads the row, masked, and may not reveal it.
            let page = try await foshan.execute(uri: "/ledgers/labour/\(rid)", method: .get).text
            #expect(page.contains("保密工人") && !page.contains(id) && page.contains("520525********") && !page.contains("13912345678"))
            #expect(
                try await foshan.execute(uri: "/ledgers/labour/\(rid)/reveal", method: .post, headers: formHeaders, body: form([])).status
                    == .forbidden)
            let masked = try await foshan.execute(uri: "/ledgers/labour/export?format=csv&q=%E4%BF%9D%E5%AF%86", method: .get).text
            #expect(masked.contains("保密工人") && !masked.contains(id))
            // Nayong's own office reveals it; the look is in the audit log.
            let shown = try await reporter.execute(uri: "/ledgers/labour/\(rid)/reveal", method: .post, headers: formHeaders, body: form([])).text
            #expect(shown.contains(id) && shown.contains("13912345678"))
            let history = try await reporter.execute(uri: "/history/ledger_row/\(rid)/export", method: .get).text
            #expect(history.contains("reveal") && history.contains("nayong.reporter") && !history.contains(id))
        }
    }

    @Test func exportThenImportOfEveryLedgerChangesNothing() async throws {
        try await withRawApp(users: Self.users) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            for ledger in LedgerName.allCases {
                for format in ["xlsx", "csv"] {
                    // Bijie's rows (parks and services lie in the first counties of the demo, so all of theirs).
                    let region = [.parks, .services].contains(ledger) ? "" : "&region=520500"
                    let export = try await admin.execute(uri: "/ledgers/\(ledger.rawValue)/export?format=\(format)\(region)", method: .get)
                    #expect(export.status == .ok)
                    let r = try await admin.execute(
                        uri: "/api/v1/ledgers/\(ledger.rawValue)/import", method: .post, headers: jsonHeaders,
                        body: jsonBody(["fileName": "e.\(format)", "content": Data(buffer: export.body).base64EncodedString()]))
                    let j = r.json
                    #expect(r.status == .created, "\(ledger) \(format): \(r.text.prefix(300))")
                    #expect(j["added"] as? Int == 0 && j["updated"] as? Int == 0 && j["rejected"] as? Int == 0, "\(ledger) \(format)")
                    #expect((j["unchanged"] as? Int ?? 0) > 0, "\(ledger) \(format) exported nothing")
                }
            }
        }
    }

    @Test func everyLedgersTemplateOffersTheCountiesItsUserMayRecord() async throws {
        try await withRawApp(users: Self.users) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            for ledger in LedgerName.allCases {
                let r = try await reporter.execute(uri: "/ledgers/\(ledger.rawValue)/template.xlsx", method: .get)
                #expect(r.status == .ok && r.headers[.contentDisposition]?.contains("template.xlsx") == true, "\(ledger)")
                // Named after what it is, in Chinese, with an ASCII name beside it (RFC 6266).
                let chinese =
                    "\(ledger.title(.zh))填报模板.xlsx".addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
                #expect(r.headers[.contentDisposition]?.contains("filename*=UTF-8''" + chinese) == true, "\(r.headers[.contentDisposition] ?? "")")
                // Its hidden sheet of options: Nayong's office records Nayong's rows, and nothing else.
                let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".xlsx")
                try Data(buffer: r.body).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                var rows = try SheetFiles.open(file, sheet: "选项")
                var lists: [[String]] = []
                while let (_, cells) = try rows.next() { lists.append(cells.map(\.text)) }
                let countyColumn = try #require(lists.first?.firstIndex(of: ledger.definition.label(ledger.definition.countyField, .zh)))
                let counties = lists.dropFirst().compactMap { countyColumn < $0.count && !$0[countyColumn].isEmpty ? $0[countyColumn] : nil }
                #expect(counties == ["纳雍县（520525）"], "\(ledger)")
                // The sheet itself is what an import reads: its header is complete.
                let layout = try SheetFiles.layout(file, definition: ledger.definition, regions: RegionDirectory([]))
                #expect(layout.complete && layout.headerRow == 2, "\(ledger)")
            }
            let wider = try await officer.execute(uri: "/ledgers/labour/template.xlsx", method: .get)
            #expect(wider.status == .ok && Data(buffer: wider.body).count > 0)
        }
    }

    @Test func theRegionFilterOffersTheRegionsTheLedgersAreAboutInTheReadersScope() async throws {
        try await withRawApp(users: Self.users) { raw in
            func offered(_ c: AuthedClient, _ uri: String) async throws -> [String] {
                let html = try await c.execute(uri: uri, method: .get).text
                guard let start = html.range(of: "<select name=\"region\">"), let end = html[start.upperBound...].range(of: "</select>") else {
                    return []
                }
                return html[start.upperBound..<end.lowerBound].components(separatedBy: "value=\"").dropFirst().map { String($0.prefix(6)) }
                    .filter { $0.count == 6 && $0.allSatisfy(\.isNumber) }
            }
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            for uri in ["/ledgers/labour", "/projects"] {
                // The region table holds the whole country; the filter offers Guizhou (the pairings' western side).
                let all = try await offered(admin, uri)
                #expect(all.contains("520500") && all.allSatisfy { $0.hasPrefix("52") }, "\(uri): \(all.prefix(5))")
                #expect(!all.contains("110000") && !all.contains("450100"), "\(uri)")
                // A prefecture's officer: its own prefecture and its counties only.
                let own = try await offered(officer, uri)
                #expect(!own.isEmpty && own.allSatisfy { $0.hasPrefix("5205") }, "\(uri): \(own.prefix(5))")
            }
            if let first = try await offered(admin, "/ledgers/labour").first(where: { $0.hasPrefix("52") }) { #expect(first == "520000") }
        }
    }

    @Test func aBrokenFileAndABadRowWriteNothing() async throws {
        try await withRawApp(users: Self.users) { raw in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let count = { try await allRows(admin, "consumption", "q=%E5%9D%8F").count }
            var csv = "产品名称,供货企业,企业所在县,采购方,渠道,金额（万元）,日期\n"
            for i in 1...300 { csv += "坏批次\(i),纳雍测试公司,纳雍县,佛山食堂,电商,1.5,2024-03-0\(1 + i % 9)\n" }
            csv += "坏批次X,纳雍测试公司,纳雍县,佛山食堂,电商,一百,2024-03-01\n"
            let r = try await importCSV(admin, "consumption", csv)
            #expect(r.status == .unprocessableContent && r.json["committed"] as? Bool == false)
            let bad = (r.json["rows"] as? [[String: Any]])?.first
            #expect(bad?["row"] as? Int == 302)
            let issue = (bad?["issues"] as? [[String: Any]])?.first
            #expect((issue?["column"] as? String)?.hasPrefix("F") == true && (issue?["message"] as? String)?.contains("一百") == true)
            #expect(try await count() == 0)
            let broken = try await admin.execute(
                uri: "/api/v1/ledgers/consumption/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["content": Data("PK\u{3}\u{4}garbage".utf8).base64EncodedString()]))
            #expect(broken.status == .unprocessableContent && broken.errorCode == "unreadable_file")
            // Through the page: the preview says why, in Chinese, and offers no import.
            let (h, b) = multipart([("_csrf", admin.csrf)], file: ("bad.xlsx", Data("PK\u{3}\u{4}garbage".utf8)))
            let page = try await admin.execute(uri: "/ledgers/consumption/import", method: .post, headers: h, body: b)
            #expect(page.status == .unprocessableContent && page.text.contains("无法读取文件") && !page.text.contains("commit-form"))
        }
    }
}

func groupThousandsText(_ n: Int) -> String { groupThousands(String(n)) }

/// No page shows an absent value as the word "nil" (Mustache renders a stored `nil` as text).
@Suite struct NoNilOnPagesTests {
    @Test func pagesShowNoNil() async throws {
        try await withRawApp(users: [("admin.test", .admin, "520000")]) { raw in
            let login = try await raw.execute(uri: "/login", method: .get)
            #expect(!login.text.contains(">nil<"), "login page")
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            for uri in [
                "/", "/tokens", "/projects/new", "/projects", "/ledgers", "/ledgers/labour", "/ledgers/consumption/new",
                "/regions/520000", "/regions/520525", "/meetings", "/tasks", "/progress", "/documents", "/documents/new", "/assessments",
            ] {
                let page = try await admin.execute(uri: uri, method: .get)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.text.contains(">nil<") && !page.text.contains("\"nil\""), "\(uri) shows nil")
            }
            let row = try #require(try await allRows(admin, "labour", "region=520500").first)
            let detail = try await admin.execute(uri: "/ledgers/labour/\(row.id)", method: .get).text
            #expect(!detail.contains(">nil<"))
        }
    }
}
