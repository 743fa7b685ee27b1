import Hummingbird
import XiezuoDomain
import XiezuoStore

/// What every handler may ask of its context, signed in or not: the reader's language, who is asking (if anyone),
/// the session's CSRF token and the client's address.
protocol XiezuoContext: RequestContext {
    var language: Language { get }
    var signedInUser: UserAccount? { get }
    var csrf: String? { get }
    var clientAddress: String? { get }
}

extension XiezuoContext {
    var actor: Actor { Actor(name: signedInUser?.username, address: clientAddress) }
}

extension SignedInContext {
    /// With the request's day: a write to a locked reporting period is judged on the same date the page showed.
    var actor: Actor { Actor(name: user.username, address: clientAddress, today: today) }
}

/// The context of the routes anyone may call (sign-in, setup, health): the reader's language and, where a session
/// came along, who they are. AuthMiddleware fills it in.
public struct AppRequestContext: RequestContext, XiezuoContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .zh
    /// The signed-in user and the session's CSRF token, set by AuthMiddleware.
    public var user: UserAccount?
    public var csrf: String?
    /// The signed-in user's rights, settled once per request by AuthMiddleware (nil on public routes).
    var access: Access?
    /// Today in China, read once per request from the application's clock by AuthMiddleware.
    var today: Day?
    /// The data's version read with the user (ResponseCache).
    var dataVersion: Int64?

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

    var signedInUser: UserAccount? { user }
    /// Request bodies beyond this are refused with 413 before decoding (both contexts).
    public static let bodyLimit = 1 << 20
    public var maxUploadSize: Int { Self.bodyLimit }
}

/// The context of every route behind sign-in, which is every route but a handful (`buildRouter` puts them in a group
/// of this context). Who is asking and what they may see are settled once, before the handler runs, and are not
/// optional: a handler cannot forget to look them up, nor run without them.
struct SignedInContext: ChildRequestContext, XiezuoContext {
    var coreContext: CoreRequestContextStorage
    let language: Language
    let access: Access
    let csrf: String?
    let clientAddress: String?
    /// Today in China, the same for every part of the request.
    let today: Day
    /// The data's version when the user was read: what a kept answer must have been made under (ResponseCache).
    let dataVersion: Int64?

    init(context: AppRequestContext) throws {
        // AuthMiddleware has already sent anyone not signed in to the sign-in page; this is the guarantee in types.
        guard let access = context.access else { throw AppError(status: .unauthorized, code: "unauthorized", key: "error.unauthorized") }
        coreContext = context.coreContext
        language = context.language
        self.access = access
        csrf = context.csrf
        clientAddress = context.clientAddress
        today = context.today ?? ChinaClock.system.today()
        dataVersion = context.dataVersion
    }

    var user: UserAccount { access.user }
    var signedInUser: UserAccount? { access.user }
    var maxUploadSize: Int { AppRequestContext.bodyLimit }
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
