import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import XiezuoWeb

/// Whatever users type comes back as text, never as markup.
@Suite struct EscapingTests {
    static let payload = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&"

    func assertEscaped(_ html: String, _ place: String) {
        #expect(!html.contains("<script>alert"), "\(place): raw script tag")
        #expect(!html.contains("<img src=x"), "\(place): raw img tag")
        #expect(html.contains("&lt;script&gt;"), "\(place): payload not shown escaped")
    }

    @Test func ledgerRowsWrittenOutsideTheTemplatesAreEscapedToo() async throws {
        try await withRawApp(users: [("nayong.reporter", .countyReporter, "520525")]) { raw in
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let made = try await nayong.execute(
                uri: "/ledgers/consumption", method: .post, headers: formHeaders,
                body: form([
                    ("product", Self.payload), ("supplier", "纳雍\"公司'"), ("county", "520525"), ("buyer", "买方&<b>"),
                    ("channel", "canteen"), ("amount", "12"), ("date", "2024-05-01"),
                ]))
            #expect(made.status == .seeOther)
            let page = try await nayong.execute(uri: "/ledgers/consumption", method: .get).text
            assertEscaped(page, "ledger list")
            #expect(page.contains("纳雍&quot;公司&#39;") && page.contains("买方&amp;&lt;b&gt;") && !page.contains("<b>"))
            // Each row still links to its page with its state.
            #expect(page.range(of: #"<a href="/ledgers/consumption/\d+" data-state="submitted">"#, options: .regularExpression) != nil)
        }
    }

    @Test func everyFreeTextFieldIsEscaped() async throws {
        try await withApp { client in
            let p = Self.payload
            let created = try await client.execute(
                uri: "/api/v1/projects", method: .post, headers: jsonHeaders,
                body: jsonBody([
                    "title": "项目" + p, "pairingId": 2, "countyCode": "520525", "workArea": "industry", "description": p,
                ]))
            let id = try created.createdID
            _ = try await client.execute(
                uri: "/api/v1/projects/\(id)/transactions", method: .post, headers: jsonHeaders,
                body: jsonBody(["kind": "budget", "date": "2024-05-01", "amountYuan": "10", "note": p]))
            _ = try await client.execute(
                uri: "/api/v1/projects/\(id)/milestones", method: .post, headers: jsonHeaders,
                body: jsonBody(["title": p, "dueDate": "2024-09-01"]))
            let figure = try await client.execute(
                uri: "/api/v1/progress", method: .post, headers: jsonHeaders,
                body: jsonBody([
                    "indicatorCode": "demo_villages", "regionCode": "520525", "year": 2024, "month": 12, "value": "1", "note": p,
                ]))
            let doc = try await client.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", p), ("source", p), ("text", p)]))
            for uri in [
                "/projects/\(id)", "/projects?q=%E9%A1%B9%E7%9B%AE", "/projects/\(id)/edit", "/progress",
                "/progress/\(try figure.createdID)", "/documents", doc.headers[.location] ?? "/documents",
                "/regions/520525",
            ] {
                assertEscaped(try await client.execute(uri: uri, method: .get).text, uri)
            }
            // Rejected input is echoed back escaped as well.
            let rejected = try await client.execute(
                uri: "/projects", method: .post, headers: formHeaders,
                body: form([("title", p), ("plannedStart", p)]))
            assertEscaped(rejected.text, "rejected form")
            // JSON stays JSON: the payload is a string value, intact.
            #expect(try await client.execute(uri: "/api/v1/projects/\(id)", method: .get).json["description"] as? String == p)
        }
    }
}

@Suite struct FilterInjectionTests {
    /// Every filter of every list, with SQL metacharacters: a clear 200 or 400, never a 500, and nothing changes.
    @Test func sqlMetacharactersInEveryFilterAreHarmless() async throws {
        try await withApp { client in
            let before = try await projectTotal(client)
            let values = ["' OR '1'='1", "%", "_", "\"; DROP TABLE projects; --", "520500' --", "1; DELETE FROM progress"]
            let filters: [(String, [String])] = [
                ("/api/v1/projects", ["q", "region", "workArea", "status", "pairing", "page", "perPage"]),
                ("/projects", ["q", "region", "workArea", "status", "pairing", "page"]),
                ("/api/v1/progress", ["indicator", "region", "year", "state", "page"]),
                ("/progress", ["indicator", "region", "year", "state"]),
                ("/api/v1/agreements", ["year", "pairing"]), ("/api/v1/regions", ["level", "side", "parent"]),
                ("/api/v1/dashboard", ["year", "pending"]), ("/", ["year", "pending"]), ("/documents", ["q", "page"]),
                ("/regions/520500", ["year"]),
            ]
            for (path, names) in filters {
                for name in names {
                    for v in values {
                        let uri = path + "?" + name + "=" + v.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                        let r = try await client.execute(uri: uri, method: .get)
                        #expect(r.status == .ok || r.status == .badRequest, "\(uri) gave \(r.status)")
                    }
                }
            }
            #expect(try await projectTotal(client) == before)
            #expect(try await client.execute(uri: "/api/v1/progress?perPage=1", method: .get).json["total"] as? Int ?? 0 > 0)
        }
    }
}
