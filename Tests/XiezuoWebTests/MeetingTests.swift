import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

@Suite struct MeetingTests {
    static let users: [(String, Role, String)] = [
        ("guangzhou.officer", .prefectureOfficer, "440100"), ("bijie.officer", .prefectureOfficer, "520500"),
        ("nayong.reporter", .countyReporter, "520525"), ("bijie.viewer", .viewer, "520500"),
        ("gd.coordinator", .provinceCoordinator, "440000"), ("qian.coordinator", .provinceCoordinator, "520000"),
        ("admin.assessor", .admin, "520000"),
    ]

    func pairingId(_ c: AuthedClient, west: String) async throws -> Int {
        let pairings = try await c.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self)
        return Int(try #require(pairings.items.first { $0.westCode == west }).id)
    }

    func meetingCount(_ c: AuthedClient) async throws -> Int {
        try await c.execute(uri: "/api/v1/meetings", method: .get).decode(ListOut<MeetingOut>.self).total
    }

    @Test func recordingAMeetingChecksInputAndRights() async throws {
        try await withRawApp(users: Self.users) { raw in
            let gz = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let reporter = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let viewer = try await AuthedClient.signIn(raw, username: "bijie.viewer")
            let pid = try await pairingId(gz, west: "520500")
            let before = try await meetingCount(gz)

            // Invalid input: the form again with each problem beside its field, in Chinese; nothing written.
            let bad = try await gz.execute(
                uri: "/meetings", method: .post, headers: formHeaders,
                body: form([
                    ("kind", "joint_conference"), ("pairingId", String(pid)), ("title", ""), ("date", "2024-13-01"), ("place", "广州"),
                    ("endDate", "2024-01-01"),
                ]))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"error-title\"") && bad.text.contains("必填") && bad.text.contains("id=\"error-date\""))
            #expect(try await meetingCount(gz) == before)

            // Neither a county reporter nor a viewer records meetings.
            let m: [String: Any] = ["pairingId": pid, "kind": "working_meeting", "title": "穗毕工作会", "date": "2024-08-01", "place": "毕节"]
            #expect(try await reporter.execute(uri: "/api/v1/meetings", method: .post, headers: jsonHeaders, body: jsonBody(m)).status == .forbidden)
            #expect(try await viewer.execute(uri: "/api/v1/meetings", method: .post, headers: jsonHeaders, body: jsonBody(m)).status == .forbidden)
            #expect(try await viewer.execute(uri: "/meetings/new", method: .get).status == .forbidden)
            #expect(try await meetingCount(gz) == before)

