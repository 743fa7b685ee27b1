import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

@Suite struct ReviewChainTests {
    static let users: [(String, Role, String)] = [
        ("nayong.reporter", .countyReporter, "520525"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("zunyi.officer", .prefectureOfficer, "520300"),
    ]

    func workersPlaced(_ c: AuthedClient) async throws -> Int {
        let d = try await c.execute(uri: "/api/v1/dashboard?year=2024", method: .get).json
        let rows = ((d["completion"] as? [String: Any])?["indicators"] as? [[String: Any]]) ?? []
        return rows.first { $0["indicatorCode"] as? String == "demo_villages" }?["actual"] as? Int ?? -1
    }

    func version(_ c: AuthedClient, _ id: String) async throws -> String {
        let page = try await c.execute(uri: "/progress/\(id)", method: .get).text
        guard let r = page.range(of: "name=\"version\" value=\"") else { return "" }
        return String(page[r.upperBound...].prefix { $0.isNumber })
    }

    func state(_ c: AuthedClient, _ id: String) async throws -> String? {
        let page = try await c.execute(uri: "/progress/\(id)", method: .get).text
        guard let r = page.range(of: "data-state=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func submitReturnCorrectResubmitApprove() async throws {
        try await withRawApp(users: Self.users) { raw in
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let officer = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let stranger = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            let start = try await workersPlaced(officer)

            let created = try await reporter.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([("indicatorCode", "demo_villages"), ("regionCode", "520525"), ("year", "2024"), ("month", "11"), ("value", "500")]))
            let id = locationID(created)
            #expect(try await state(reporter, id) == "draft")
            #expect(try await workersPlaced(officer) == start)

            // The reporter cannot approve its own figure; the officer cannot approve a draft.
            #expect(
                try await reporter.execute(uri: "/progress/\(id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .forbidden)
            #expect(
                try await officer.execute(uri: "/progress/\(id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status == .conflict
            )
            #expect(
                try await reporter.execute(uri: "/progress/\(id)/submit", method: .post, headers: formHeaders, body: ByteBuffer()).status == .seeOther
            )
            #expect(try await officer.execute(uri: "/review", method: .get).text.contains("/progress/\(id)"))
            // Another prefecture's officer sees nothing of it.
            #expect(try await stranger.execute(uri: "/progress/\(id)", method: .get).status == .notFound)
            #expect(
                try await stranger.execute(uri: "/progress/\(id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .notFound)

            // Returned only with a comment.
            // (The figure's page again, with the reason beside the return form.)
            let blank = try await officer.execute(uri: "/progress/\(id)/return", method: .post, headers: formHeaders, body: form([("comment", " ")]))
            #expect(blank.status == .seeOther && blank.headers[.location] == "/progress/\(id)?return=missing#return-form")
            #expect(try await officer.execute(uri: "/progress/\(id)?return=missing", method: .get).text.contains("id=\"error-comment\""))
            #expect(try await state(reporter, id) == "submitted")
            #expect(
                try await officer.execute(
                    uri: "/progress/\(id)/return", method: .post, headers: formHeaders,
                    body: form([("comment", "人数与台账不符，请核对")])
                ).status == .seeOther)
            #expect(try await state(reporter, id) == "returned")
            #expect(try await reporter.execute(uri: "/progress/\(id)", method: .get).text.contains("人数与台账不符"))
            #expect(try await reporter.execute(uri: "/review", method: .get).text.contains("/progress/\(id)"))
            #expect(try await workersPlaced(officer) == start)

            // A correction from a page read before the figure changed is refused; from the current page it lands.
            #expect(
                try await reporter.execute(
                    uri: "/progress/\(id)/correct", method: .post, headers: formHeaders,
                    body: form([("value", "450"), ("version", "1")])
                ).status == .conflict)
            #expect(
                try await reporter.execute(
                    uri: "/progress/\(id)/correct", method: .post, headers: formHeaders,
                    body: form([("value", "450"), ("version", try await version(reporter, id))])
                ).status == .seeOther)
            #expect(
                try await reporter.execute(uri: "/progress/\(id)/submit", method: .post, headers: formHeaders, body: ByteBuffer()).status == .seeOther
            )
            #expect(try await workersPlaced(officer) == start)
            #expect(
                try await officer.execute(uri: "/progress/\(id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status == .seeOther
            )
            #expect(try await state(officer, id) == "approved")
            #expect(try await workersPlaced(officer) == start + 450)
            // Approved figures are no longer editable.
            #expect(
                try await reporter.execute(uri: "/progress/\(id)/correct", method: .post, headers: formHeaders, body: form([("value", "9")])).status
                    == .conflict)
            let history = try await reporter.execute(uri: "/progress/\(id)", method: .get).text
            for step in ["填报", "提交审核", "退回", "修改数值", "审核通过"] { #expect(history.contains(step), "\(step)") }
        }
    }
}

