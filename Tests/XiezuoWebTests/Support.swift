import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Builds the real application on a fresh SQLite file (with the demo data unless told otherwise) and runs `body`
/// against it through Hummingbird's in-process test client.
func withApp(
    demo: Bool = true, user: (String, Role, String) = ("tester", .admin, "520000"), clock: ChinaClock = .system,
    _ body: @Sendable (AuthedClient) async throws -> Void
) async throws {
    try await withRawApp(demo: demo, users: [user], clock: clock) { raw in
        try await body(try await AuthedClient.signIn(raw, username: user.0))
    }
}

/// The app on a fresh SQLite file with the given accounts (password `testPassword`), and the raw test client.
func withRawApp(
    demo: Bool = true, users: [(String, Role, String)] = [], clock: ChinaClock = .system, publicPortal: Bool = false,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await withAppAndStore(demo: demo, users: users, clock: clock, publicPortal: publicPortal) { client, _ in try await body(client) }
}

/// The same, with the app's store at hand for what only the console shows (the setup link).
func withAppAndStore(
    demo: Bool = true, users: [(String, Role, String)] = [], clock: ChinaClock = .system, publicPortal: Bool = false,
    _ body: @Sendable (any TestClientProtocol, Store) async throws -> Void
) async throws {
    let scratch = try await ScratchDatabase.create()
    let url = scratch.url
    let store = try await Store.open(url: url, logger: Logger(label: "test"))
    var settings = AppSettings(port: 0, databaseURL: url, demo: demo, logLevel: .error)
    settings.passwordCost = 4
    settings.clock = clock
    settings.publicPortal = publicPortal
    do {
        try await store.migrate()
        for (name, role, region) in users {
            _ = try await store.addUser(
                username: name, role: role, regionCode: region,
                passwordHash: Bcrypt.hash(testPassword, cost: 4), actor: .system)
        }
        let app = try await buildApplication(settings, store: store)
        try await app.test(.router) { client in try await body(client, store) }
        // Every write the test made through the app left its audit record, with the values before any change.
        let gaps = try await store.unauditedWrites()
        #expect(gaps.isEmpty, "audit gaps: \(gaps)")
    } catch {
        await store.close()
        await scratch.drop()
        throw error
    }
    await store.close()
    await scratch.drop()
}

let testPassword = "Test-password-2024"

/// A signed-in test client: sends the session cookie with every request and the CSRF token with every form.
struct AuthedClient: Sendable {
    let raw: any TestClientProtocol
    let cookie: String
    let csrf: String

    static func signIn(_ raw: any TestClientProtocol, username: String, password: String = testPassword) async throws -> AuthedClient {
        let r = try await postLogin(raw, username: username, password: password)
        let cookie = sessionCookie(r) ?? ""
        let page = try await raw.execute(uri: "/", method: .get, headers: [.cookie: cookie])
        return AuthedClient(raw: raw, cookie: cookie, csrf: csrfToken(page.text) ?? "")
    }

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers = headers
        headers[.cookie] = [cookie, headers[.cookie]].compactMap { $0 }.joined(separator: "; ")
        var body = body
        if headers[.contentType] == "application/x-www-form-urlencoded", var b = body {
            b.writeString((b.readableBytes > 0 ? "&" : "") + "_csrf=" + csrf)
            body = b
        }
        return try await raw.execute(uri: uri, method: method, headers: headers, body: body)
    }
}

/// Posts the sign-in form as a browser does: with the form's token and the cookie that came with the form.
func postLogin(_ raw: any TestClientProtocol, username: String, password: String, next: String? = nil) async throws -> TestResponse {
    let page = try await raw.execute(uri: "/login", method: .get)
    let cookie = page.headers[values: .setCookie].first { $0.hasPrefix("xz_login=") }?.split(separator: ";").first.map(String.init) ?? ""
    let html = page.text
    let token = html.range(of: "name=\"_login\" value=\"").map { String(html[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
    var fields = [("username", username), ("password", password), ("_login", token)]
    if let next { fields.append(("next", next)) }
    var headers = formHeaders
    headers[.cookie] = cookie
    return try await raw.execute(uri: "/login", method: .post, headers: headers, body: form(fields))
}

func sessionCookie(_ r: TestResponse) -> String? {
    r.headers[values: .setCookie].first { $0.hasPrefix("xz_session=") }?.split(separator: ";").first.map(String.init)
}

func csrfToken(_ html: String) -> String? {
    guard let r = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// The body as one of the API's own types: fields are read by name, and an answer of another shape fails here.
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: Data(buffer: body)) }
    /// The id of what the request created.
    var createdID: Int64 { get throws { try decode(Identified.self).id } }
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
    ByteBuffer(
        string: fields.map { k, v in
            "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&"))
}

/// Any API object, read for its id alone.
struct Identified: Codable, Sendable { let id: Int64 }

/// The id a redirect names (`/progress/12?done=saved` → "12").
func locationID(_ r: TestResponse) -> String {
    let path = (r.headers[.location] ?? "").split(separator: "?").first.map(String.init) ?? ""
    return String(path.split(separator: "/").last ?? "")
}
