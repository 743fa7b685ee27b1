import Logging
import XiezuoDomain
import XiezuoStore

/// Everything `buildApplication` needs, explicit so tests build the same app the binary runs.
public struct AppSettings: Sendable {
    public var host: String
    public var port: Int
    public var databaseURL: String
    public var demo: Bool
    public var logLevel: Logger.Level
    /// bcrypt cost for passwords set through the web; tests lower it to keep sign-ins fast.
    public var passwordCost: UInt8 = 12
    /// Proxies whose X-Forwarded-For names the client (nginx in front: its address). Empty: the header is ignored.
    public var trustedProxies: [CIDR] = []
    /// Where "today" comes from (the date in China); tests fix it.
    public var clock: ChinaClock = .system
    /// Whether the busiest answers are kept in memory while the data is unchanged (ResponseCache); off only to
    /// measure what building them costs.
    public var responseCache = true
    /// The public portal (`/public`, its CSV and JSON): off unless the deployment switches it on.
    public var publicPortal = false
    /// The licence the public data is offered under, named on the page and in each file.
    public var publicLicence = AppSettings.defaultPublicLicence
    public static let defaultPublicLicence = "CC BY 4.0"
    /// Origins a group robot may point to besides WeCom's and DingTalk's own (`webhookOrigins` in the config file:
    /// an internal relay, or a test's local sink).
    public var webhookOrigins: [String] = []
    /// The first wait before a failed robot message is tried again, doubling each time (`webhookRetrySeconds`).
    public var webhookRetrySeconds = 30
    /// How often each instance looks for robot messages due (seconds).
    public var webhookPollSeconds = 5.0
    /// The largest evidence file accepted, in MB (`attachmentLimitMB` in the config file).
    public var attachmentLimitMB = Attachment.defaultLimitMB

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String = DatabaseLocation.defaultURL,
        demo: Bool = false, logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.demo = demo
        self.logLevel = logLevel
    }
}
