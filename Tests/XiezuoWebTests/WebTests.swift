import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoStore

@testable import XiezuoWeb

@Suite struct PlatformTests {
    @Test func healthAnswersOK() async throws {
        try await withApp(demo: false) { client in
            let r = try await client.execute(uri: "/health", method: .get)
            #expect(r.status == .ok && r.json["status"] as? String == "ok")
        }
    }

    @Test func dashboardShowsTheAgreementWithFiguresAndCharts() async throws {
        try await withApp { client in
            let r = try await client.execute(uri: "/", method: .get)
            #expect(r.status == .ok)
            let html = r.text
            #expect(html.contains("粤黔2024年东西部协作协议"))
            #expect(html.contains("<svg") && html.contains("各市州完成情况") && html.contains("毕节市"))
            #expect(html.contains("id=\"demo-banner\""))
            #expect(html.contains("2024年粤黔东西部协作联席会议") && html.contains("2024-06-04"))
            // The overall figure is the API's figure, rendered.
            let api = try await client.execute(uri: "/api/v1/dashboard?year=2024", method: .get)
            let bp = (api.json["completion"] as? [String: Any])?["overallBasisPoints"] as? Int
            #expect(bp != nil && html.contains("id=\"overall\">\(bp! / 100).\(bp! % 100 / 10)%"))
        }
    }

    @Test func englishSwitchIsRemembered() async throws {
        try await withApp { client in
            let r = try await client.execute(uri: "/?lang=en", method: .get)
            #expect(r.text.contains("Completion by prefecture"))
            let cookie = r.headers[.setCookie] ?? ""
            #expect(cookie.contains("lang=en"))
            let again = try await client.execute(uri: "/projects", method: .get, headers: [.cookie: "lang=en"])
            #expect(again.text.contains("Cooperation projects"))
        }
    }

    @Test func agreementsAreListedAsJSON() async throws {
        try await withApp { client in
            let r = try await client.execute(uri: "/api/v1/agreements", method: .get)
            let items = r.json["items"] as? [[String: Any]] ?? []
            #expect(items.contains { $0["title"] as? String == "粤黔2024年东西部协作协议" && $0["year"] as? Int == 2024 })
            let detail = try await client.execute(uri: "/api/v1/agreements/1", method: .get)
            let tasks = detail.json["tasks"] as? [[String: Any]] ?? []
            #expect(tasks.count == 6)
        }
    }

    @Test func everyPageOfTheUIRenders() async throws {
        try await withApp { client in
            for uri in [
                "/", "/agreements", "/agreements/1", "/projects", "/projects/1", "/projects/new", "/projects/1/edit",
                "/regions/520000", "/regions/520500", "/regions/520525", "/progress", "/pairings", "/indicators",
                "/static/app.css", "/projects?region=520500&workArea=industry&status=ongoing&q=%E5%9F%BA%E5%9C%B0&page=1",
            ] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .ok, "\(uri) gave \(r.status)")
            }
        }
    }
}

@Suite struct OpenAPITests {
    @Test func everyAPIRouteIsDocumented() async throws {
        let routes = try await AllRoutesTests.routes()
        #expect(routes.count > 20)
        try await withApp(demo: false) { client in
            let spec = try await client.execute(uri: "/api/v1/openapi.json", method: .get).json
            let paths = spec["paths"] as? [String: [String: Any]] ?? [:]
            var missing: [String] = []
            for (method, path) in routes where path.hasPrefix("/api/") || path == "/health" {
                if paths[path]?[method] == nil { missing.append("\(method) \(path)") }
            }
            #expect(missing.isEmpty, "undocumented: \(missing)")
            #expect(paths.count >= 15)
        }
    }
}

@Suite struct OperationsTests {
    @Test func readyAndMetricsReportTheInstance() async throws {
        try await withApp { client in
            let ready = try await client.raw.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok && ready.json["status"] as? String == "ready")
            #expect(ready.json["schema"] as? Int == Store.latestSchemaVersion)
            _ = try await client.execute(uri: "/projects/1", method: .get)
            _ = try await client.execute(uri: "/projects/2", method: .get)
            _ = try await client.execute(uri: "/projects/99999", method: .get)
            let m = try await client.raw.execute(uri: "/metrics", method: .get)
            #expect(m.status == .ok && m.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = m.text
            // Counted by route pattern: both project pages under one label, the missing one by its status.
            let line = text.split(separator: "\n").first {
                $0.hasPrefix("xiezuo_http_requests_total") && $0.contains("/projects/") && $0.contains("status=\"200\"")
            }
            #expect(line.map { $0.hasSuffix(" 2") } == true, "\(text.prefix(2000))")
            #expect(text.contains("status=\"404\""))
            #expect(text.contains("xiezuo_http_request_duration_seconds_bucket"))
            #expect(text.contains("xiezuo_db_reads_done_current"))
        }
    }
}
