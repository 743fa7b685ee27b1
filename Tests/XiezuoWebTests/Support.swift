import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import XiezuoStore
@testable import XiezuoWeb

/// Builds the real application on a fresh SQLite file (with the demo data unless told otherwise) and runs `body`
/// against it through Hummingbird's in-process test client.
func withApp(demo: Bool = true, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xiezuo-web-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let settings = AppSettings(port: 0, databaseURL: "sqlite://" + dir.appendingPathComponent("w.sqlite").path, demo: demo,
                               logLevel: .error)
    let app = try await buildApplication(settings)
    try await app.test(.router, body)
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorFields: [String] { ((json["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
}

func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]
let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

func form(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { k, v in
        "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
    }.joined(separator: "&"))
}
