import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XiezuoWeb

@Suite struct DocumentIntakeTests {
    static let garbled = "6月4日下午,兩(liǎng)省在廣州召開(kāi)粵黔東西部協(xié)作聯席會(huì)議,協(xié)作工作進(jìn)展順利。"

    @Test func intakeRepairsSavesFindsAndLinks() async throws {
        try await withApp { client in
            let preview = try await client.execute(uri: "/documents/preview", method: .post, headers: formHeaders,
                body: form([("title", "联席会议消息"), ("source", "测试"), ("publishedOn", "2024-06-05"), ("text", Self.garbled)]))
            #expect(preview.status == .ok)
            #expect(preview.text.contains("<del class=\"chg pinyin\">(liǎng)</del>"))
            let plain = preview.text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(plain.contains("两省在广州召开粤黔东西部协作联席会议，协作工作进展顺利"))

            let saved = try await client.execute(uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "联席会议消息"), ("source", "测试"), ("publishedOn", "2024-06-05"), ("text", Self.garbled)]))
            #expect(saved.status == .seeOther)
            let url = saved.headers[.location] ?? ""
            let page = try await client.execute(uri: url, method: .get)
            #expect(page.text.contains("2024年粤黔东西部协作联席会议"))  // suggested meeting

            for q in ["联席会议", "协作工作", "广州"] {
                let found = try await client.execute(uri: "/documents?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, method: .get)
                #expect(found.text.contains("href=\"\(url)\""), "\(q) did not find it")
            }
            let miss = try await client.execute(uri: "/documents?q=%E6%95%99%E8%82%B2", method: .get)  // 教育
            #expect(!miss.text.contains("href=\"\(url)\""))

            let linked = try await client.execute(uri: url + "/link", method: .post, headers: formHeaders, body: form([("meetingId", "1")]))
            #expect(linked.status == .seeOther)
            #expect(try await client.execute(uri: url, method: .get).text.contains("id=\"linked-meeting\""))
            let bad = try await client.execute(uri: url + "/link", method: .post, headers: formHeaders, body: form([("meetingId", "999")]))
            #expect(bad.status == .notFound)
        }
    }

    @Test func cleanTextIsStoredUnchangedAndBadInputIsRefused() async throws {
        try await withApp(demo: false) { client in
            let clean = "会议(试行)要求：各地于6月底前报送材料。"
            let r = try await client.execute(uri: "/documents/preview", method: .post, headers: formHeaders,
                                             body: form([("title", "通知"), ("text", clean)]))
            #expect(r.text.contains("id=\"verdict\"") && !r.text.contains("<del"))
            let empty = try await client.execute(uri: "/documents", method: .post, headers: formHeaders,
                                                 body: form([("title", ""), ("text", "  ")]))
            #expect(empty.status == .unprocessableContent && empty.text.contains("id=\"error-text\""))
            let list = try await client.execute(uri: "/documents", method: .get)
            #expect(list.text.contains("id=\"no-documents\""))
        }
    }

    /// People known from meeting attendance and organisations are named beside the text; two attendees of a meeting
    /// make it a suggestion even without its date.
    @Test func peopleAndOrganisationsAreRecognised() async throws {
        try await withApp { client in
            let text = "黄坤明、徐麟会见了季华实验室和明阳智慧能源集团股份公司的负责人，张三陪同。"
            let r = try await client.execute(uri: "/documents/preview", method: .post, headers: formHeaders,
                                             body: form([("title", "会见"), ("text", text)]))
            let people = r.text.components(separatedBy: "id=\"people-mentioned\"").last ?? ""
            #expect(people.contains("title=\"广东省委书记（主持会议并讲话）\">黄坤明<") && people.contains(">徐麟<") && !people.contains("张三"))
            #expect(r.text.contains("<span class=\"tag\">季华实验室</span>") && r.text.contains("<span class=\"tag\">明阳智慧能源集团股份公司</span>"))
            let saved = try await client.execute(uri: "/documents", method: .post, headers: formHeaders, body: form([("title", "会见"), ("text", text)]))
            let page = try await client.execute(uri: saved.headers[.location] ?? "", method: .get).text
            #expect(page.contains("2024年粤黔东西部协作联席会议"))
        }
    }
}
