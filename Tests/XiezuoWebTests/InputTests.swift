import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import XiezuoWeb

/// Invalid input gets a 4xx with a clear message in the caller's language and changes nothing.
func projectTotal(_ client: AuthedClient) async throws -> Int {
    try await client.execute(uri: "/api/v1/projects", method: .get).json["total"] as? Int ?? -1
}

nonisolated(unsafe) let valid: [String: Any] = [
    "title": "新建测试项目", "pairingId": 2, "countyCode": "520525", "workArea": "industry",
    "plannedStart": "2024-03-01", "plannedEnd": "2024-12-31", "beneficiaries": 120,
]

@Suite struct InvalidInputTests {

    @Test func badJSONIsRefused() async throws {
        try await withApp { client in
            let before = try await projectTotal(client)
            for body in ["{not json", "[]", "{\"title\": {\"nested\": 1}}", ""] {
                let r = try await client.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
                #expect(r.status == .badRequest, "\(body) gave \(r.status)")
                #expect(r.errorCode == "bad_json")
                #expect((r.json["error"] as? [String: Any])?["message"] as? String != nil)
            }
            #expect(try await projectTotal(client) == before)
        }
    }

    @Test func unknownAndMalformedIDs() async throws {
        try await withApp { client in
            for (uri, status) in [
                ("/api/v1/projects/99999", HTTPResponse.Status.notFound), ("/api/v1/projects/abc", .badRequest),
                ("/api/v1/projects/-1", .badRequest), ("/api/v1/agreements/424242", .notFound),
                ("/api/v1/pairings/0", .badRequest), ("/api/v1/regions/999999", .notFound),
                ("/api/v1/nothing-here", .notFound), ("/projects/99999", .notFound),
            ] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == status, "\(uri) gave \(r.status)")
            }
            let r = try await client.execute(
                uri: "/api/v1/projects/99999/transactions", method: .post, headers: jsonHeaders,
                body: jsonBody(["kind": "budget", "date": "2024-01-01", "amountYuan": "1"]))
            #expect(r.status == .notFound && r.errorCode == "not_found")
            var p = valid
            p["pairingId"] = 777
            let unknownPairing = try await client.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: jsonBody(p))
            #expect(unknownPairing.status == .unprocessableContent && unknownPairing.errorFields == ["pairingId"])
        }
    }

    @Test func negativeAmountsAndBadDatesAndLongStrings() async throws {
        try await withApp { client in
            let before = try await projectTotal(client)
            let cases: [(String, Any, String)] = [
                ("beneficiaries", -5, "beneficiaries"), ("plannedStart", "1899-01-01", "plannedStart"),
                ("plannedEnd", "2024-02-30", "plannedEnd"), ("title", String(repeating: "很", count: 201), "title"),
                ("description", String(repeating: "x", count: 5001), "description"), ("workArea", "space", "workArea"),
                ("countyCode", "520323", "countyCode"),  // a Zunyi county is outside the Guangzhou–Bijie pairing
            ]
            for (field, value, expected) in cases {
                var body = valid
                body[field] = value
                let r = try await client.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: jsonBody(body))
                #expect(r.status == .unprocessableContent, "\(field) gave \(r.status)")
                #expect(r.errorFields == [expected], "\(field): \(r.errorFields)")
            }
            #expect(try await projectTotal(client) == before)

            let txBefore = try await client.execute(uri: "/api/v1/projects/1/transactions", method: .get).json["total"] as? Int
            for amount in ["-100", "0", "1.001", "十万"] {
                let r = try await client.execute(
                    uri: "/api/v1/projects/1/transactions", method: .post, headers: jsonHeaders,
                    body: jsonBody(["kind": "disbursement", "date": "2024-05-01", "amountYuan": amount]))
                #expect(r.status == .unprocessableContent && r.errorFields == ["amountYuan"], "\(amount)")
            }
            let txAfter = try await client.execute(uri: "/api/v1/projects/1/transactions", method: .get).json["total"] as? Int
            #expect(txBefore == txAfter)

            let progress = try await client.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody(["indicatorCode": "fiscal_aid", "regionCode": "520525", "year": 2024, "month": 13, "value": "-1"]))
            #expect(Set(progress.errorFields) == ["month", "value"])
        }
    }

    @Test func messagesFollowTheCallersLanguage() async throws {
        try await withApp { client in
            var body = valid
            body["title"] = ""
            let zh = try await client.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: jsonBody(body))
            let en = try await client.execute(uri: "/api/v1/projects?lang=en", method: .post, headers: jsonHeaders, body: jsonBody(body))
            func message(_ r: TestResponse) -> String? {
                ((r.json["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.first?["message"] as? String
            }
            #expect(message(zh) == "必填。" && message(en) == "Required.")
        }
    }

    @Test func badFiltersAre400AndSQLTextIsHarmless() async throws {
        try await withApp { client in
            for uri in [
                "/api/v1/projects?status=nope", "/api/v1/projects?region=52%27%20OR%201=1", "/api/v1/projects?page=0",
                "/api/v1/projects?perPage=100000", "/api/v1/progress?year=abc", "/projects?workArea=x",
            ] {
                #expect(try await client.execute(uri: uri, method: .get).status == .badRequest, "\(uri)")
            }
            let total = try await projectTotal(client)
            let sneaky = try await client.execute(uri: "/api/v1/projects?q=%27%20OR%20%271%27=%271", method: .get)
            #expect(sneaky.status == .ok && sneaky.json["total"] as? Int == 0)
            #expect(try await projectTotal(client) == total)
        }
    }

    @Test func aCreatedProjectIsFoundByItsFilters() async throws {
        try await withApp { client in
            let r = try await client.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: jsonBody(valid))
            #expect(r.status == .created)
            let id = r.json["id"] as? Int ?? 0
            let list = try await client.execute(uri: "/api/v1/projects?region=520500&workArea=industry&q=%E6%96%B0%E5%BB%BA", method: .get)
            let ids = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            #expect(ids == [id])
        }
    }

    @Test func staleEditsGet409AndTheCurrentVersion() async throws {
        try await withApp { client in
            var body = valid
            body["version"] = 1
            let first = try await client.execute(uri: "/api/v1/projects/1", method: .put, headers: jsonHeaders, body: jsonBody(body))
            #expect(first.status == .ok && first.json["version"] as? Int == 2)
            body["title"] = "过期的修改"
            let stale = try await client.execute(uri: "/api/v1/projects/1", method: .put, headers: jsonHeaders, body: jsonBody(body))
            #expect(stale.status == .conflict && stale.errorCode == "conflict")
            let now = try await client.execute(uri: "/api/v1/projects/1", method: .get)
            #expect(now.json["title"] as? String == "新建测试项目")

            // The edit form from a page read before that change: 409 and a merge prompt naming the field someone
            // else changed, their value beside this form's; saving again with the version it offers goes through.
            let staleForm = try await client.execute(
                uri: "/projects/1", method: .post, headers: formHeaders,
                body: form([
                    ("title", "表单里的标题"), ("pairingId", "2"), ("countyCode", "520525"), ("workArea", "industry"), ("status", "ongoing"),
                    ("beneficiaries", "12"), ("version", "1"),
                ]))
            #expect(staleForm.status == .conflict)
            let prompt = staleForm.text.components(separatedBy: "id=\"merge-prompt\"").last ?? ""
            #expect(prompt.contains("<td>名称</td><td>新建测试项目</td><td><ins class=\"chg\">表单里的标题</ins></td>"))
            #expect(staleForm.text.contains("name=\"version\" value=\"2\""))
            let resubmitted = try await client.execute(
                uri: "/projects/1", method: .post, headers: formHeaders,
                body: form([
                    ("title", "表单里的标题"), ("pairingId", "2"), ("countyCode", "520525"), ("workArea", "industry"), ("status", "ongoing"),
                    ("beneficiaries", "12"), ("version", "2"),
                ]))
            #expect(resubmitted.status == .seeOther)
        }
    }

    @Test func theWebFormShowsMessagesNextToFieldsAndKeepsInput() async throws {
        try await withApp { client in
            let r = try await client.execute(
                uri: "/projects", method: .post, headers: formHeaders,
                body: form([
                    ("title", "<script>alert(1)</script>"), ("pairingId", "2"), ("countyCode", "520525"),
                    ("workArea", "industry"), ("plannedStart", "2024-13-01"), ("beneficiaries", "12"),
                ]))
            #expect(r.status == .unprocessableContent)
            #expect(r.text.contains("id=\"error-plannedStart\""))
            #expect(r.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !r.text.contains("<script>alert(1)"))
            let ok = try await client.execute(
                uri: "/projects", method: .post, headers: formHeaders,
                body: form([
                    ("title", "表单项目"), ("pairingId", "2"), ("countyCode", "520525"), ("workArea", "industry"),
                    ("plannedStart", "2024-03-01"), ("beneficiaries", "12"),
                ]))
            #expect(ok.status == .seeOther || ok.status == .found)
            let location = ok.headers[.location] ?? ""
            let page = try await client.execute(uri: location, method: .get)
            #expect(page.text.contains("表单项目"))
        }
    }

    @Test func oversizedBodiesAreRefused() async throws {
        try await withApp { client in
            let big = ByteBuffer(string: "{\"title\":\"" + String(repeating: "a", count: 2 << 20) + "\"}")
            let r = try await client.execute(uri: "/api/v1/projects", method: .post, headers: jsonHeaders, body: big)
            #expect(r.status == .contentTooLarge)
        }
    }
}

