import Foundation
import Hummingbird

/// Links between the pages of a list that keep every filter of the current address (only `page` changes), and the
/// language switch that keeps the whole address too.
enum Pager {
    /// The current query without some keys, in the order it came.
    static func query(_ request: Request, dropping keys: Set<String>) -> [(String, String)] {
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

    /// Previous and next page of a list at `request`'s address ("" where there is none).
    static func links(_ request: Request, page: Int, pageCount: Int) -> (prev: String, next: String) {
        let kept = query(request, dropping: ["page"])
        let path = request.uri.path
        return (
            page > 1 ? href(path, kept + [("page", String(page - 1))]) : "",
            page < pageCount ? href(path, kept + [("page", String(page + 1))]) : ""
        )
    }

    /// The same address in the other language.
    static func languageSwitch(_ request: Request, to lang: String) -> String {
        href(request.uri.path, query(request, dropping: ["lang"]) + [("lang", lang)])
    }
}
