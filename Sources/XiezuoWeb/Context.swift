import Hummingbird
import XiezuoDomain
import XiezuoStore

/// The typed request context: the reader's language and, as the platform grows, who they are and their scope.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .zh
    /// The signed-in user and the session's CSRF token, set by AuthMiddleware.
    public var user: UserAccount?
    public var csrf: String?
    /// The signed-in user's rights, settled once per request by AuthMiddleware (nil on public routes).
    var access: Access?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        clientAddress = remoteAddress
    }

    /// The peer's address (a proxy, behind nginx).
    public let remoteAddress: String?
    /// The client's address, for the audit trail and sign-in throttling: the peer's, or what a trusted proxy
    /// forwarded (ClientAddressMiddleware).
    public var clientAddress: String?

    /// Request bodies beyond this are refused with 413 before decoding.
    public var maxUploadSize: Int { 1 << 20 }

    var actor: Actor { Actor(name: user?.username, address: clientAddress) }
}

/// Picks the language from `?lang=` (remembered in a cookie) or the cookie, Chinese by default.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let asked = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:))
        if let asked {
            context.language = asked
        } else if let c = request.cookies["lang"]?.value, let l = Language(rawValue: c) {
            context.language = l
        }
        var response = try await next(request, context)
        if let asked {
            response.setCookie(Cookie(name: "lang", value: asked.rawValue, maxAge: 31_536_000, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }
}
