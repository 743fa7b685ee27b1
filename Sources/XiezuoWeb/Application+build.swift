import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import ServiceLifecycle
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// Closes the database when the application shuts down gracefully.
struct DatabaseService: Service {
    let store: Store
    func run() async throws {
        try? await gracefulShutdown()
        // Closing must finish even when shutdown came as a cancellation, which would stop the close half-way.
        let store = self.store
        await Task.detached { await store.close() }.value
    }
}

/// Builds the whole application from explicit settings: opens and migrates the database, loads demo data when
/// asked, and wires every controller. Tests call this with their own settings.
///
/// With `store`, the caller owns the database and closes it (tests do); otherwise the app opens it and a service
/// closes it at shutdown.
public func buildApplication(_ settings: AppSettings, store given: Store? = nil) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "xiezuo")
    logger.logLevel = settings.logLevel
    // Temporary files a killed process left (an upload being read, an export being written) may hold personal data.
    PrivateFiles.sweep()
    let store: Store
    if let given { store = given } else { store = try await Store.open(url: settings.databaseURL, logger: logger) }
    let router: Router<AppRequestContext>
    do {
        try await store.migrate()
        if settings.demo {
            if try await store.loadDemo() {
                logger.info("demo data loaded")
                try await createDemoAccounts(store: store, cost: settings.passwordCost)
            } else {
                logger.info("database already holds data; demo data not loaded")
            }
        }
        router = try await buildRouter(
            store: store, passwordCost: settings.passwordCost, trustedProxies: settings.trustedProxies, clock: settings.clock,
            responseCache: settings.responseCache, publicPortal: settings.publicPortal ? settings.publicLicence : nil,
            attachmentLimit: settings.attachmentLimitMB << 20, webhookOrigins: settings.webhookOrigins)
        if let token = try await store.createSetupToken() {
            let host = settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host
            FileHandle.standardOutput.write(
                Data(
                    """
                    尚无管理员。请在浏览器中打开下面的一次性链接创建第一个管理员（用后即失效，重启后换新）：
                    No administrator yet. Open this one-time link to create the first one (spent when used, replaced at restart):
                      http://\(host):\(settings.port)/setup?token=\(token)

                    """.utf8))
        }
    } catch {
        if given == nil { await store.close() }  // connections must be closed before they go away, even on a failed start
        throw error
    }
    // The robot sender stops before the database closes (a group shuts its services down last to first).
    var services: [any Service] = given == nil ? [DatabaseService(store: store)] : []
    services.append(
        WebhookService(
            store: store, pollSeconds: settings.webhookPollSeconds, retrySeconds: settings.webhookRetrySeconds, clock: settings.clock, logger: logger)
    )
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "xiezuo"),
        services: services, logger: logger)
}

