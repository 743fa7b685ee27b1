import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

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
        } catch let e as RoundError {
            return respond(request, context, .round(e, context.language))
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
