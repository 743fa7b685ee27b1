import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Walks every route the router knows, for every role, against objects outside the user's scope: each answers 403 or
/// 404, shows nothing of the object, and changes nothing. A route added without an entry here fails the test.
/// Outside objects per role: Bijie's officer, reporter and viewer and Guangzhou's officer meet Zunyi's objects; the
/// Guizhou province coordinator meets a Guangzhou office's document and token (every project, figure and agreement in
/// the system lies inside its scope); the Guangdong coordinator and the administrator meet another user's token (they
/// read everything else by rule). Each also reads an object inside its scope.
@Suite struct AllRoutesTests {
    static let users: [(String, Role, String)] = [
        ("admin.test", .admin, "520000"), ("zunyi.officer", .prefectureOfficer, "520300"),
        ("bijie.officer", .prefectureOfficer, "520500"), ("nayong.reporter", .countyReporter, "520525"),
        ("bijie.viewer", .viewer, "520500"), ("guangzhou.officer", .prefectureOfficer, "440100"),
        ("gd.coordinator", .provinceCoordinator, "440000"), ("qian.coordinator", .provinceCoordinator, "520000"),
    ]

    /// Routes that hold no region data, or that are how one signs in: the same for everyone signed in.
    static let unscoped: Set<String> = [
        "get /health", "get /ready", "get /metrics", "get /login", "post /login", "post /logout", "get /setup", "post /setup", "get /static/app.css",
        "post /api/v1/session", "delete /api/v1/session", "get /api/v1/openapi.json", "get /indicators", "get /pairings",
        "get /regions", "get /api/v1/indicators", "get /api/v1/pairings", "get /api/v1/pairings/{id}", "get /api/v1/regions",
        "get /api/v1/regions/{code}", "get /documents/new", "post /documents/preview", "get /tokens", "post /tokens",
        "get /projects/new", "get /meetings/new", "get /ledgers/{ledger}/new",
        "post /documents",  // a document always belongs to the region of whoever takes it in
        "post /documents/upload",  // a preview of the uploader's own file; nothing stored
        "get /account/password", "post /account/password",  // one's own password
        "post /inbox/read", "get /inbox/open",  // one's own inbox (an item not in it marks nothing: InboxTests)
    ]

    /// Lists: they answer, but never with the other prefecture's objects.
    static let lists: Set<String> = [
        "get /", "get /agreements", "get /documents", "get /progress", "get /projects", "get /review",
        "get /api/v1/agreements", "get /api/v1/dashboard", "get /api/v1/progress", "get /api/v1/projects",
        "get /meetings", "get /api/v1/meetings", "get /tasks", "get /api/v1/tasks", "get /assessments",
        "get /ledgers", "get /ledgers/{ledger}", "get /api/v1/ledgers/{ledger}", "get /ledgers/{ledger}/export",
        "get /ledgers/{ledger}/template.xlsx",  // the drop-down holds the caller's own counties (LedgerWebTests)
        "get /workbench", "get /map", "get /screen", "get /warnings", "get /warnings/export.xlsx", "get /api/v1/warnings",
        "get /inbox", "get /api/v1/inbox", "get /rounds", "get /api/v1/rounds", "get /changes",
    ]

    /// The administrator's pages: everyone else gets 403.
    static let adminOnly: Set<String> = [
        "get /admin/users", "post /admin/users/{name}/unlock", "get /admin/users/new", "post /admin/users", "get /admin/users/{name}",
        "post /admin/users/{name}", "post /admin/users/{name}/state", "post /admin/users/{name}/password", "get /admin/audit",
        "get /admin/audit/export",
    ]

    /// Writes over a list: they act only inside the caller's scope (the other prefecture's rows stay as they were).
    /// (Approving a list first answers with its count and asks; the next item of the queue is a redirect.)
    static let bulk: Set<String> = ["post /ledgers/{ledger}/approve", "get /review/next"]

    /// Creating: the body names an object or region of the other prefecture.
    static let creates: Set<String> = [
        "post /projects", "post /api/v1/projects", "post /progress", "post /api/v1/progress",
        "post /api/v1/agreements", "post /api/v1/pairings", "post /meetings", "post /api/v1/meetings", "post /api/v1/progress/import",
        "post /ledgers/{ledger}", "post /ledgers/{ledger}/import", "post /api/v1/ledgers/{ledger}/import",
        "post /rounds", "post /api/v1/rounds",  // members outside the caller's scope: RoundsTests
        "post /attachments", "post /api/v1/attachments",  // evidence for Zunyi's figure
        "post /webhooks",  // a robot is always the caller's own office's
    ]