@Suite struct HistoryTests {
    @Test func projectHistoryComparesVersionsAndExports() async throws {
        try await withApp { client in
            let created = try await client.execute(
                uri: "/api/v1/projects", method: .post, headers: jsonHeaders,
                body: jsonBody([
                    "title": "初版名称", "pairingId": 2, "countyCode": "520525", "workArea": "industry", "beneficiaries": 10,
                ]))
            let id = try created.createdID
            _ = try await client.execute(
                uri: "/api/v1/projects/\(id)", method: .put, headers: jsonHeaders,
                body: jsonBody([
                    "title": "第二版名称", "pairingId": 2, "countyCode": "520525", "workArea": "industry", "beneficiaries": 10, "version": 1,
                ]))
            let page = try await client.execute(uri: "/projects/\(id)", method: .get).text
            #expect(page.contains("id=\"history-block\"") && page.contains("tester"))
            let diff = try await client.execute(uri: "/history/project/\(id)?from=1&to=2", method: .get).text
            // Fields by their names on the form, codes by their names, times in Beijing time.
            #expect(diff.contains("<tr class=\"changed\"><td>名称</td><td>初版名称</td><td><ins class=\"chg\">第二版名称</ins>"))
            #expect(!diff.contains("<tr class=\"changed\"><td>受益人数</td>"))
            #expect(diff.contains("纳雍县（520525）") && !diff.contains("countyCode"))
            #expect(try await client.execute(uri: "/history/project/\(id)?from=9", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/history/nothing/\(id)", method: .get).status == .notFound)
            let csv = try await client.execute(uri: "/history/project/\(id)/export", method: .get)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
        }
    }

    /// A ledger row's history: the ledger's own field names, the county by name, personal data never shown.
    @Test func aLedgerRowsHistoryHidesPersonalData() async throws {
        try await withApp { client in
            let csv = "姓名,身份证号码,户籍县,就业单位,就业城市,就业时间\n历史工人,\(validID("520525", 321)),纳雍县,佛山某厂,佛山市,2024-05-06\n"
            let r = try await client.execute(
                uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["fileName": "h.csv", "content": Data(csv.utf8).base64EncodedString()]))
            #expect(r.status == .created)
            let rows = try await allRows(client, "labour", "q=%E5%8E%86%E5%8F%B2%E5%B7%A5%E4%BA%BA")
            let id = try #require(rows.first?.id)
            let page = try await client.execute(uri: "/history/ledger_row/\(id)", method: .get).text
            #expect(page.contains("历史工人") && page.contains("纳雍县（520525）") && page.contains("个人信息，不显示"))
            #expect(!page.contains("enc1:") && !page.contains(validID("520525", 321)))
        }
    }

    /// Figures, documents and agreements have the same history: listed on their page, compared, exported.
    @Test func everyObjectPageShowsItsHistory() async throws {
        try await withApp { client in
            let figure = try await client.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["indicatorCode": "demo_villages", "regionCode": "520525", "year": 2024, "month": 11, "value": "12"]))
            let fid = try figure.createdID
            let page = try await client.execute(uri: "/progress/\(fid)", method: .get).text
            let version = String(page[page.range(of: "name=\"version\" value=\"")!.upperBound...].prefix { $0.isNumber })
            _ = try await client.execute(
                uri: "/progress/\(fid)/correct", method: .post, headers: formHeaders, body: form([("value", "15"), ("version", version)]))
            let diff = try await client.execute(uri: "/history/progress/\(fid)?from=1&to=2", method: .get).text
            #expect(diff.contains("<td>数值</td><td>12 个</td><td><ins class=\"chg\">15 个</ins>"), "\(diff)")
            #expect(diff.contains("<td>示范村建设</td>") && !diff.contains("demo_villages"))
            #expect(try await client.execute(uri: "/progress/\(fid)", method: .get).text.contains("/history/progress/\(fid)/export"))

            let doc = try await client.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "有历史的文档"), ("text", "普通的工作简报。")]))
            let did = Int((doc.headers[.location] ?? "").split(separator: "/").last!)!
            #expect(try await client.execute(uri: "/documents/\(did)", method: .get).text.contains("/history/document/\(did)"))
            let docHistory = try await client.execute(uri: "/history/document/\(did)/export", method: .get).text
            #expect(docHistory.contains("有历史的文档"))

            let aid = try #require(
                try await client.execute(uri: "/api/v1/agreements", method: .get).decode(ListOut<AgreementOut>.self).items.first
            ).id
            #expect(try await client.execute(uri: "/agreements/\(aid)", method: .get).text.contains("id=\"history-block\""))
            #expect(try await client.execute(uri: "/history/agreement/\(aid)", method: .get).status == .ok)
        }
    }
}

