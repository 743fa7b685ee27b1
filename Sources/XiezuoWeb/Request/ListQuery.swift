import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// One list request, read once: its filters (each malformed value a 400 naming it — a filter is never silently
/// ignored), the page and page size, and the links to the neighbouring pages, which keep every filter of the address.
/// Every list page and every API list reads its request through this.
struct ListQuery {
    let request: Request
    let page: Page

    init(_ request: Request, defaultSize: Int = 20) throws {
        self.request = request
        let number = try request.query("page") { Int($0).flatMap { $0 >= 1 ? $0 : nil } } ?? 1
        let size = try request.query("perPage") { Int($0).flatMap { (1...Page.maxSize).contains($0) ? $0 : nil } } ?? defaultSize
        page = Page(number: number, size: size)
    }

    /// A filter's text, trimmed; nil when absent or blank.
    func text(_ name: String) -> String? { request.query(name) }

    /// A filter read by `parse`: nil when absent, 400 when `parse` refuses it.
    func value<T>(_ name: String, _ parse: (String) -> T?) throws -> T? { try request.query(name, parse) }

    func choice<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        try value(name) { E(rawValue: $0) }
    }

    var year: Int? { get throws { try value("year") { Int($0).flatMap { Day.validYears.contains($0) ? $0 : nil } } } }
    var region: String? { get throws { try value("region") { Region.isWellFormedCode($0) ? $0 : nil } } }
    var state: ProgressState? { get throws { try choice("state", ProgressState.self) } }

    /// Where this page sits among `pageCount`, and the addresses of the pages before and after it.
    func links(pageCount: Int, total: Int) -> PageLinks {
        let kept = Self.pairs(request, dropping: ["page"])
        let path = request.uri.path
        return PageLinks(
            number: page.number, count: pageCount, total: total,
            previous: page.number > 1 ? Self.href(path, kept + [("page", String(page.number - 1))]) : nil,
            next: page.number < pageCount ? Self.href(path, kept + [("page", String(page.number + 1))]) : nil)
    }

    /// The same address in the other language.
    static func languageSwitch(_ request: Request, to lang: String) -> String {
        href(request.uri.path, pairs(request, dropping: ["lang"]) + [("lang", lang)])
    }

    /// The current query without some keys, in the order it came (still percent-encoded).
    static func pairs(_ request: Request, dropping keys: Set<String>) -> [(String, String)] {
        guard let q = request.uri.query, !q.isEmpty else { return [] }
        return q.split(separator: "&").compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard let k = kv.first, !keys.contains(k.removingPercentEncoding ?? k) else { return nil }
            return (k, kv.count > 1 ? kv[1] : "")
        }
    }

    static func href(_ path: String, _ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? path : path + "?" + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}

/// A list page's position: "page x of y", and the neighbours' addresses (absent at either end).
struct PageLinks: Sendable {
    let number: Int
    let count: Int
    let total: Int
    let previous: String?
    let next: String?

    func info(_ l: Labels) -> String { l.t("page_of", String(number), String(count), String(total)) }
}
