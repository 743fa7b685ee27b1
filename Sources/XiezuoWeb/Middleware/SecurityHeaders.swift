import HTTPTypes
import Hummingbird

/// Headers that keep a page from being turned against its reader: no script at all (the UI has none), styles
/// only from our stylesheet, no framing, no MIME sniffing, no referrer leaving the site. A response that needs
/// something else (the conference report carries its own print styles) sets its own policy, which is kept.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let policy =
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// A standalone report page: its own inline print styles, nothing else.
    static let reportPolicy =
        "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.apply(&response.headers)
        return response
    }

    static func apply(_ headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = policy }
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
    }
}
