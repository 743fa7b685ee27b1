import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import XiezuoStore

/// Closes the database when the application shuts down gracefully.
struct DatabaseService: Service {
    let store: Store
    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}

/// Builds the whole application from explicit settings: opens and migrates the database, loads demo data when
/// asked, and wires every controller. Tests call this with their own settings.
public func buildApplication(_ settings: AppSettings) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "xiezuo")
    logger.logLevel = settings.logLevel
    let store = try await Store.open(url: settings.databaseURL, logger: logger)
    let router: Router<AppRequestContext>
    do {
        try await store.migrate()
        if settings.demo {
            if try await store.loadDemo() { logger.info("demo data loaded") }
            else { logger.info("database already holds data; demo data not loaded") }
        }
        router = try await buildRouter(store: store)
    } catch {
        await store.close()  // connections must be closed before they go away, even on a failed start
        throw error
    }
    return Application(router: router,
                       configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "xiezuo"),
                       services: [DatabaseService(store: store)], logger: logger)
}

/// The router alone, for tools that need to list routes (the OpenAPI test) without a server.
public func buildRouter(store: Store) async throws -> Router<AppRequestContext> {
    let renderer = try await Renderer.load()
    guard let specURL = Bundle.module.url(forResource: "openapi", withExtension: "json") else { throw CocoaError(.fileNoSuchFile) }
    let spec = try Data(contentsOf: specURL)
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: ErrorMiddleware(renderer: renderer))
    let pages = Pages(store: store, renderer: renderer)
    router.get("/static/app.css") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                 body: .init(byteBuffer: renderer.stylesheet))
    }
    DashboardController(pages: pages).addRoutes(to: router)
    AgreementsController(pages: pages).addRoutes(to: router)
    ProjectsController(pages: pages).addRoutes(to: router)
    RegionsController(pages: pages).addRoutes(to: router)
    ProgressController(pages: pages).addRoutes(to: router)
    DocumentsController(pages: pages).addRoutes(to: router)
    APIController(store: store, openAPI: ByteBuffer(bytes: spec)).addRoutes(to: router)
    return router
}
