import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

/// Every API answer has exactly the shape its OpenAPI schema describes: no field the document does not name, and
/// every field the document requires — so the API's types and its document cannot drift apart.
@Suite struct APIShapeTests {
    static let reads = [
        "/api/v1/regions?level=prefecture", "/api/v1/regions/520500", "/api/v1/pairings", "/api/v1/pairings/1", "/api/v1/indicators",
        "/api/v1/agreements", "/api/v1/agreements/1", "/api/v1/projects", "/api/v1/projects/1", "/api/v1/projects/1/transactions",
        "/api/v1/projects/1/milestones", "/api/v1/progress", "/api/v1/dashboard", "/api/v1/meetings", "/api/v1/meetings/1",
        "/api/v1/tasks?scope=all", "/api/v1/tasks/1", "/api/v1/assessments/1/2024", "/api/v1/ledgers/labour", "/api/v1/projects/99999",
        "/api/v1/warnings?year=2024", "/api/v1/inbox", "/api/v1/rounds", "/api/v1/attachments?owner=project&ownerId=1",
    ]

    @Test func everyAnswerHasTheShapeItsSchemaDescribes() async throws {
        try await withApp { client in
            let spec = try await client.execute(uri: "/api/v1/openapi.json", method: .get).json
            let schemas = (spec["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            let paths = spec["paths"] as? [String: Any] ?? [:]
            var problems: [String] = []
            for uri in Self.reads {
                let response = try await client.execute(uri: uri, method: .get)
                let path = String(uri.split(separator: "?")[0])
                guard let (template, operation) = Self.operation(for: path, in: paths, method: "get") else {
                    problems.append("\(path): not in the document")
                    continue
                }
                let responses = operation["responses"] as? [String: Any] ?? [:]
                guard let described = responses[String(response.status.code)] as? [String: Any],
                    let schema = ((described["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                else {
                    problems.append("\(template): status \(response.status.code) not described")
                    continue
                }
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
                Self.check(body, against: schema, schemas, at: uri, into: &problems)
            }
            #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
        }
    }

    /// The documented operation whose path template matches `path`.
    static func operation(for path: String, in paths: [String: Any], method: String) -> (String, [String: Any])? {
        let parts = path.split(separator: "/")
        for (template, item) in paths {
            let t = template.split(separator: "/")
            guard t.count == parts.count, zip(t, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }),
                let op = (item as? [String: Any])?[method] as? [String: Any]
            else { continue }
            return (template, op)
        }
        return nil
    }

    static func check(_ value: Any, against schema: Any, _ schemas: [String: Any], at place: String, into problems: inout [String]) {
        guard var s = schema as? [String: Any] else { return }
        if let ref = s["$ref"] as? String, let named = schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any] { s = named }
        if value is NSNull { return }
        if let items = s["items"], let array = value as? [Any] {
            for (i, v) in array.prefix(5).enumerated() { check(v, against: items, schemas, at: "\(place)[\(i)]", into: &problems) }
            return
        }
        guard let properties = s["properties"] as? [String: Any], let object = value as? [String: Any] else { return }
        for key in object.keys where properties[key] == nil { problems.append("\(place): `\(key)` is not in the schema") }
        for key in s["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(place): required `\(key)` missing") }
        for (key, v) in object {
            if let p = properties[key] { check(v, against: p, schemas, at: "\(place).\(key)", into: &problems) }
        }
    }
}
