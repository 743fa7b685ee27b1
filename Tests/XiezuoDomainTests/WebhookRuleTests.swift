import Foundation
import Testing

@testable import XiezuoDomain

/// Where a group robot may point, how failures are retried, and what it is sent.
@Suite struct WebhookRuleTests {
    func ok(_ s: String, extra: [String] = []) -> Bool {
        if case .success = WebhookRule.check(s, extraOrigins: extra) { return true }
        return false
    }

    @Test func onlyTheRobotsOwnOriginsAndTheDeploymentsAreAccepted() {
        #expect(ok("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"))
        #expect(ok("  https://oapi.dingtalk.com/robot/send?access_token=abc  "))
        #expect(ok("HTTPS://QYAPI.WEIXIN.QQ.COM/cgi-bin/webhook/send?key=abc"))
        for bad in [
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",  // not https
            "https://qyapi.weixin.qq.com.evil.example/x", "https://evil.example/qyapi.weixin.qq.com",
            "https://qyapi.weixin.qq.com:8443/x", "https://u:p@qyapi.weixin.qq.com/x", "https://qyapi.weixin.qq.com/x#frag",
            "http://169.254.169.254/latest/meta-data", "http://127.0.0.1:8080/admin", "http://[::1]/", "file:///etc/passwd",
            "javascript:alert(1)", "", "   ", "https://" + String(repeating: "a", count: 600) + ".qq.com/",
            "https://oapi.dingtalk.com@127.0.0.1/",
        ] {
            #expect(!ok(bad), "\(bad)")
        }
        // A deployment's own relay, exactly at its origin.
        #expect(ok("http://127.0.0.1:9911/send?key=1", extra: ["http://127.0.0.1:9911/"]))
        #expect(!ok("http://127.0.0.1:9912/send", extra: ["http://127.0.0.1:9911"]))
        #expect(!ok("https://127.0.0.1:9911/send", extra: ["http://127.0.0.1:9911"]))
    }

    @Test func theKeyIsNeverShown() {
        let url = URL(string: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-123")!
        #expect(WebhookRule.masked(url) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…")
    }

    @Test func failuresWaitTwiceAsLongEachTimeUpToSixHours() {
        #expect((1...5).map { WebhookRule.delay(afterFailures: $0, base: 30) } == [30, 60, 120, 240, 480])
        #expect(WebhookRule.delay(afterFailures: 30, base: 30) == 6 * 3600)
        #expect(WebhookRule.delay(afterFailures: 0, base: 5) == 5)
    }

    @Test func eachRobotGetsTheMarkdownItTakes() throws {
        let wecom = try JSONSerialization.jsonObject(with: Data(WebhookRule.payload(.wecom, title: "催报", lines: ["- 纳雍县"]).utf8)) as! [String: Any]
        #expect(wecom["msgtype"] as? String == "markdown")
        #expect((wecom["markdown"] as? [String: String])?["content"] == "### 催报\n- 纳雍县")
        let ding = try JSONSerialization.jsonObject(with: Data(WebhookRule.payload(.dingtalk, title: "催\"报", lines: []).utf8)) as! [String: Any]
        #expect((ding["markdown"] as? [String: String])?["title"] == "催\"报")
        #expect((ding["markdown"] as? [String: String])?["text"] == "### 催\"报")
    }
}