@Suite struct ProgressImportTests {
    func count(_ c: AuthedClient, note: String) async throws -> Int {
        var total = 0
        var page = 1
        while true {
            let items = try await c.execute(uri: "/api/v1/progress?region=520500&indicator=demo_villages&perPage=100&page=\(page)", method: .get)
                .decode(ListOut<ProgressOut>.self).items
            total += items.filter { $0.note == note }.count
            if items.count < 100 { return total }
            page += 1
        }
    }

    @Test func importsAreAllOrNothingWithRowLevelErrors() async throws {
        try await withRawApp(users: [("bijie.officer", .prefectureOfficer, "520500")]) { raw in
            let c = try await AuthedClient.signIn(raw, username: "bijie.officer")
            // One figure per indicator, county and month: 300 of them over 25 years of one county.
            var rows: [[String: Any]] = (1...300).map { i in
                [
                    "indicatorCode": "demo_villages", "regionCode": "520525", "year": 1999 + (i + 11) / 12, "month": 1 + i % 12, "value": String(i),
                    "note": "导入测试",
                ]
            }
            // Row 120 has a bad value, row 250 lies in another prefecture: nothing is written, both are named.
            rows[119]["value"] = "十二"
            rows[249]["regionCode"] = "520323"
            let bad = try await c.execute(uri: "/api/v1/progress/import", method: .post, headers: jsonHeaders, body: jsonBody(["rows": rows]))
            #expect(bad.status == .unprocessableContent)
            let problems = ((bad.json["error"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
            #expect(Set(problems.compactMap { $0["row"] as? Int }) == [120, 250])
            #expect(problems.contains { $0["row"] as? Int == 250 && ($0["message"] as? String)?.contains("数据范围") == true })
            #expect(try await count(c, note: "导入测试") == 0)

            rows[119]["value"] = "12"
            rows[249]["regionCode"] = "520526"
            // The same period twice in the file: the second is named, with the first.
            var twice = rows
            twice[10]["year"] = twice[9]["year"]
            twice[10]["month"] = twice[9]["month"]
            let dup = try await c.execute(uri: "/api/v1/progress/import", method: .post, headers: jsonHeaders, body: jsonBody(["rows": twice]))
            #expect(dup.status == .unprocessableContent)
            let dupRows = ((dup.json["error"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
            #expect(dupRows.count == 1 && dupRows.first?["row"] as? Int == 11 && (dupRows.first?["message"] as? String)?.contains("第 10 行") == true)
            let good = try await c.execute(uri: "/api/v1/progress/import", method: .post, headers: jsonHeaders, body: jsonBody(["rows": rows]))
            #expect(good.status == .created && good.json["imported"] as? Int == 300)
            #expect(try await count(c, note: "导入测试") == 300)
            // Importing the same file again: every row clashes with the figure it made, named with a link; nothing is written.
            let again = try await c.execute(uri: "/api/v1/progress/import", method: .post, headers: jsonHeaders, body: jsonBody(["rows": rows]))
            #expect(again.status == .unprocessableContent)
            let clashes = ((again.json["error"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
            #expect(clashes.count == 300 && (clashes.first?["message"] as? String)?.contains("/progress/") == true)
            #expect(try await count(c, note: "导入测试") == 300)
            #expect(
                try await c.execute(
                    uri: "/api/v1/progress/import", method: .post, headers: jsonHeaders,
                    body: jsonBody(["rows": [] as [Any]])
                ).status == .unprocessableContent)
        }
    }
}
