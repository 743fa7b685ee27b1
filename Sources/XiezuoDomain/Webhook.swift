import Foundation

/// A group robot (群机器人) an office registers so that what concerns it is posted to its work group: reporting
/// rounds, reminders and red warnings. WeCom and DingTalk robots take the same markdown message shape.
public enum WebhookKind: String, Sendable, Codable, CaseIterable {
    case wecom, dingtalk
}

public enum WebhookEvent: String, Sendable, Codable, CaseIterable {
    case round, reminder, warning
}

/// The rules of robots in one place: where a robot may point (never into the office's own network), who registers
/// one, how a failed delivery is retried, and the message each robot accepts.
public enum WebhookRule {
    /// The robots' own addresses. A deployment may add origins of its own (an internal relay; tests' local sink).
    public static let defaultOrigins = ["https://qyapi.weixin.qq.com", "https://oapi.dingtalk.com"]

    /// Checks a robot's address: it must start at one of the allowed origins exactly (scheme, host and port), carry
    /// no user name or password, and be at most 500 characters. Returns the address, or the key of the reason.
    public static func check(_ text: String, extraOrigins: [String]) -> Result<URL, ValidationFailure> {
        let t = text.trimmingWhitespace()
        func refuse(_ key: String) -> Result<URL, ValidationFailure> { .failure(ValidationFailure([.init(field: "url", key: key)])) }
        guard !t.isEmpty else { return refuse("error.required") }
        guard t.count <= 500, let c = URLComponents(string: t), let scheme = c.scheme?.lowercased(), let host = c.host?.lowercased(),
            let url = c.url
        else { return refuse("error.webhook_url") }
        guard c.user == nil, c.password == nil, c.fragment == nil else { return refuse("error.webhook_url") }
        let origin = scheme + "://" + host + (c.port.map { ":\($0)" } ?? "")
        let allowed = (defaultOrigins + extraOrigins).map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        guard allowed.contains(origin) else { return refuse("error.webhook_host") }
        return .success(url)
    }

    /// The address as lists show it: its origin and path, the key replaced (it is the robot's secret).
    public static func masked(_ url: URL) -> String {
        let c = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let origin = (c?.scheme ?? "") + "://" + (c?.host ?? "") + (c?.port.map { ":\($0)" } ?? "")
        return origin + (c?.path ?? "") + ((c?.query?.isEmpty ?? true) ? "" : "?…")
    }

    /// Province and prefecture offices (and administrators) register robots for their own office.
    public static func mayRegister(_ user: UserAccount) -> Bool {
        user.state == .active && [.admin, .provinceCoordinator, .prefectureOfficer].contains(user.role)
    }

    /// Attempts before a delivery is given up, and the wait before attempt `n + 1` after `n` failures: doubling
    /// from `base` seconds, at most six hours.
    public static let maxAttempts = 8
    public static func delay(afterFailures n: Int, base: Int) -> Int {
        min(base << min(max(n - 1, 0), 20), 6 * 3600)
    }

    /// The JSON body a robot of `kind` accepts: a markdown message with a title line.
    public static func payload(_ kind: WebhookKind, title: String, lines: [String]) -> String {
        let body = (["### " + title] + lines).joined(separator: "\n")
        let object: [String: Any]
        switch kind {
        case .wecom: object = ["msgtype": "markdown", "markdown": ["content": body]]
        case .dingtalk: object = ["msgtype": "markdown", "markdown": ["title": title, "text": body]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
