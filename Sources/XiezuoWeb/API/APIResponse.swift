import Foundation
import Hummingbird
import XiezuoStore

// What every API response is built from: Encodable types, one shape per resource, encoded with the keys in the order
// each type declares them (dictionaries sorted), so the same data always gives the same bytes.

/// A value the API always names, `null` when there is none (the shape of a resource does not change with its data).
@propertyWrapper
struct Null<Value: Codable & Sendable>: Codable, Sendable {
    var wrappedValue: Value?
    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

/// A list: its items, how many there are in all and, for a paged list, which page this is.
struct ListOut<Item: Codable & Sendable>: Codable, Sendable {
    let items: [Item]
    let total: Int
    var page: Int? = nil
    var perPage: Int? = nil
    /// Present (true) when `total` is a lower bound: a keyword found in very many rows is counted only so far.
    var totalAtLeast: Bool? = nil

    init(_ items: [Item], total: Int? = nil, page: XiezuoStore.Page? = nil) {
        self.items = items
        self.total = total ?? items.count
        self.page = page?.number
        self.perPage = page?.size
    }
}

/// `{"error": {"code", "message", "fields"?, "rows"?}}` in the caller's language.
struct ErrorOut: Codable, Sendable {
    struct FieldProblem: Codable, Sendable {
        let field: String
        let message: String
    }
    struct RowProblem: Codable, Sendable {
        let row: Int
        let field: String
        let message: String
    }
    struct Body: Codable, Sendable {
        let code: String
        let message: String
        var fields: [FieldProblem]? = nil
        var rows: [RowProblem]? = nil
    }
    let error: Body
}

enum APIEncoding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

/// An API response: the value as JSON.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    // Every type encoded here is made of strings, numbers, booleans, arrays and string-keyed dictionaries of them;
    // should one ever hold something else (a date), Foundation's encoder writes it rather than nothing being sent.
    let buffer: ByteBuffer
    if let bytes = try? JSONStream.encode(value) {
        buffer = ByteBuffer(bytes: bytes)
    } else {
        buffer = ByteBuffer(bytes: (try? APIEncoding.encoder.encode(value)) ?? Data("{}".utf8))
    }
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
}
