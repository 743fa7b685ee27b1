import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// A clock the test moves: the same app before and after a round's deadline.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var day: Day
    init(_ day: Day) { self.day = day }
    func set(_ d: Day) { lock.withLock { day = d } }
    var clock: ChinaClock {
        ChinaClock(now: { [self] in ChinaClock.fixed(lock.withLock { day }).now() })
    }
}

/// Reporting rounds: opened by a prefecture for its counties, filled in and submitted, the late one reminded, locked
/// at the deadline, changed only through a request the level above decides — and refused whenever someone tries it
/// out of turn.
@Suite struct RoundsTests {
    static let users: [(String, Role, String)] = [
        ("bijie.officer", .prefectureOfficer, "520500"), ("nayong.reporter", .countyReporter, "520525"),
        ("dafang.reporter", .countyReporter, "520521"), ("zunyi.officer", .prefectureOfficer, "520300"),
        ("gd.province", .provinceCoordinator, "440000"), ("gz.viewer", .viewer, "520000"),
    ]

    static let openForm: [(String, String)] = [
        ("title", "2025年2月资金和示范村填报"), ("year", "2025"), ("month", "2"), ("deadline", "2025-03-10"),
        ("indicators", "demo_villages"), ("indicators", "fiscal_aid"), ("ledgers", "labour"),
        ("members", "520525"), ("members", "520521"), ("note", "请附拨付凭证"),
    ]

    func figure(_ c: AuthedClient, _ code: String, _ value: String, region: String = "520525", month: String = "2") async throws -> TestResponse {
        try await c.execute(
            uri: "/progress", method: .post, headers: formHeaders,
            body: form([("indicatorCode", code), ("regionCode", region), ("year", "2025"), ("month", month), ("value", value)]))
    }

    func rounds(_ c: AuthedClient) async throws -> [RoundOut] {
        try await c.execute(uri: "/api/v1/rounds", method: .get).decode(RoundsOut.self).rounds
    }

    @Test func aRoundFromOpeningToAnApprovedChange() async throws {
        let time = MovableClock(Day("2025-03-01")!)
        try await withAppAndStore(demo: false, users: Self.users, clock: time.clock) { raw, store in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let dafang = try await AuthedClient.signIn(raw, username: "dafang.reporter")
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")

            let opened = try await bijie.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(Self.openForm))
            #expect(opened.status == .seeOther)
            let id = locationID(opened)
            let round = try #require(try await rounds(bijie).first { String($0.id) == id })
            #expect(round.members.map(\.regionCode) == ["520521", "520525"] && round.members.allSatisfy { $0.status == "pending" })
            #expect(round.indicators == ["demo_villages", "fiscal_aid"] && round.ledgers == ["labour"] && !round.locked)
            // Another prefecture's office does not see it; a county cannot open one.
            #expect(try await zunyi.execute(uri: "/rounds/\(id)", method: .get).status == .notFound)
            #expect(try await rounds(zunyi).isEmpty)
            #expect(try await nayong.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(Self.openForm)).status == .forbidden)

            // The county's to-do: in its inbox, and on the round's page with what is missing.
            let inbox = try await nayong.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            #expect(inbox.items.contains { $0.key == "round:\(id):pending" && $0.link == "/rounds/\(id)" })
            #expect(try await nayong.execute(uri: "/rounds/\(id)", method: .get).text.contains("id=\"round-mine\""))

            // Submitting with a figure missing names it and changes nothing.
            #expect(try await figure(nayong, "demo_villages", "3").status == .seeOther)
            let early = try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520525")]))
            #expect(early.status == .unprocessableContent && early.text.contains("财政援助资金"))
            #expect(try await rounds(nayong).first?.members.first { $0.regionCode == "520525" }?.status == "pending")
            // A county cannot submit another county's return.
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520521")])).status
                    == .forbidden)

