import ArgumentParser
import Foundation
import Hummingbird
import Logging
import XiezuoStore
import XiezuoWeb

@main
struct Xiezuo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xiezuo",
        abstract: "协作 Xiezuo — East–West cooperation platform (东西部协作管理平台).",
        discussion: """
            Data lives in the database named by --database (default \(DatabaseLocation.defaultURL)); it is created and
            migrated on first use. Start with: xiezuo serve --demo, then open http://127.0.0.1:8080
            """,
        subcommands: [
            Serve.self, Migrate.self, Backup.self, Restore.self, Repair.self, UserCommand.self, ReportCommand.self,
            ImportCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// Runs the command. A command that cannot go on says why in one message, without the usage text of the
    /// whole program (that is for a command line that does not parse), and exits 64 as before.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            // --help and --version print what was asked; a command line that does not parse says only what is wrong
            // with it and where to read more, not the whole usage text.
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(message(for: error))\n用法 / usage: xiezuo help COMMAND\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// Why a command could not do what it was asked (a file it cannot read, a name that does not exist, a database
/// that refuses): a message in both languages.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Database URL: sqlite://PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: XIEZUO_DATABASE_URL, else \(DatabaseLocation.defaultURL))."
    )
    var database: String = ProcessInfo.processInfo.environment["XIEZUO_DATABASE_URL"] ?? DatabaseLocation.defaultURL
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web UI and JSON API until SIGINT/SIGTERM.")
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080).") var port: Int?
    @Option(name: .long, help: "Database URL (default: XIEZUO_DATABASE_URL, the config file, else \(DatabaseLocation.defaultURL)).")
    var database: String?
    @Flag(help: "Load the 2024 Guangdong–Guizhou demo data into an empty database.") var demo = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error (default info).") var logLevel: String?
    @Option(help: "Log format: text, or json (one object per line, with the request id).") var logFormat: String?
    @Option(help: "A proxy (CIDR, e.g. 127.0.0.1/32) whose X-Forwarded-For names the client; repeat for several. Without one the header is ignored.")
    var trustedProxy: [String] = []
    @Option(
        help:
            "A JSON file with any of host, port, database, logLevel, logFormat, trustedProxies, public (true/false), publicLicence, attachmentLimitMB, webhookOrigins (origins group robots may post to besides WeCom's and DingTalk's), webhookRetrySeconds; flags and XIEZUO_DATABASE_URL win over it."
    )
    var config: String?
    @Flag(
        name: .customLong("public"),
        help:
            "Serve the public portal (/public, /public/figures.csv, /public/figures.json): approved totals and completed projects, no sign-in. --demo switches it on too."
    )
    var publicPortal = false
    @Flag(help: "Build every page and API answer afresh instead of keeping the busiest while the data is unchanged (to measure them).")
    var noResponseCache = false

    /// Settings as a config file gives them.
    struct FileSettings: Decodable {
        var host: String?
        var port: Int?
        var database: String?
        var logLevel: String?
        var logFormat: String?
        var trustedProxies: [String]?
        var `public`: Bool?
        var publicLicence: String?
        var attachmentLimitMB: Int?
        var webhookOrigins: [String]?
        var webhookRetrySeconds: Int?
    }

    func run() async throws {
        var file = FileSettings()
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else { throw CommandFailure("无法读取配置文件 / cannot read \(config)") }
            do { file = try JSONDecoder().decode(FileSettings.self, from: data) } catch {
                throw CommandFailure("配置文件有误 / \(config) is not valid: \(error)")
            }
        }
        let host = self.host ?? file.host ?? "127.0.0.1"
        let port = self.port ?? file.port ?? 8080
        let databaseURL = database ?? ProcessInfo.processInfo.environment["XIEZUO_DATABASE_URL"] ?? file.database ?? DatabaseLocation.defaultURL
        let logFormat = self.logFormat ?? file.logFormat ?? "text"
        guard let level = Logger.Level(rawValue: logLevel ?? file.logLevel ?? "info") else {
            throw CommandFailure("--log-level: trace, debug, info, notice, warning, error")
        }
        var proxies: [CIDR] = []
        for text in trustedProxy.isEmpty ? (file.trustedProxies ?? []) : trustedProxy {
            guard let c = CIDR(text) else { throw CommandFailure("--trusted-proxy: 不是有效的网段 / not a CIDR: \(text) (e.g. 127.0.0.1/32)") }
            proxies.append(c)
        }
        guard ["text", "json"].contains(logFormat) else { throw CommandFailure("--log-format: text 或 json / text or json") }
        if logFormat == "json" { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var logger = Logger(label: "xiezuo")
        logger.logLevel = level
        // The command owns the database so it is closed however the server ends (a port in use, a signal).
        let store: Store
        do { store = try await Store.open(url: databaseURL, logger: logger) } catch let e as StoreError { throw CommandFailure(e.description) }
        do {
            var settings = AppSettings(host: host, port: port, databaseURL: databaseURL, demo: demo, logLevel: level)
            settings.trustedProxies = proxies
            settings.responseCache = !noResponseCache
            settings.publicPortal = publicPortal || demo || file.public == true
            if let licence = file.publicLicence?.trimmingCharacters(in: .whitespacesAndNewlines), !licence.isEmpty {
                settings.publicLicence = licence
            }
            if let mb = file.attachmentLimitMB {
                guard (1...512).contains(mb) else { throw CommandFailure("attachmentLimitMB: 1–512") }
                settings.attachmentLimitMB = mb
            }
            settings.webhookOrigins = file.webhookOrigins ?? []
            if let s = file.webhookRetrySeconds {
                guard (1...3600).contains(s) else { throw CommandFailure("webhookRetrySeconds: 1–3600") }
                settings.webhookRetrySeconds = s
                settings.webhookPollSeconds = min(settings.webhookPollSeconds, Double(s) / 2)
            }
            let app = try await buildApplication(settings, store: store)
            FileHandle.standardOutput.write(Data("协作 Xiezuo: http://\(host):\(port)  (database \(Self.redacted(databaseURL)))\n".utf8))
            try await app.runService()
        } catch {
            await store.close()
            if let e = error as? StoreError { throw CommandFailure(e.description) }
            if "\(error)".contains("Address already in use") {
                throw CommandFailure("端口 \(port) 已被占用，请用 --port 换一个 / port \(port) is in use; choose another with --port")
            }
            throw error
        }
        await store.close()
    }
}

extension Serve {
    /// A database URL without its password, for the console.
    static func redacted(_ url: String) -> String {
        guard var u = URLComponents(string: url), u.password != nil else { return url }
        u.password = "***"
        return u.string ?? url
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")
    @OptionGroup var db: DatabaseOption
    @Flag(help: "Also load the 2024 demo data, if the database holds no agreements or projects yet.") var demo = false
    @Option(help: "Copy everything from --database into this empty database (any backend) and verify it, table by table.")
    var to: String?

    func run() async throws {
        if let to {
            try await Copy.run(from: db.database, to: to)
            return
        }
        let store: Store
        do { store = try await Store.open(url: db.database, logger: Logger(label: "xiezuo")) } catch let e as StoreError {
            throw CommandFailure(e.description)
        }
        let applied = try await store.migrate()
        let version = try await store.schemaVersion()
        print("migrations applied: \(applied); schema version \(version)")
        if demo {
            let loaded = try await store.loadDemo()
            print(loaded ? "演示数据已载入 / demo data loaded" : "数据库已有数据，未载入演示数据 / the database holds data; demo data not loaded")
        }
        await store.close()
    }
}