@Suite struct TargetVersionTests {
    @Test func targetsAreChangedOnlyFromTheVersionRead() async throws {
        try await withApp { client in
            let agreement = try #require(
                try await client.execute(uri: "/api/v1/agreements", method: .get).decode(ListOut<AgreementOut>.self).items.first)
            let aid = agreement.id
            let detail = try await client.execute(uri: "/api/v1/agreements/\(aid)", method: .get).decode(AgreementDetailOut.self)
            let task = try #require(detail.tasks.first { !$0.targets.isEmpty })
            let target = task.targets[0]
            let body: [String: Any] = ["taskId": task.id, "indicatorCode": target.indicatorCode, "value": "1"]
            // No version: refused with the current one, nothing changed.
            let blind = try await client.execute(uri: "/api/v1/agreements/\(aid)/targets", method: .put, headers: jsonHeaders, body: jsonBody(body))
            #expect(blind.status == .conflict && blind.errorCode == "conflict")
            let v = target.version
            var fresh = body
            fresh["version"] = v
            let ok = try await client.execute(uri: "/api/v1/agreements/\(aid)/targets", method: .put, headers: jsonHeaders, body: jsonBody(fresh))
            let changed = try ok.decode(TargetOut.self)
            #expect(ok.status == .ok && changed.version == v + 1)
            var stale = body
            stale["version"] = v
            stale["value"] = "2"
            #expect(
                try await client.execute(
                    uri: "/api/v1/agreements/\(aid)/targets", method: .put, headers: jsonHeaders,
                    body: jsonBody(stale)
                ).status == .conflict)
            let after = try await client.execute(uri: "/api/v1/agreements/\(aid)", method: .get).decode(AgreementDetailOut.self)
            let stored = try #require(
                after.tasks.first { $0.id == task.id }?.targets.first { $0.indicatorCode == target.indicatorCode })
            #expect(stored.version == v + 1)
        }
    }
}