            #expect(try await figure(nayong, "fiscal_aid", "12.5").status == .seeOther)
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520525")])).status
                    == .seeOther)
            var f = ProgressFilter(regionCode: "520525", year: 2025, scope: .all)
            f.month = 2
            let submitted = try await store.progress(f, page: Page(number: 1, size: 10)).items
            #expect(submitted.count == 2 && submitted.allSatisfy { $0.state == .submitted })
            // Submitting again is refused while nothing was sent back.
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520525")])).status
                    == .conflict)

            // The deadline passes: 大方县 is late and reminded once, in one click; 纳雍县 (submitted) is not.
            time.set(Day("2025-03-11")!)
            let late = try #require(try await rounds(bijie).first { String($0.id) == id })
            #expect(late.locked && late.members.first { $0.regionCode == "520521" }?.status == "late")
            #expect(try await bijie.execute(uri: "/rounds/\(id)", method: .get).text.contains("data-status=\"late\""))
            // Only the round's office reminds.
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/remind", method: .post, headers: formHeaders, body: ByteBuffer()).status == .forbidden)
            #expect(try await bijie.execute(uri: "/rounds/\(id)/remind", method: .post, headers: formHeaders, body: ByteBuffer()).status == .seeOther)
            let reminded = try #require(try await rounds(bijie).first { String($0.id) == id })
            #expect(reminded.members.first { $0.regionCode == "520521" }?.reminders == 1)
            #expect(reminded.members.first { $0.regionCode == "520525" }?.reminders == 0)
            let dafangInbox = try await dafang.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            #expect(dafangInbox.items.contains { $0.key == "round:\(id):reminder:1" })
            #expect(try await store.history(entity: "round", id: id).contains { $0.action == "remind" && $0.actor == "bijie.officer" })

            // The late county still reports, and its return locks as it comes in.
            #expect(try await figure(dafang, "demo_villages", "1", region: "520521").status == .seeOther)
            #expect(try await figure(dafang, "fiscal_aid", "4", region: "520521").status == .seeOther)
            #expect(
                try await dafang.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520521")])).status
                    == .seeOther)

            // Locked: a new figure of the period is refused through the form's API, so is an import.
            let locked = try await nayong.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody(["indicatorCode": "fiscal_aid", "regionCode": "520525", "year": 2025, "month": 2, "value": 100]))
            #expect(locked.status == .conflict && locked.errorCode == "period_locked")
            // Another month stays open.
            #expect(try await figure(nayong, "fiscal_aid", "1", month: "1").status == .seeOther)

            // A ledger row dated in the locked period is refused row by row; one of March goes in.
            let labour =
                "姓名,身份证号码,户籍县,是否脱贫人口,就业单位,就业城市,就业时间\n"
                + "测试甲,\(validID("520525", 1)),纳雍县,是,佛山测试厂,佛山市,2025-02-03\n"
            let refused = try await nayong.execute(
                uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                body: jsonBody(["fileName": "t.csv", "content": Data(labour.utf8).base64EncodedString(), "dryRun": false]))
            #expect(refused.status == .unprocessableContent && refused.text.contains("#\(id)"))
            let march = labour.replacingOccurrences(of: "2025-02-03", with: "2025-03-03")
            #expect(
                try await nayong.execute(
                    uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                    body: jsonBody(["fileName": "t.csv", "content": Data(march.utf8).base64EncodedString(), "dryRun": false])
                ).status == .created)

            // A change request: the county asks with a reason; it cannot decide it itself; the prefecture approves.
            let villages = try #require(submitted.first { $0.indicatorCode == "demo_villages" })
            let page = try await nayong.execute(uri: "/progress/\(villages.id)", method: .get).text
            #expect(page.contains("id=\"figure-locked\"") && page.contains("id=\"change-form\"") && !page.contains("id=\"correct-form\""))
            let noReason = try await nayong.execute(
                uri: "/progress/\(villages.id)/change", method: .post, headers: formHeaders, body: form([("value", "5"), ("reason", " ")]))
            #expect(noReason.status == .unprocessableContent)
            #expect(
                try await nayong.execute(
                    uri: "/progress/\(villages.id)/change", method: .post, headers: formHeaders, body: form([("value", "5"), ("reason", "漏报两个村")])
                ).status == .seeOther)
            let again = try await nayong.execute(
                uri: "/progress/\(villages.id)/change", method: .post, headers: formHeaders, body: form([("value", "6"), ("reason", "再改")]))
            #expect(again.status == .conflict)
            // 遵义 cannot even ask about 纳雍's figure.
            #expect(
                try await zunyi.execute(
                    uri: "/progress/\(villages.id)/change", method: .post, headers: formHeaders, body: form([("value", "9"), ("reason", "x")])
                ).status == .notFound)
            let request = try #require(try await store.changeRequests(within: nil, state: .pending).first)
            #expect(
                try await nayong.execute(uri: "/changes/\(request.id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .forbidden)
            #expect(
                try await zunyi.execute(uri: "/changes/\(request.id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .notFound)
            let bijieInbox = try await bijie.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            #expect(bijieInbox.items.contains { $0.key == "change:\(request.id)" })
            #expect(try await bijie.execute(uri: "/changes", method: .get).text.contains("漏报两个村"))
            #expect(
                try await bijie.execute(uri: "/changes/\(request.id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .seeOther)
            let changed = try #require(try await store.progressReport(id: villages.id))
            #expect(changed.value == 5 && changed.state == .approved)
            #expect(try await store.progressAuthors(id: villages.id).approvedBy == "bijie.officer")
            let trail = try await store.history(entity: "progress", id: String(villages.id))
            let change = try #require(trail.last)
            #expect(change.action == "change" && change.actor == "bijie.officer")
            #expect(change.after?.contains("\"changeRequest\":\(request.id)") == true && change.after?.contains("漏报两个村") == true)
            #expect(try await store.changeRequest(id: request.id)?.state == .approved)
            // Decided once only.
            #expect(
                try await bijie.execute(uri: "/changes/\(request.id)/reject", method: .post, headers: formHeaders, body: form([("comment", "x")]))
                    .status == .conflict)

            // Unlocked, the period takes corrections directly (no request needed); locked again, it does not.
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/lock", method: .post, headers: formHeaders, body: form([("lock", "unlocked")])).status
                    == .forbidden)
            #expect(
                try await bijie.execute(uri: "/rounds/\(id)/lock", method: .post, headers: formHeaders, body: form([("lock", "unlocked")])).status
                    == .seeOther)
            let fiscal = try #require(submitted.first { $0.indicatorCode == "fiscal_aid" })
            let notLocked = try await nayong.execute(
                uri: "/progress/\(fiscal.id)/change", method: .post, headers: formHeaders, body: form([("value", "13"), ("reason", "x")]))
            #expect(notLocked.status == .conflict)
            #expect(
                try await nayong.execute(
                    uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                    body: jsonBody(["indicatorCode": "fiscal_aid_key_counties", "regionCode": "520525", "year": 2025, "month": 2, "value": 100])
                ).status == .created)
            #expect(
                try await bijie.execute(uri: "/rounds/\(id)/lock", method: .post, headers: formHeaders, body: form([("lock", "locked")])).status
                    == .seeOther)
            #expect(try await rounds(bijie).first { String($0.id) == id }?.locked == true)
            let actions = try await store.history(entity: "round", id: id).map(\.action)
            #expect(actions.contains("unlock") && actions.contains("lock") && actions.filter { $0 == "submit" }.count == 2)
        }
    }

    @Test func aFigureSentBackStaysCorrectableInALockedPeriod() async throws {
        let time = MovableClock(Day("2025-03-01")!)
        try await withAppAndStore(demo: false, users: Self.users, clock: time.clock) { raw, store in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let id = locationID(try await bijie.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(Self.openForm)))
            _ = try await figure(nayong, "demo_villages", "3")
            _ = try await figure(nayong, "fiscal_aid", "2")
            _ = try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520525")]))
            time.set(Day("2025-03-20")!)
            var f = ProgressFilter(regionCode: "520525", year: 2025, scope: .all)
            f.month = 2
            let villages = try #require(
                try await store.progress(f, page: Page(number: 1, size: 10)).items.first { $0.indicatorCode == "demo_villages" })
            // The prefecture returns it: the county corrects and submits it again, no request needed.
            #expect(
                try await bijie.execute(
                    uri: "/progress/\(villages.id)/return", method: .post, headers: formHeaders, body: form([("comment", "数字有误")])
                )
                .status == .seeOther)
            #expect(try await rounds(bijie).first?.members.first { $0.regionCode == "520525" }?.status == "returned")
            let version = try #require(try await store.progressVersion(id: villages.id))
            #expect(
                try await nayong.execute(
                    uri: "/progress/\(villages.id)/correct", method: .post, headers: formHeaders,
                    body: form([("value", "4"), ("version", String(version))])
                ).status == .seeOther)
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520525")])).status
                    == .seeOther)
            let after = try #require(try await store.progressReport(id: villages.id))
            #expect(after.value == 4 && after.state == .submitted)
            #expect(try await rounds(bijie).first?.members.first { $0.regionCode == "520525" }?.status == "submitted")
        }
    }

    @Test func aLockedLedgerRowChangesOnlyThroughARequest() async throws {
        let time = MovableClock(Day("2025-03-01")!)
        try await withAppAndStore(demo: false, users: Self.users, clock: time.clock) { raw, store in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let id = locationID(try await bijie.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(Self.openForm)))
            let labour =
                "姓名,身份证号码,户籍县,是否脱贫人口,就业单位,就业城市,就业时间\n"
                + "测试乙,\(validID("520525", 7)),纳雍县,是,佛山测试厂,佛山市,2025-02-03\n"
            #expect(
                try await nayong.execute(
                    uri: "/api/v1/ledgers/labour/import", method: .post, headers: jsonHeaders,
                    body: jsonBody(["fileName": "t.csv", "content": Data(labour.utf8).base64EncodedString(), "dryRun": false])
                ).status == .created)
            _ = try await figure(nayong, "demo_villages", "3")
            _ = try await figure(nayong, "fiscal_aid", "2")
            #expect(
                try await nayong.execute(uri: "/rounds/\(id)/submit", method: .post, headers: formHeaders, body: form([("region", "520525")])).status
                    == .seeOther)
            time.set(Day("2025-03-11")!)
            let row = try #require(try await store.ledgerRows(.labour, LedgerFilter(scope: .all), page: Page(number: 1, size: 5)).items.first)
            let page = try await nayong.execute(uri: "/ledgers/labour/\(row.id)", method: .get).text
            #expect(page.contains("id=\"row-locked\"") && page.contains("id=\"request-row-change\"") && !page.contains("id=\"edit-row\""))
            // The form as the page fills it, with the city changed.
            let d = LedgerName.labour.definition
            var fields = d.fields.indices.map { i in
                (d.fields[i].key, LedgerValue.display(row.values[i], field: d.fields[i], lang: .zh, reveal: true))
            }
            fields = fields.map { $0.0 == "city" ? ("city", "深圳市") : $0 }
            // A plain save is refused: the period is locked.
            let plain = try await nayong.execute(
                uri: "/ledgers/labour/\(row.id)", method: .post, headers: formHeaders, body: form(fields + [("version", String(row.version))]))
            #expect(plain.status == .conflict)
            let noReason = try await nayong.execute(
                uri: "/ledgers/labour/\(row.id)", method: .post, headers: formHeaders,
                body: form(fields + [("version", String(row.version)), ("intent", "change")]))
            #expect(noReason.status == .unprocessableContent)
            let asked = try await nayong.execute(
                uri: "/ledgers/labour/\(row.id)", method: .post, headers: formHeaders,
                body: form(fields + [("version", String(row.version)), ("intent", "change"), ("reason", "工作城市登记错误")]))
            #expect(asked.status == .seeOther)
            // The request waits, the row unchanged; its values are sealed where they wait.
            let request = try #require(try await store.changeRequests(within: nil, state: .pending, ledgerRowId: row.id).first)
            #expect(request.summary.contains("就业城市") && request.ledgerRowId == row.id)
            #expect(try await store.ledgerRow(id: row.id)?.values == row.values)
            #expect(try await nayong.execute(uri: "/ledgers/labour/\(row.id)/edit", method: .get).status == .conflict)
            #expect(
                try await nayong.execute(uri: "/changes/\(request.id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .forbidden)
            #expect(
                try await bijie.execute(uri: "/changes/\(request.id)/approve", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .seeOther)
            let changed = try #require(try await store.ledgerRow(id: row.id))
            let city = d.fields.firstIndex { $0.key == "city" }!
            #expect(changed.values[city] == "深圳市" && changed.state == .approved)
            #expect(try await store.history(entity: "ledger_row", id: String(row.id)).last?.action == "change")
            #expect(try await store.ledgerAuthors(id: row.id).approvedBy == "bijie.officer")
        }
    }

    @Test func openingARoundRefusesWhatItsOfficeMayNotAsk() async throws {
        try await withRawApp(demo: false, users: Self.users, clock: .fixed(Day("2025-03-01")!)) { raw in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            func refused(_ change: (String, String), dropping: String? = nil) async throws -> TestResponse {
                var fields = Self.openForm.filter { $0.0 != change.0 && $0.0 != dropping }
                fields.append(change)
                return try await bijie.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(fields))
            }
            let cases: [((String, String), String?, String)] = [
                (("members", "520302"), "members", "不在您可以布置"),  // a county of 遵义
                (("members", "440103"), "members", "不在您可以布置"),  // a district of 广州 (the other side)
                (("members", "520500"), "members", "不在您可以布置"),  // its own level
                (("indicators", "workers_placed"), "indicators", "workers_placed"),  // counted from a ledger
                (("indicators", "<script>"), "indicators", "&lt;script&gt;"),
                (("ledgers", "salaries"), "ledgers", "salaries"),
                (("month", "4"), nil, "填报期不能晚于本月"),
                (("month", "13"), nil, "月份"),
                (("deadline", "2025-02-28"), nil, "截止日期不能早于今天"),
                (("deadline", "下周五"), nil, "日期"),
                (("title", String(repeating: "长", count: 101)), nil, "100"),
                (("title", "   "), nil, "必填"),
            ]
            for (change, dropping, says) in cases {
                let r = try await refused(change, dropping: dropping)
                #expect(r.status == .unprocessableContent, "\(change)")
                #expect(r.text.contains(says), "\(change) should say \(says)")
            }
            let nothing = try await bijie.execute(
                uri: "/rounds", method: .post, headers: formHeaders,
                body: form(Self.openForm.filter { $0.0 != "indicators" && $0.0 != "ledgers" }))
            #expect(nothing.status == .unprocessableContent && nothing.text.contains("至少选择一项"))
            // Nothing was opened by any of it.
            #expect(try await rounds(bijie).isEmpty)
            // The eastern province and a viewer cannot open rounds for 毕节's counties.
            let gd = try await AuthedClient.signIn(raw, username: "gd.province")
            #expect(
                try await gd.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(Self.openForm)).status == .unprocessableContent)
            let viewer = try await AuthedClient.signIn(raw, username: "gz.viewer")
            #expect(try await viewer.execute(uri: "/rounds", method: .post, headers: formHeaders, body: form(Self.openForm)).status == .forbidden)
            // Every county of the scope, by the API (no member list): 毕节's eight.
            let api = try await bijie.execute(
                uri: "/api/v1/rounds", method: .post, headers: jsonHeaders,
                body: jsonBody(["title": "全市", "year": 2025, "month": 2, "deadline": "2025-03-05", "indicators": ["fiscal_aid"]]))
            #expect(api.status == .created)
            let made = try api.decode(RoundOut.self)
            #expect(made.members.count == 8 && made.members.allSatisfy { $0.regionCode.hasPrefix("5205") })
            let bad = try await bijie.execute(
                uri: "/api/v1/rounds", method: .post, headers: jsonHeaders,
                body: jsonBody([
                    "title": "x", "year": 2025, "month": 2, "deadline": "2025-03-05", "indicators": ["fiscal_aid"], "members": ["520302"],
                ]))
            #expect(bad.status == .unprocessableContent && bad.errorFields == ["members"])
            #expect(
                try await bijie.execute(uri: "/api/v1/rounds", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "{\"title\":1}")).status
                    == .badRequest)
        }
    }

    @Test func theDemoHasALateCountyInALockedRound() async throws {
        try await withRawApp(
            users: [("bijie.officer", .prefectureOfficer, "520500"), ("nayong.reporter", .countyReporter, "520525")],
            clock: .fixed(Day("2024-12-20")!)
        ) { raw in
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let round = try #require(try await rounds(bijie).first)
            #expect(round.locked && round.members.count == 8)
            let nayong = try #require(round.members.first { $0.regionCode == "520525" })
            #expect(nayong.status == "late" && nayong.reminders == 1)
            #expect(round.members.filter { $0.status == "submitted" }.count == 7)
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let inbox = try await reporter.execute(uri: "/api/v1/inbox", method: .get).decode(InboxOut.self)
            #expect(inbox.items.contains { $0.kind == "round" && $0.key.hasSuffix(":late") })
            // The late return is a warning of 毕节's, red ten days past the deadline, linking to the round.
            let warnings = try await bijie.execute(uri: "/api/v1/warnings?year=2024&kind=round_late", method: .get).decode(WarningsOut.self)
            let late = try #require(warnings.items.first)
            #expect(warnings.items.count == 1 && late.regionCode == "520525" && late.level == "red" && late.link == "/rounds/\(round.id)")
        }
    }
}
