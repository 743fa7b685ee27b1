import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoFormats

@testable import XiezuoWeb

@Suite struct DocumentIntakeTests {
    static let garbled = "6月4日下午,兩(liǎng)省在廣州召開(kāi)粵黔東西部協(xié)作聯席會(huì)議,協(xié)作工作進(jìn)展順利。"

    @Test func intakeRepairsSavesFindsAndLinks() async throws {
        try await withApp { client in
            let preview = try await client.execute(
                uri: "/documents/preview", method: .post, headers: formHeaders,
                body: form([("title", "联席会议消息"), ("source", "测试"), ("publishedOn", "2024-06-05"), ("text", Self.garbled)]))
            #expect(preview.status == .ok)
            #expect(preview.text.contains("<del class=\"chg pinyin\">(liǎng)</del>"))
            let plain = preview.text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(plain.contains("两省在广州召开粤黔东西部协作联席会议，协作工作进展顺利"))

            let saved = try await client.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", "联席会议消息"), ("source", "测试"), ("publishedOn", "2024-06-05"), ("text", Self.garbled)]))
            #expect(saved.status == .seeOther)
            let url = saved.headers[.location] ?? ""
            let page = try await client.execute(uri: url, method: .get)
            #expect(page.text.contains("2024年粤黔东西部协作联席会议"))  // suggested meeting

            for q in ["联席会议", "协作工作", "广州"] {
                let found = try await client.execute(
                    uri: "/documents?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, method: .get)
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
            let r = try await client.execute(
                uri: "/documents/preview", method: .post, headers: formHeaders,
                body: form([("title", "通知"), ("text", clean)]))
            #expect(r.text.contains("id=\"verdict\"") && !r.text.contains("<del"))
            let empty = try await client.execute(
                uri: "/documents", method: .post, headers: formHeaders,
                body: form([("title", ""), ("text", "  ")]))
            #expect(empty.status == .unprocessableContent && empty.text.contains("id=\"error-text\""))
            let list = try await client.execute(uri: "/documents", method: .get)
            #expect(list.text.contains("id=\"no-documents\""))
        }
    }

    /// The verdict is in the reader's language; a stretch that could not be solved shows □ on the repaired side with
    /// the characters it may be; text read with the wrong character set is recognised as such.
    @Test func verdictsAndUnsolvedStretchesAreSaidInTheReadersLanguage() async throws {
        try await withApp(demo: false) { client in
            let scarred = "協(xié)作會(huì)議A?zhuàng)進(jìn)行"
            let zh = try await client.execute(
                uri: "/documents/preview", method: .post, headers: formHeaders, body: form([("title", "残缺"), ("text", scarred)])
            ).text
            #expect(zh.contains("网页转码乱码") && !zh.contains("scar(s)"))
            let unsolved = zh.components(separatedBy: "id=\"unsolved\"").last ?? ""
            #expect(unsolved.contains("<mark class=\"unsolved\">□</mark>") && unsolved.contains("□ 可能是：状、壮"))
            let repaired = zh.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(repaired.contains("协作会议A□进行"))
            let en = try await client.execute(
                uri: "/documents/preview?lang=en", method: .post, headers: formHeaders, body: form([("title", "scar"), ("text", scarred)])
            ).text
            #expect(en.contains("Garbled by the web pipeline") && en.contains("□ may be: 状"))

            // UTF-8 read as GBK (a GB 18030 decoder's private-use characters included).
            let misread = "涓ょ渷鍙\u{e100}紑涓滆タ閮ㄥ崗浣滆仈甯\u{e15d}細璁\u{e1c6}紝绛捐\u{e179}浜嗗姵鍔″崗浣滃崗璁\u{e1ba}��"
            let page = try await client.execute(
                uri: "/documents/preview", method: .post, headers: formHeaders, body: form([("title", "乱码"), ("text", misread)])
            ).text
            #expect(page.contains("编码读错：UTF-8 文字被当作 GBK 读取"))
            #expect(page.contains("<ins class=\"chg encoding\">两省召开东西部协作联席会议，签订了劳务协作协议。</ins>"))
            let clean = try await client.execute(
                uri: "/documents/preview", method: .post, headers: formHeaders, body: form([("title", "通知"), ("text", "会议(试行)要求。")])
            ).text
            #expect(clean.contains("没有转码或编码错误的痕迹"))
        }
    }

    /// People known from meeting attendance and organisations are named beside the text; two attendees of a meeting
    /// make it a suggestion even without its date.
    @Test func peopleAndOrganisationsAreRecognised() async throws {
        try await withApp { client in
            let text = "黄坤明、徐麟会见了季华实验室和明阳智慧能源集团股份公司的负责人，张三陪同。"
            let r = try await client.execute(
                uri: "/documents/preview", method: .post, headers: formHeaders,
                body: form([("title", "会见"), ("text", text)]))
            let people = r.text.components(separatedBy: "id=\"people-mentioned\"").last ?? ""
            #expect(people.contains("title=\"广东省委书记（主持会议并讲话）\">黄坤明<") && people.contains(">徐麟<") && !people.contains("张三"))
            #expect(r.text.contains("<span class=\"tag\">季华实验室</span>") && r.text.contains("<span class=\"tag\">明阳智慧能源集团股份公司</span>"))
            let saved = try await client.execute(
                uri: "/documents", method: .post, headers: formHeaders, body: form([("title", "会见"), ("text", text)]))
            let page = try await client.execute(uri: saved.headers[.location] ?? "", method: .get).text
            #expect(page.contains("2024年粤黔东西部协作联席会议"))
        }
    }
}

/// A multipart/form-data body as a browser sends an upload form.
func multipart(_ fields: [(String, String)], file: (name: String, data: Data)?, boundary: String = "XzBoundary7MA4YWxk") -> (HTTPFields, ByteBuffer) {
    var body = Data()
    for (k, v) in fields {
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
    }
    if let file {
        body += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .utf8)
        body += file.data + Data("\r\n".utf8)
    }
    body += Data("--\(boundary)--\r\n".utf8)
    return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
}

@Suite struct DocumentUploadTests {
    @Test func uploadedPagesAreRepairedAndBadFilesRefused() async throws {
        try await withApp { client in
            let page = "<html><head><meta charset=\"utf-8\"><title>联席会议报道</title></head><body><p>".utf8
            let html = Data(page) + Data("6月4日，兩(liǎng)省在廣州召開(kāi)粵黔東西部協(xié)作聯席會議(huì)。</p><script>alert(1)</script></body></html>".utf8)
            let (headers, body) = multipart([("_csrf", client.csrf), ("source", "网站")], file: ("report.html", html))
            let r = try await client.execute(uri: "/documents/upload", method: .post, headers: headers, body: body)
            #expect(r.status == .ok)
            #expect(r.text.contains("联席会议报道"))  // the page's title becomes the document's
            let plain = r.text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(plain.contains("两省在广州召开粤黔东西部协作联席会议"))
            #expect(!plain.contains("alert(1)"))
            #expect(r.text.contains("id=\"save-document\""))

            // Pasted text in the same form, no file: the text is the document.
            let (hp, bp) = multipart([("_csrf", client.csrf), ("title", "粘贴"), ("text", "協(xié)作會議(huì)召開(kāi)了。")], file: ("", Data()))
            let pasted = try await client.execute(uri: "/documents/upload", method: .post, headers: hp, body: bp)
            #expect(pasted.status == .ok && pasted.text.contains("id=\"repaired-text\""))
            // Without the form's token: refused, as every other form.
            let (h2, b2) = multipart([("title", "x")], file: ("a.txt", Data("正文".utf8)))
            #expect(try await client.execute(uri: "/documents/upload", method: .post, headers: h2, body: b2).status == .forbidden)
            // An old binary .doc, no file, bytes that are no text: the form again with the reason beside the file field.
            for (name, data, message) in [
                ("old.doc", Data([0xD0, 0xCF, 0x11, 0xE0, 1, 2]), "不支持 .doc 格式"),
                ("empty.txt", Data(), "请选择文件或粘贴文本"),
                ("bin.txt", Data([0x81, 0x20, 0xFF, 0x00]), "不是可识别的文本"),
            ] {
                let (h, b) = multipart([("_csrf", client.csrf), ("title", "测试")], file: (name, data))
                let bad = try await client.execute(uri: "/documents/upload", method: .post, headers: h, body: b)
                #expect(bad.status == .unprocessableContent, "\(name)")
                #expect((bad.text.contains("id=\"error-file\"") || bad.text.contains("id=\"error-text\"")) && bad.text.contains(message), "\(name)")
            }
            // A body over the limit: 413 with the limit named.
            let (h3, b3) = multipart([("_csrf", client.csrf)], file: ("big.txt", Data(repeating: 0x41, count: maxFormBody + 10)))
            let big = try await client.execute(uri: "/documents/upload", method: .post, headers: h3, body: b3)
            #expect(big.status == .contentTooLarge && big.text.contains("8 MB"))
            // Nothing was saved by any of this.
            #expect(try await client.execute(uri: "/documents", method: .get).text.contains("id=\"no-documents\""))
        }
    }
}