/// The router alone, for tools that need to list routes (the OpenAPI test) without a server.
public func buildRouter(
    store: Store, passwordCost: UInt8 = 12, trustedProxies: [CIDR] = [], clock: ChinaClock = .system, responseCache: Bool = true,
    publicPortal licence: String? = nil, attachmentLimit: Int = Attachment.defaultLimitMB << 20, webhookOrigins: [String] = []
) async throws -> Router<AppRequestContext> {
    let renderer = try await Renderer.load()
    guard let specURL = Bundle.module.url(forResource: "openapi", withExtension: "json") else { throw CocoaError(.fileNoSuchFile) }
    let spec = try Data(contentsOf: specURL)
    let router = Router(context: AppRequestContext.self)
    let metrics = Metrics()
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ClientAddressMiddleware(trusted: trustedProxies))
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: ErrorMiddleware(renderer: renderer))
    router.add(middleware: AuthMiddleware(store: store, clock: clock, attachmentLimit: attachmentLimit))
    // Once more inside: a handler's error page then knows who is signed in (the outer one renders the sign-in
    // middleware's own refusals).
    router.add(middleware: ErrorMiddleware(renderer: renderer))
    let cache = ResponseCache(maxEntries: responseCache ? 512 : 0)
    let pages = Pages(store: store, renderer: renderer, passwordCost: passwordCost, cache: cache, attachmentLimit: attachmentLimit)
    // Operations: Prometheus text format. Public like /health; keep it off the public side of the proxy (DEPLOY.md).
    router.get("/metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.render(store.stats))))
    }
    router.get("/static/app.css") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
            body: .init(byteBuffer: renderer.stylesheet))
    }
    // The public portal exists only where the deployment switched it on (nil: its addresses answer 404).
    if let licence { PublicController(pages: pages, clock: clock, licence: licence).addRoutes(to: router) }
    // Every route but the handful above and in `addRoutes(public:)` is behind sign-in: its handlers get a
    // SignedInContext, whose user and rights are not optional.
    let signedIn = router.group(context: SignedInContext.self)
    SessionController(pages: pages).addRoutes(public: router, signedIn: signedIn)
    DashboardController(pages: pages).addRoutes(to: signedIn)
    MapController(pages: pages).addRoutes(to: signedIn)
    ScreenController(pages: pages).addRoutes(to: signedIn)
    WarningsController(pages: pages).addRoutes(to: signedIn)
    InboxController(pages: pages).addRoutes(to: signedIn)
    RoundsController(pages: pages).addRoutes(to: signedIn)
    ChangesController(pages: pages).addRoutes(to: signedIn)
    AttachmentsController(pages: pages, limit: attachmentLimit).addRoutes(to: signedIn)
    WebhooksController(pages: pages, extraOrigins: webhookOrigins).addRoutes(to: signedIn)
    WorkbenchController(pages: pages).addRoutes(to: signedIn)
    AgreementsController(pages: pages).addRoutes(to: signedIn)
    ProjectsController(pages: pages).addRoutes(to: signedIn)
    RegionsController(pages: pages).addRoutes(to: signedIn)
    ProgressController(pages: pages).addRoutes(to: signedIn)
    ReviewController(pages: pages).addRoutes(to: signedIn)
    DocumentsController(pages: pages).addRoutes(to: signedIn)
    HistoryController(pages: pages).addRoutes(to: signedIn)
    MeetingsController(pages: pages).addRoutes(to: signedIn)
    MeetingsAPIController(store: store).addRoutes(to: signedIn)
    AssessmentsController(pages: pages).addRoutes(to: signedIn)
    LedgersController(pages: pages).addRoutes(to: signedIn)
    UsersController(pages: pages).addRoutes(to: signedIn)
    AccountController(pages: pages).addRoutes(to: signedIn)
    AuditLogController(pages: pages).addRoutes(to: signedIn)
    APIController(store: store, openAPI: ByteBuffer(bytes: spec), cache: cache).addRoutes(public: router, signedIn: signedIn)
    return router
}

/// One demo account per role and level, with fresh random passwords printed once on the console.
func createDemoAccounts(store: Store, cost: UInt8) async throws {
    let accounts: [(String, Role, String)] = [
        ("admin", .admin, "520000"), ("gd.province", .provinceCoordinator, "440000"),
        ("gz.province", .provinceCoordinator, "520000"), ("guangzhou", .prefectureOfficer, "440100"),
        ("bijie", .prefectureOfficer, "520500"), ("nayong", .countyReporter, "520525"), ("viewer", .viewer, "520000"),
    ]
    var lines = ["演示账号 / demo accounts (shown once):"]
    for (name, role, region) in accounts where try await store.user(username: name) == nil {
        let password = "Xz-" + String(UInt64.random(in: 1_000_000_000...9_999_999_999)) + "-demo"
        _ = try await store.addUser(
            username: name, role: role, regionCode: region,
            passwordHash: Bcrypt.hash(password, cost: cost), actor: Actor(name: "demo", address: nil))
        lines.append(
            "  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(role.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0)) \(region)  \(password)"
        )
    }
    // written straight to the descriptor so it shows at once even when output goes to a file
    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}
