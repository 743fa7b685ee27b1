import Foundation
import Testing

@testable import XiezuoWeb

/// The API's own JSON writer says the same as Foundation's encoder for every shape the API sends, in bytes any JSON
/// reader takes, the same bytes for the same data.
@Suite struct JSONStreamTests {
    struct Inner: Codable, Sendable, Equatable {
        let code: String
        let amounts: [Int64]
        var note: String? = nil
    }
    struct Empty: Codable, Sendable, Equatable {}
    enum Kind: String, Codable, Sendable { case labour, consumption }
    struct Shape: Codable, Sendable, Equatable {
        let id: Int64
        let count: Int
        let small: Int8
        let big: UInt64
        let negative: Int32
        let flag: Bool
        let off: Bool
        let text: String
        let kind: Kind
        @Null var missing: String?
        @Null var present: String?
        var skipped: Int? = nil
        var kept: Int? = 7
        let inner: Inner
        let inners: [Inner]
        let matrix: [[Int]]
        let values: [String: String]
        let totals: [String: Int64]
        let nested: [String: [Inner]]
        let empty: Empty
        let emptyList: [String]
        let emptyMap: [String: Int]
        let ratio: Double
        let whole: Double

        static func == (a: Shape, b: Shape) -> Bool { a.id == b.id }
    }

    static let awkward = "引号\"反斜杠\\斜杠/换行\n回车\r制表\t响铃\u{07}零\u{0}删除\u{7F}表情😀组合e\u{301}"

    static func sample() -> Shape {
        Shape(
            id: -9_007_199_254_740_993, count: Int.max, small: -8, big: UInt64.max, negative: Int32.min, flag: true, off: false,
            text: awkward, kind: .consumption, missing: nil, present: "黔东南州", inner: Inner(code: "520000", amounts: [1, -2, 0]),
            inners: [Inner(code: "a", amounts: [], note: "备注"), Inner(code: awkward, amounts: [Int64.min])], matrix: [[], [1], [2, 3]],
            values: ["姓名": "张三", "b": "2", "a": "1", awkward: awkward, "": "空"], totals: ["z": 1, "y": -1],
            nested: ["k": [Inner(code: "x", amounts: [5])]],
            empty: Empty(), emptyList: [], emptyMap: [:], ratio: 0.125, whole: 3)
    }

    static func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test func saysWhatFoundationSays() throws {
        let value = Self.sample()
        let ours = try JSONStream.encode(value)
        let theirs = try JSONEncoder().encode(value)
        #expect(try Self.parsed(ours) == Self.parsed(Array(theirs)))
        // And reads back as the same value, strings byte for byte.
        let back = try JSONDecoder().decode(Shape.self, from: Data(ours))
        #expect(back.text == Self.awkward)
        #expect(back.values == value.values && back.nested == value.nested && back.inners == value.inners)
        #expect(back.missing == nil && back.present == "黔东南州" && back.skipped == nil && back.kept == 7)
    }

    @Test func sameDataSameBytesKeysInDeclaredOrderDictionariesSorted() throws {
        let a = try JSONStream.encode(Self.sample())
        let b = try JSONStream.encode(Self.sample())
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":-9007199254740993,"count":9223372036854775807,"small":-8,"#))
        #expect(text.contains(#""totals":{"y":-1,"z":1}"#))
        #expect(text.contains(#""missing":null,"present":"黔东南州","kept":7,"#))
        #expect(!text.contains("skipped"))
        #expect(text.contains(#""empty":{},"emptyList":[],"emptyMap":{},"ratio":0.125,"whole":3}"#))
        // Control characters escaped, slashes and non-ASCII text as they are.
        #expect(text.contains(#"\"反斜杠\\斜杠/换行\n回车\r制表\t响铃\u0007零\u0000删除"#))
    }

    @Test func theAPIsOwnTypes() throws {
        let error = ErrorOut(
            error: .init(code: "invalid", message: "第 3 行：\"金额\" 不是数字", fields: [.init(field: "amount", message: "必填")], rows: nil))
        let list = ListOut([error, error], total: 12, page: .init(number: 2, size: 2))
        let ours = try JSONStream.encode(list)
        #expect(try Self.parsed(ours) == Self.parsed(Array(try JSONEncoder().encode(list))))
        #expect(String(decoding: ours, as: UTF8.self).hasSuffix(#""total":12,"page":2,"perPage":2}"#))
    }

    @Test func datesAreNotGuessedButLeftToFoundation() throws {
        struct WithDate: Encodable { let at = Date(timeIntervalSince1970: 0) }
        #expect(throws: EncodingError.self) { try JSONStream.encode(WithDate()) }
        let response = jsonResponse(WithDate())
        #expect(response.status == .ok)
    }
}