            // The Guangzhou office records it, with attendees and a study visit's stop.
            let created = try await gz.execute(uri: "/api/v1/meetings", method: .post, headers: jsonHeaders, body: jsonBody(m))
            #expect(created.status == .created)
            let mid = try created.decode(MeetingOut.self).id
            let att = try await gz.execute(
                uri: "/meetings/\(mid)/attendees", method: .post, headers: formHeaders,
                body: form([("name", "张三"), ("position", "毕节市副市长"), ("side", "west")]))
            #expect(att.status == .seeOther)
            let badAtt = try await gz.execute(
                uri: "/meetings/\(mid)/attendees", method: .post, headers: formHeaders,
                body: form([("name", ""), ("side", "north")]))
            #expect(badAtt.status == .unprocessableContent && badAtt.text.contains("id=\"form-errors\""))
            let page = try await gz.execute(uri: "/meetings/\(mid)", method: .get).text
            #expect(page.contains("张三") && page.contains("穗毕工作会"))
            // Both sides read it; the reporter of a Bijie county does too (pairing-level data), but cannot add to it.
            #expect(try await reporter.execute(uri: "/meetings/\(mid)", method: .get).status == .ok)
            #expect(
                try await reporter.execute(
                    uri: "/meetings/\(mid)/decisions", method: .post, headers: formHeaders,
                    body: form([("text", "不应写入")])
                ).status == .forbidden)

            // Editing with a stale version is refused with the current values, and changes nothing.
            let stale = try await gz.execute(
                uri: "/meetings/\(mid)", method: .post, headers: formHeaders,
                body: form([
                    ("kind", "working_meeting"), ("title", "改过的标题"), ("date", "2024-08-01"), ("place", "毕节"), ("version", "0"),
                ]))
            #expect(stale.status == .conflict)
            #expect(try await gz.execute(uri: "/api/v1/meetings/\(mid)", method: .get).json["title"] as? String == "穗毕工作会")
            let ok = try await gz.execute(
                uri: "/meetings/\(mid)", method: .post, headers: formHeaders,
                body: form([
                    ("kind", "working_meeting"), ("title", "改过的标题"), ("date", "2024-08-01"), ("place", "毕节"), ("version", "1"),
                ]))
            #expect(ok.status == .seeOther)
            #expect(try await gz.execute(uri: "/history/meeting/\(mid)?from=1&to=2", method: .get).text.contains("<ins class=\"chg\">改过的标题</ins>"))
        }
    }

    @Test func decisionsBecomeTasksThatOwnersUpdate() async throws {
        try await withRawApp(users: Self.users) { raw in
            let gz = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let pid = try await pairingId(gz, west: "520500")
            let mid =
                try await gz.execute(
                    uri: "/api/v1/meetings", method: .post, headers: jsonHeaders,
                    body: jsonBody(
                        ["pairingId": pid, "kind": "joint_conference", "title": "穗毕联席会议", "date": "2024-03-01", "place": "广州"])
                ).decode(MeetingOut.self).id
            let did =
                try await gz.execute(
                    uri: "/api/v1/meetings/\(mid)/decisions", method: .post, headers: jsonHeaders,
                    body: jsonBody(["text": "共建产业园区引进企业", "workArea": "industry"])
                ).decode(DecisionOut.self).id
            // An owner outside the pairing is refused with the reason.
            let outside = try await gz.execute(
                uri: "/api/v1/decisions/\(did)/tasks", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["title": "越界", "ownerOffice": "遵义市协作办", "ownerRegionCode": "520300", "deadline": "2030-01-01"]))
            #expect(outside.status == .unprocessableContent && outside.text.contains("ownerRegionCode"))
            let t1 = try await gz.execute(
                uri: "/api/v1/decisions/\(did)/tasks", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["title": "引进企业五家", "ownerOffice": "毕节市协作办", "ownerRegionCode": "520500", "deadline": "2030-06-30"])
            ).decode(TaskOut.self)
            let t2 = try await gz.execute(
                uri: "/api/v1/decisions/\(did)/tasks", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["title": "园区招商推介会", "ownerOffice": "广州市协作办", "ownerRegionCode": "440100", "deadline": "2024-04-30"])
            ).decode(TaskOut.self)
            let id1 = t1.id
            let id2 = t2.id
            #expect(t1.state == "open" && t2.state == "overdue")

            // Only the owner posts updates: Guangzhou cannot report for Bijie's task.
            #expect(
                try await gz.execute(
                    uri: "/api/v1/tasks/\(id1)/updates", method: .post, headers: jsonHeaders,
                    body: jsonBody(
                        ["date": "2024-05-01", "text": "代报", "status": "done"])
                ).status == .forbidden)
            let up = try await bijie.execute(
                uri: "/tasks/\(id1)/updates", method: .post, headers: formHeaders,
                body: form(
                    [("date", "2024-05-01"), ("text", "已签约两家企业"), ("evidence", "毕协办〔2024〕3号"), ("status", "in_progress"), ("version", "1")]))
            #expect(up.status == .seeOther)
            // A second update from a page read before the first is stale: 409, nothing written.
            let stale = try await bijie.execute(
                uri: "/tasks/\(id1)/updates", method: .post, headers: formHeaders,
                body: form(
                    [("date", "2024-05-02"), ("text", "重复提交"), ("status", "done"), ("version", "1")]))
            #expect(stale.status == .conflict)
            let detail = try await bijie.execute(uri: "/api/v1/tasks/\(id1)", method: .get).decode(TaskOut.self)
            #expect(detail.status == "in_progress" && detail.updates?.count == 1)
            let missing = try await bijie.execute(
                uri: "/tasks/\(id1)/updates", method: .post, headers: formHeaders,
                body: form(
                    [("date", ""), ("text", ""), ("status", "done"), ("version", "2")]))
            #expect(missing.status == .unprocessableContent && missing.text.contains("id=\"error-text\""))

            // The meeting page shows both states; the overdue one stands out on the dashboard and in the owner's queue.
            let page = try await gz.execute(uri: "/meetings/\(mid)", method: .get).text
            #expect(page.contains("data-task=\"\(id2)\"") && page.contains("class=\"overdue\" data-task=\"\(id2)\""))
            #expect(page.contains("data-state=\"in_progress\">推进中"))
            let dash = try await gz.execute(uri: "/", method: .get).text
            #expect(dash.contains("/tasks/\(id2)\">园区招商推介会"))
            let queue = try await gz.execute(uri: "/api/v1/tasks?state=overdue", method: .get).decode(ListOut<TaskOut>.self).items.map(\.id)
            #expect(queue.contains(id2) && !queue.contains(id1))
            let bijieQueue = try await bijie.execute(uri: "/api/v1/tasks", method: .get).decode(ListOut<TaskOut>.self).items.map(\.id)
            #expect(bijieQueue.contains(id1) && !bijieQueue.contains(id2))
            #expect(try await gz.execute(uri: "/api/v1/tasks?state=late", method: .get).status == .badRequest)
        }
    }

    @Test func conferenceReportAndAssessmentFromTheUI() async throws {
        try await withRawApp(users: Self.users) { raw in
            let gd = try await AuthedClient.signIn(raw, username: "gd.coordinator")
            let qian = try await AuthedClient.signIn(raw, username: "qian.coordinator")
            let bijie = try await AuthedClient.signIn(raw, username: "bijie.officer")
            let meetings = try await gd.execute(uri: "/api/v1/meetings", method: .get).decode(ListOut<MeetingOut>.self).items
            let conference = try #require(meetings.first { $0.kind == "joint_conference" }).id
            let html = try await gd.execute(uri: "/meetings/\(conference)/report", method: .get)
            #expect(html.status == .ok && html.text.contains("一、协议目标完成情况") && html.text.contains("五、督办任务落实情况"))
            let xlsx = try await gd.execute(uri: "/meetings/\(conference)/report?format=xlsx", method: .get)
            #expect(xlsx.headers[.contentType]?.contains("spreadsheetml") == true && xlsx.body.readableBytes > 1_000)
            #expect(try await gd.execute(uri: "/meetings/\(conference)/report?format=doc", method: .get).status == .badRequest)

            // Assessment: the province pairing's score, weights and grade.
            let pairings = try await gd.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self).items
            let pid = try #require(pairings.first { $0.level == "province" }).id
            let a = try await gd.execute(uri: "/api/v1/assessments/\(pid)/2024", method: .get).decode(AssessmentOut.self)
            let rows = a.rows
            #expect(rows.count == 14 && rows.allSatisfy { $0.weight == 10 })
            let total = a.total
            #expect(a.grade == GradeRule.standard.grade(total).rawValue)
            let version = a.version
            // Only the assessing office (administrators) weighs: the assessed pairing's own coordinators, of either
            // side, and its prefectures are refused, see the weights read-only, and nothing changes.
            var weights = rows.map { ("weight_" + $0.indicatorCode, "10") }
            weights[0].1 = "0"
            for c in [bijie, gd, qian] {
                #expect(
                    try await c.execute(
                        uri: "/assessments/\(pid)/2024/weights", method: .post, headers: formHeaders,
                        body: form(weights + [("version", String(version))])
                    ).status == .forbidden)
                #expect(!(try await c.execute(uri: "/assessments/\(pid)/2024", method: .get).text.contains("name=\"weight_")))
            }
            #expect(try await gd.execute(uri: "/api/v1/assessments/\(pid)/2024", method: .get).decode(AssessmentOut.self).version == version)
            let admin = try await AuthedClient.signIn(raw, username: "admin.assessor")
            let saved = try await admin.execute(
                uri: "/assessments/\(pid)/2024/weights", method: .post, headers: formHeaders,
                body: form(weights + [("version", String(version))]))
            #expect(saved.status == .seeOther)
            let after = try await gd.execute(uri: "/api/v1/assessments/\(pid)/2024", method: .get).decode(AssessmentOut.self)
            #expect(after.rows[0].weight == 0 && after.total != total)
            // A stale form is refused (the saved change is audited: the suite's audit check covers every write).
            #expect(
                try await admin.execute(
                    uri: "/assessments/\(pid)/2024/weights", method: .post, headers: formHeaders,
                    body: form(weights + [("version", String(version))])
                ).status == .conflict)
            // Each side writes its own text: Guizhou the self-assessment, Guangdong the comment.
            let v2 = String(after.version)
            #expect(
                try await gd.execute(
                    uri: "/assessments/\(pid)/2024/self", method: .post, headers: formHeaders,
                    body: form([("selfAssessment", "代写"), ("version", v2)])
                ).status == .forbidden)
            #expect(
                try await qian.execute(
                    uri: "/assessments/\(pid)/2024/self", method: .post, headers: formHeaders,
                    body: form([("selfAssessment", "贵州自评：总体良好。"), ("version", v2)])
                ).status == .seeOther)
            let page = try await gd.execute(uri: "/assessments/\(pid)/2024", method: .get).text
            #expect(page.contains("贵州自评：总体良好。") && page.contains("id=\"grade-rule\""))
        }
    }
}
