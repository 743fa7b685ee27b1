import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// An error the caller can act on: a status, a stable code, a message in the caller's language and, for invalid
/// input, the problem with each field.
struct AppError: Error {
    var status: HTTPResponse.Status
    var code: String
    var key: String
    var params: [String] = []
    var issues: [ValidationIssue] = []

    static func notFound(_ what: String) -> AppError { .init(status: .notFound, code: "not_found", key: "error.not_found", params: [what]) }
    static func badID(_ text: String) -> AppError { .init(status: .badRequest, code: "bad_id", key: "error.bad_id", params: [text]) }
    static func badFilter(_ name: String) -> AppError { .init(status: .badRequest, code: "bad_filter", key: "error.bad_filter", params: [name]) }
    static func badJSON(_ detail: String) -> AppError { .init(status: .badRequest, code: "bad_json", key: "error.bad_json", params: [detail]) }
    static let ownWork = AppError(status: .forbidden, code: "own_work", key: "error.own_work")
    static func duplicateFigure(_ e: DuplicateFigure) -> AppError {
        AppError(
            status: .conflict, code: "duplicate_figure", key: "error.duplicate_figure",
            params: [e.existingId.map { "/progress/\($0)" } ?? "/progress"])
    }
    static func invalid(_ f: ValidationFailure) -> AppError {
        .init(status: .unprocessableContent, code: "validation", key: "error.validation", issues: f.issues)
    }
}

/// Turns every error into a response in the caller's language: JSON `{"error":{…}}` under /api, a page elsewhere.
/// Anything unexpected is logged and answered with a plain 500 that reveals nothing internal.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: Renderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as AppError {
            return respond(request, context, e)
        } catch let e as DuplicateFigure {
            return respond(request, context, .duplicateFigure(e))
        } catch ReviewError.ownWork {
            return respond(request, context, .ownWork)
        } catch let e as StoreError where e == .notFound {
            return respond(request, context, .notFound(request.uri.path))
        } catch let e as HTTPError {
            let app = AppError(
                status: e.status, code: e.status == .notFound ? "not_found" : "bad_request",
                key: e.status == .notFound ? "error.not_found" : "bad_request", params: [request.uri.path])
            return respond(request, context, app)
        } catch {
            context.logger.error("unhandled error: \(error)")
            return respond(request, context, AppError(status: .internalServerError, code: "internal", key: "server_error"))
        }
    }

    func respond(_ request: Request, _ context: Context, _ e: AppError) -> Response {
        let lang = context.language
        let message = Strings.text(e.key, lang, e.params)
        if request.uri.path.hasPrefix("/api/") {
            let fields = e.issues.map { ErrorOut.FieldProblem(field: $0.field, message: $0.message(lang)) }
            return jsonResponse(ErrorOut(error: .init(code: e.code, message: message, fields: fields.isEmpty ? nil : fields)), status: e.status)
        }
        // The signed-in header stays, and the way back is the page the user came from.
        let back = request.headers[.referer].flatMap { URL(string: $0)?.path }.map { SafeRedirect.path($0) }
        return renderer.errorPage(
            status: e.status, message: message, lang: lang, user: context.user, csrf: context.csrf,
            back: back == request.uri.path ? nil : back)
    }
}

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
    var request = request
    let buffer: ByteBuffer
    do { buffer = try await request.collectBody(upTo: limit ?? context.maxUploadSize) } catch {
        throw AppError(status: .contentTooLarge, code: "too_large", key: "bad_request")
    }
    return parseForm(String(buffer: buffer))
}

func parseForm(_ body: String) -> [String: String] {
    var out: [String: String] = [:]
    for pair in body.split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String { (String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? "" }
        out[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
    }
    return out
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