    /// Reads that name their object in the query: refused like a route with the object's id.
    static let ownerQueries: Set<String> = ["get /api/v1/attachments"]

    /// Pages of one's own office's settings: the office's own (200), or refused to roles without them (403).
    static let ownOffice: Set<String> = ["get /webhooks"]

    /// A consumption sheet with one row in Zunyi's 绥阳县.
    static func zunyiSheet(_ product: String) -> Data {
        Data("产品名称,供货企业,企业所在县,采购方,渠道,金额（万元）,日期\r\n\(product),绥阳某公司,520323,广州某食堂,食堂采购,12.5,2024-05-01\r\n".utf8)
    }

    @Test func everyRouteForEveryRoleKeepsOtherScopesOut() async throws {
        let routes = try await Self.routes()
        try await withAppAndStore(users: Self.users) { raw, store in
            let admin = try await AuthedClient.signIn(raw, username: "admin.test")
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            // Zunyi's objects.
            let project = try #require(
                try await admin.execute(uri: "/api/v1/projects?region=520300&perPage=1", method: .get).decode(ListOut<ProjectOut>.self).items
                    .first)
            let pid = project.id
            let ptitle = project.title
            let agreement = try #require(
                try await admin.execute(uri: "/api/v1/agreements", method: .get).decode(ListOut<AgreementOut>.self).items
                    .first { $0.title.contains("遵义") })
            let aid = agreement.id
            let figure = try await zunyi.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["indicatorCode": "demo_villages", "regionCode": "520323", "year": 2024, "month": 12, "value": "777", "note": "遵义备注ZZ"]))
            let fid = try figure.createdID
            // Zunyi's reporting round with that figure submitted in it, past its deadline, and a change asked for it.
            let zunyiActor = Actor(name: "zunyi.officer", address: nil)
            let suiyang = try #require(try await store.region(code: "520323"))
            let zround = try await store.openRound(
                ReportingRound(
                    id: 0, title: "遵义填报ZZ", openerRegionCode: "520300", openedBy: "zunyi.officer", year: 2024, month: 12,
                    deadline: Day("2025-01-10")!, indicatorCodes: ["demo_villages"], ledgers: []),
                members: [suiyang], actor: zunyiActor)
            try await store.submitRound(zround, member: "520323", actor: zunyiActor)
            let zchange = try await store.requestChange(progressId: fid, newValue: 778, reason: "遵义理由ZZ", actor: zunyiActor)
            let zfile = try await store.addAttachment(
                owner: .progress, ownerId: fid, regionCode: "520323", fileName: "遵义凭证ZZ.pdf", contentType: "application/pdf",
                data: Data("%PDF-1.4 遵义凭证内容ZZ".utf8), actor: zunyiActor)
            let zrobot = try await store.addWebhook(
                regionCode: "520300", kind: .wecom, name: "遵义机器人ZZ", url: URL(string: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=zz")!,
                events: WebhookEvent.allCases, actor: zunyiActor)
            let doc = try await zunyi.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "遵义专用文档ZZ"), ("text", "遵义市内部工作材料。")]))
            let did = Int((doc.headers[.location] ?? "").split(separator: "/").last!)!
            _ = try await zunyi.execute(uri: "/tokens", method: .post, headers: formHeaders, body: form([("name", "遵义令牌ZZ")]))
            func tokenId(_ c: AuthedClient) async throws -> String {
                let page = try await c.execute(uri: "/tokens", method: .get).text
                return String(page[page.range(of: "action=\"/tokens/")!.upperBound...].prefix { $0.isNumber })
            }
            let tid = try await tokenId(zunyi)
            // Zunyi's meeting on its own city pairing, with a decision and a task owned by Zunyi.
            let zunyiPairing = try #require(
                try await admin.execute(uri: "/api/v1/pairings", method: .get).decode(ListOut<PairingOut>.self).items
                    .first { $0.westCode == "520300" }
            ).id
            let meeting = try await zunyi.execute(
                uri: "/api/v1/meetings", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["pairingId": zunyiPairing, "kind": "working_meeting", "title": "遵义会议ZZ", "date": "2024-07-01", "place": "遵义"]))
            let mid = try meeting.createdID
            let decision = try await zunyi.execute(
                uri: "/api/v1/meetings/\(mid)/decisions", method: .post, headers: jsonHeaders,
                body: jsonBody(["text": "遵义决定ZZ"]))
            let decid = try decision.createdID
            let task = try await zunyi.execute(
                uri: "/api/v1/decisions/\(decid)/tasks", method: .post, headers: jsonHeaders,
                body: jsonBody(
                    ["title": "遵义任务ZZ", "ownerOffice": "遵义市协作办", "ownerRegionCode": "520300", "deadline": "2024-12-31"]))
            let taskid = try task.createdID
            // A consumption ledger row of Zunyi's, and a sheet Zunyi has uploaded for preview (not yet imported).
            let row = try await zunyi.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders,
                body: form([
                    ("product", "遵义专用产品ZZ"), ("supplier", "绥阳某公司"), ("county", "520323"), ("buyer", "广州某食堂"),
                    ("channel", "canteen"), ("amount", "3.5"), ("date", "2024-04-01"),
                ]))
            let lid = Int(locationID(row))!
            let (uh, ub) = multipart([("_csrf", zunyi.csrf)], file: ("zunyi.csv", Self.zunyiSheet("遵义上传产品ZZ")))
            let staged = try await zunyi.execute(uri: "/ledgers/consumption/import", method: .post, headers: uh, body: ub).text
            let upid = String(staged[staged.range(of: "action=\"/ledgers/consumption/import/")!.upperBound...].prefix { $0.isNumber })
            // A Guangzhou office's document and token: outside the Guizhou side.
            let guangzhou = try await AuthedClient.signIn(raw, username: "guangzhou.officer")
            let gdoc = try await guangzhou.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "广州专用文档GG"), ("text", "广州市对口协作内部材料。")]))
            let gdid = Int((gdoc.headers[.location] ?? "").split(separator: "/").last!)!
            _ = try await guangzhou.execute(uri: "/tokens", method: .post, headers: formHeaders, body: form([("name", "广州令牌GG")]))
            let gtid = try await tokenId(guangzhou)
            let zunyiObjects = [
                "project": String(pid), "agreement": String(aid), "progress": String(fid), "document": String(did), "token": tid,
                "meeting": String(mid), "decision": String(decid), "task": String(taskid),
                "assessment": "\(zunyiPairing)/2024", "ledger_row": String(lid), "upload": upid, "round": String(zround.id),
                "change": String(zchange.id), "attachment": String(zfile.id),
                "webhook": String(zrobot.id),
            ]
            let outside: [String: [String: String]] = [
                "bijie.officer": zunyiObjects, "nayong.reporter": zunyiObjects, "bijie.viewer": zunyiObjects,
                "guangzhou.officer": zunyiObjects, "qian.coordinator": ["document": String(gdid), "token": gtid],
                "gd.coordinator": ["token": tid], "admin.test": ["token": gtid],
            ]
            // What each outside object would show of itself, by kind and id.
            let secretsOf = [
                "project \(pid)": ptitle, "agreement \(aid)": agreement.title, "progress \(fid)": "遵义备注ZZ",
                "document \(did)": "遵义专用文档ZZ", "document \(gdid)": "广州专用文档GG", "token \(tid)": "遵义令牌ZZ",
                "token \(gtid)": "广州令牌GG", "meeting \(mid)": "遵义会议ZZ", "decision \(decid)": "遵义决定ZZ",
                "task \(taskid)": "遵义任务ZZ", "assessment \(zunyiPairing)/2024": agreement.title,
                "ledger_row \(lid)": "遵义专用产品ZZ", "upload \(upid)": "遵义上传产品ZZ", "round \(zround.id)": "遵义填报ZZ",
                "change \(zchange.id)": "遵义理由ZZ", "attachment \(zfile.id)": "遵义凭证", "webhook \(zrobot.id)": "遵义机器人ZZ",
            ]

            func snapshot() async throws -> [String] {
                [
                    try await admin.execute(uri: "/api/v1/projects/\(pid)", method: .get).text,
                    try await admin.execute(uri: "/api/v1/projects/\(pid)/transactions", method: .get).text,
                    try await admin.execute(uri: "/api/v1/projects/\(pid)/milestones", method: .get).text,
                    try await admin.execute(uri: "/api/v1/agreements/\(aid)", method: .get).text,
                    try await admin.execute(uri: "/progress/\(fid)", method: .get).text.replacingOccurrences(of: "admin.test", with: ""),
                    try await zunyi.execute(uri: "/documents/\(did)", method: .get).text.replacingOccurrences(of: "zunyi.officer", with: ""),
                    try await zunyi.execute(uri: "/tokens", method: .get).text.replacingOccurrences(of: "zunyi.officer", with: ""),
                    try await guangzhou.execute(uri: "/documents/\(gdid)", method: .get).text.replacingOccurrences(of: "guangzhou.officer", with: ""),
                    try await guangzhou.execute(uri: "/tokens", method: .get).text.replacingOccurrences(of: "guangzhou.officer", with: ""),
                    try await admin.execute(uri: "/api/v1/meetings/\(mid)", method: .get).text,
                    try await admin.execute(uri: "/api/v1/tasks/\(taskid)", method: .get).text,
                    try await admin.execute(uri: "/api/v1/assessments/\(zunyiPairing)/2024", method: .get).text,
                    try await admin.execute(uri: "/api/v1/ledgers/consumption/\(lid)", method: .get).text,
                    try await admin.execute(uri: "/api/v1/ledgers/consumption?q=%E9%81%B5%E4%B9%89%E4%B8%8A%E4%BC%A0", method: .get).text,
                    try await zunyi.execute(uri: "/api/v1/rounds", method: .get).text,
                    try await zunyi.execute(uri: "/changes", method: .get).text.replacingOccurrences(of: "zunyi.officer", with: ""),
                    try await zunyi.execute(uri: "/api/v1/attachments?owner=progress&ownerId=\(fid)", method: .get).text,
                ]
            }
            let before = try await snapshot()

            /// The kind of object a route is about, from its path.
            func kind(_ path: String) -> String? {
                for (prefix, k) in [
                    ("/api/v1/agreements/", "agreement"), ("/agreements/", "agreement"), ("/api/v1/projects/", "project"),
                    ("/projects/", "project"), ("/progress/", "progress"), ("/api/v1/progress/", "progress"),
                    ("/documents/", "document"), ("/tokens/", "token"), ("/meetings/", "meeting"),
                    ("/api/v1/meetings/", "meeting"), ("/decisions/", "decision"), ("/api/v1/decisions/", "decision"),
                    ("/tasks/", "task"), ("/api/v1/tasks/", "task"), ("/assessments/", "assessment"),
                    ("/api/v1/assessments/", "assessment"), ("/ledgers/", "ledger_row"),
                    ("/api/v1/ledgers/", "ledger_row"), ("/rounds/", "round"), ("/changes/", "change"), ("/attachments/", "attachment"),
                    ("/api/v1/attachments/", "attachment"), ("/webhooks/", "webhook"),
                ] where path.hasPrefix(prefix) { return k }
                return nil
            }
            /// The concrete URIs of a route for one user's outside objects; none when the user has no outside object of
            /// that kind; nil when the route's kind of object is not known here.
            func concrete(_ route: String, _ objects: [String: String]) -> [(String, String)]? {
                if Self.ownerQueries.contains(where: { $0.hasSuffix(" " + route) }) && route == "/api/v1/attachments" {
                    // GET lists a figure's files; POST adds one to it: both for Zunyi's figure.
                    return objects["progress"].map { [(route + "?owner=progress&ownerId=\($0)", "progress")] } ?? []
                }
                if route.contains("{upload}") {
                    return objects["upload"].map {
                        [(route.replacingOccurrences(of: "{ledger}", with: "consumption").replacingOccurrences(of: "{upload}", with: $0), "upload")]
                    } ?? []
                }
                if Self.creates.contains(where: { $0.hasSuffix(" " + route) }) {
                    // The bodies name Zunyi: outside only for the users that meet Zunyi's objects.
                    return objects["project"] == nil ? [] : [(route.replacingOccurrences(of: "{ledger}", with: "consumption"), "project")]
                }
                var path = route.replacingOccurrences(of: "{ledger}", with: "consumption")
                if path.hasSuffix("/export") { path += "?format=csv" }
                if Self.bulk.contains(where: { $0.hasSuffix(" " + route) }) {
                    return objects["project"] == nil ? [] : [(path + "?state=submitted", "")]
                }
                if path.hasPrefix("/history/") {
                    return ["project", "agreement", "progress", "document", "meeting", "task", "ledger_row", "round"].compactMap { k in
                        objects[k].map { (path.replacingOccurrences(of: "{entity}", with: k).replacingOccurrences(of: "{id}", with: $0), k) }
                    }
                }
                if path.contains("{code}") {
                    return objects["project"] == nil ? [] : [(path.replacingOccurrences(of: "{code}", with: "520300"), "project")]
                }
                if Self.creates.contains(where: { $0.hasSuffix(" " + path) }) {
                    // The bodies name Zunyi: outside only for the users that meet Zunyi's objects.
                    return objects["project"] == nil ? [] : [(path, "project")]
                }
                guard path.contains("{") else { return [(path, "")] }
                if route.contains("{ledger}") && !route.contains("{id}") { return [(path, "")] }
                guard let k = kind(path) else { return nil }
                guard let id = objects[k] else { return [] }
                if k == "assessment" { return [(path.replacingOccurrences(of: "{pairing}/{year}", with: id), k)] }
                return [(path.replacingOccurrences(of: "{id}", with: id), k)]
            }
            let jsonWrite: [String: Any] = [
                "title": "越权", "pairingId": zunyiPairing, "countyCode": "520323", "workArea": "industry",
                "version": project.version, "kind": "budget", "date": "2024-05-01", "amountYuan": "1", "dueDate": "2024-05-01",
                "text": "越权", "taskId": 1, "indicatorCode": "demo_villages", "value": "1", "regionCode": "520323", "year": 2024,
                "month": 1, "level": "county", "eastCode": "440400", "westCode": "520323", "sinceYear": 2024,
                "place": "越权", "name": "越权", "side": "west", "ownerOffice": "越权",
                "ownerRegionCode": "520300", "deadline": "2024-12-31", "status": "done", "city": "越权",
            ]
            let formWrite = [
                ("title", "越权"), ("pairingId", String(zunyiPairing)), ("countyCode", "520323"), ("workArea", "industry"),
                ("kind", "budget"), ("date", "2024-05-01"), ("amountYuan", "1"), ("comment", "越权"), ("value", "1"),
                ("indicatorCode", "demo_villages"), ("regionCode", "520323"), ("year", "2024"), ("month", "1"),
                ("meetingId", ""), ("text", "越权"), ("version", "1"), ("product", "越权"), ("supplier", "越权"),
                ("county", "520323"), ("buyer", "越权"), ("channel", "canteen"), ("amount", "1"),
            ]
            var unmapped: [String] = []
            for (name, _, _) in Self.users where name != "zunyi.officer" {
                let c = try await AuthedClient.signIn(raw, username: name)
                let objects = outside[name]!
                let secrets = objects.map { secretsOf["\($0.key) \($0.value)"]! }
                for (method, path) in routes {
                    let key = "\(method) \(path)"
                    if Self.unscoped.contains(key) { continue }
                    let isAPI = path.hasPrefix("/api/")
                    let verb = HTTPRequest.Method(rawValue: method.uppercased())!
                    if Self.adminOnly.contains(key) {
                        let uri = path.replacingOccurrences(of: "{name}", with: "zunyi.officer")
                        let r =
                            method == "get"
                            ? try await c.execute(uri: uri, method: .get)
                            : try await c.execute(uri: uri, method: verb, headers: formHeaders, body: form([]))
                        // The administrator's empty form is refused for its content (400, 422), never for who sent it.
                        let allowed: [HTTPResponse.Status] =
                            name == "admin.test"
                            ? (method == "get" ? [.ok, .seeOther] : [.seeOther, .unprocessableContent, .badRequest]) : [.forbidden]
                        #expect(allowed.contains(r.status), "\(name) \(key) gave \(r.status)")
                        continue
                    }
                    guard let uris = concrete(path, objects) else {
                        unmapped.append(key)
                        continue
                    }
                    for (uri, _) in uris {
                        let r: TestResponse
                        if method == "get" {
                            r = try await c.execute(uri: uri, method: .get)
                        } else if key.hasSuffix(" /meetings") || key.hasSuffix(" /api/v1/meetings") {
                            // A well-formed meeting on Zunyi's pairing: refused for its scope, not for its shape.
                            let m: [String: Any] = [
                                "pairingId": zunyiPairing, "kind": "working_meeting", "title": "越权会议", "date": "2024-08-01", "place": "越权",
                            ]
                            r =
                                isAPI
                                ? try await c.execute(uri: uri, method: verb, headers: jsonHeaders, body: jsonBody(m))
                                : try await c.execute(uri: uri, method: verb, headers: formHeaders, body: form(m.map { ($0.key, "\($0.value)") }))
                        } else if key == "post /api/v1/progress/import" {
                            r = try await c.execute(
                                uri: uri, method: verb, headers: jsonHeaders,
                                body: jsonBody([
                                    "rows": [
                                        ["indicatorCode": "demo_villages", "regionCode": "520323", "year": 2024, "month": 3, "value": "5"]
                                    ]
                                ]))
                        } else if key == "post /attachments" {
                            let (h, b) = multipart(
                                [("_csrf", c.csrf), ("owner", "progress"), ("ownerId", String(fid))], file: ("x.pdf", Data("%PDF-1.4 越权".utf8)))
                            r = try await c.execute(uri: uri, method: verb, headers: h, body: b)
                        } else if key == "post /api/v1/attachments" {
                            r = try await c.execute(
                                uri: uri, method: verb, headers: jsonHeaders,
                                body: jsonBody([
                                    "owner": "progress", "ownerId": fid, "fileName": "x.pdf",
                                    "content": Data("%PDF-1.4 越权".utf8).base64EncodedString(),
                                ]))
                        } else if key == "post /ledgers/{ledger}/import" {
                            let (h, b) = multipart([("_csrf", c.csrf)], file: ("x.csv", Self.zunyiSheet("越权")))
                            r = try await c.execute(uri: uri, method: verb, headers: h, body: b)
                        } else if key == "post /api/v1/ledgers/{ledger}/import" {
                            r = try await c.execute(
                                uri: uri, method: verb, headers: jsonHeaders,
                                body: jsonBody(
                                    ["fileName": "x.csv", "content": Self.zunyiSheet("越权").base64EncodedString()]))
                        } else if isAPI {
                            r = try await c.execute(uri: uri, method: verb, headers: jsonHeaders, body: jsonBody(jsonWrite))
                        } else {
                            r = try await c.execute(uri: uri, method: verb, headers: formHeaders, body: form(formWrite))
                        }
                        if Self.lists.contains(key) {
                            #expect(r.status == .ok, "\(name) \(key) gave \(r.status)")
                        } else if Self.bulk.contains(key) {
                            #expect([.ok, .seeOther, .found, .forbidden].contains(r.status), "\(name) \(key) gave \(r.status)")
                        } else if Self.creates.contains(key) {
                            #expect([.forbidden, .notFound, .unprocessableContent].contains(r.status), "\(name) \(key) gave \(r.status)")
                        } else if Self.ownOffice.contains(key) {
                            #expect(r.status == .ok || r.status == .forbidden, "\(name) \(uri) gave \(r.status)")
                        } else if Self.ownerQueries.contains(key) {
                            #expect(r.status == .notFound || r.status == .forbidden, "\(name) \(uri) gave \(r.status)")
                        } else if path.contains("{") {
                            #expect(r.status == .notFound || r.status == .forbidden, "\(name) \(uri) gave \(r.status)")
                        } else {
                            unmapped.append(key)
                            continue
                        }
                        for s in secrets { #expect(!r.text.contains(s), "\(name) \(uri) showed \(s)") }
                    }
                }
                // Inside its scope the same user reads a reported figure (every role has some in its scope or in a
                // region its side assists), with its page.
                let own = try await c.execute(uri: "/api/v1/progress?perPage=1", method: .get).decode(ListOut<ProgressOut>.self).items
                #expect(!own.isEmpty, "\(name) sees no figure inside its scope")
                if let first = own.first?.id {
                    #expect(try await c.execute(uri: "/progress/\(first)", method: .get).status == .ok)
                }
            }
            #expect(Set(unmapped).isEmpty, "routes without a rule here: \(Set(unmapped).sorted())")
            #expect(try await snapshot() == before, "a write from another scope changed something")
            #expect(
                !(try await admin.execute(uri: "/api/v1/meetings", method: .get).text.contains("越权")), "a meeting was recorded from another scope")
            // The same objects are there for their own side.
            #expect(try await zunyi.execute(uri: "/projects/\(pid)", method: .get).status == .ok)
            #expect(try await zunyi.execute(uri: "/documents/\(did)", method: .get).status == .ok)
        }
    }

    static func routes() async throws -> [(String, String)] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xiezuo-routes-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        let store = try await Store.open(url: "sqlite://" + file.path, logger: Logger(label: "t"))
        try await store.migrate()
        let routes = try await buildRouter(store: store).routes.map { route -> (String, String) in
            let path =
                "/"
                + route.path.description.split(separator: "/")
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return (route.method.rawValue.lowercased(), path)
        }
        await store.close()
        return routes
    }
}
