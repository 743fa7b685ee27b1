/// `/health` and `/ready`.
struct Health: Codable, Sendable {
    let status: String
    var schema: Int? = nil
    var expected: Int? = nil
    var backend: String? = nil
}
