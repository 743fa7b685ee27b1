import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

// Reading what a request carries: JSON and form bodies, query values, route ids — each refusal a 400 or 413 in
// the caller's language.

/// Reads a JSON body into `T`, answering 400 with the reason when it is not valid JSON of that shape.
func decodeJSON<T: Decodable>(_ type: T.Type, _ request: Request, _ context: some XiezuoContext) async throws -> T {
    var request = request
    let buffer: ByteBuffer
    do { buffer = try await request.collectBody(upTo: context.maxUploadSize) } catch {
        throw AppError(status: .contentTooLarge, code: "too_large", key: "bad_request")
    }
    do {
        return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
    } catch let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c), let DecodingError.dataCorrupted(c) {
        let path = c.codingPath.map(\.stringValue).joined(separator: ".")
        throw AppError.badJSON(path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)")
    } catch let DecodingError.keyNotFound(k, _) {
        throw AppError.badJSON("missing \(k.stringValue)")
    } catch {
        throw AppError.badJSON("\(error)")
    }
}

/// Parses an application/x-www-form-urlencoded body. Repeated names keep the last value.
func decodeForm(_ request: Request, _ context: some XiezuoContext, limit: Int? = nil) async throws -> [String: String] {
    parseForm(try await formBody(request, context, limit: limit))
}

/// The same, keeping every value of a repeated name (a group of checkboxes), in order.
func decodeFormLists(_ request: Request, _ context: some XiezuoContext) async throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for (k, v) in formPairs(try await formBody(request, context, limit: nil)) { out[k, default: []].append(v) }
    return out
}

/// A form's body, up to the limit (413 beyond it).
private func formBody(_ request: Request, _ context: some XiezuoContext, limit: Int?) async throws -> String {
    var request = request
    do { return String(buffer: try await request.collectBody(upTo: limit ?? context.maxUploadSize)) } catch {
        throw AppError(status: .contentTooLarge, code: "too_large", key: "bad_request")
    }
}

func parseForm(_ body: String) -> [String: String] {
    var out: [String: String] = [:]
    for (k, v) in formPairs(body) { out[k] = v }
    return out
}

/// Every name and value of a form body, in order, decoded.
func formPairs(_ body: String) -> [(String, String)] {
    body.split(separator: "&").map { pair in
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String { (String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? "" }
        return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
    }
}

extension Request {
    func query(_ name: String) -> String? {
        guard let v = uri.queryParameters.get(name)?.trimmingWhitespace(), !v.isEmpty else { return nil }
        return v
    }

    /// A query parameter read by `parse`: nil when absent, 400 naming the parameter when malformed (a filter is
    /// never silently ignored).
    func query<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = query(name) else { return nil }
        guard let v = parse(text) else { throw AppError.badFilter(name) }
        return v
    }

    func yearQuery() throws -> Int? { try query("year") { Int($0).flatMap { Day.validYears.contains($0) ? $0 : nil } } }
    func regionQuery() throws -> String? { try query("region") { Region.isWellFormedCode($0) ? $0 : nil } }
    func stateQuery() throws -> ProgressState? { try query("state") { ProgressState(rawValue: $0) } }
}

func parseID(_ text: String?) throws -> Int64 {
    guard let text, let id = Int64(text), id > 0 else { throw AppError.badID(text ?? "") }
    return id
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
