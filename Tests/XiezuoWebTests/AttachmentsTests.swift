import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XiezuoDomain
import XiezuoStore

@testable import XiezuoWeb

/// Evidence files: a photo and a PDF on a figure, kept sealed in the database, given back with the type their bytes
/// are; files pretending to be something else refused; read and removed only by who may read and change the figure.
@Suite struct AttachmentsTests {
    static let users: [(String, Role, String)] = [
        ("nayong.reporter", .countyReporter, "520525"), ("zunyi.officer", .prefectureOfficer, "520300"),
        ("bijie.viewer", .viewer, "520500"),
    ]

    /// A real 1×1 PNG and a minimal PDF, written here.
    static let png = Data(
        base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!
    static let pdf = Data(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8)

    func upload(_ c: AuthedClient, owner: String = "progress", id: Int64, name: String, _ data: Data) async throws -> TestResponse {
        let (h, b) = multipart([("_csrf", c.csrf), ("owner", owner), ("ownerId", String(id))], file: (name, data))
        return try await c.execute(uri: "/attachments", method: .post, headers: h, body: b)
    }

    func list(_ c: AuthedClient, id: Int64) async throws -> [AttachmentOut] {
        try await c.execute(uri: "/api/v1/attachments?owner=progress&ownerId=\(id)", method: .get).decode(AttachmentsOut.self).items
    }

    @Test func aPhotoAndAPDFOnAFigureAndWhatIsRefused() async throws {
        try await withAppAndStore(users: Self.users) { raw, store in
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let created = try await nayong.execute(
                uri: "/progress", method: .post, headers: formHeaders,
                body: form([("indicatorCode", "demo_villages"), ("regionCode", "520525"), ("year", "2025"), ("month", "3"), ("value", "2")]))
            let fid = Int64(locationID(created))!

            // A photo, named as a phone names it; a PDF whose name says .jpg (the bytes decide).
            let photo = try await upload(nayong, id: fid, name: "IMG_2041.JPG", Self.png)
            #expect(photo.status == .seeOther && photo.headers[.location]?.hasPrefix("/progress/\(fid)?done=attached") == true)
            #expect(try await upload(nayong, id: fid, name: "拨付凭证.jpg", Self.pdf).status == .seeOther)
            let files = try await list(nayong, id: fid)
            #expect(files.map(\.contentType) == ["image/png", "application/pdf"])
            #expect(files.map(\.fileName) == ["IMG_2041.JPG.png", "拨付凭证.jpg.pdf"])
            let page = try await nayong.execute(uri: "/progress/\(fid)", method: .get).text
            #expect(page.contains("<img src=\"/attachments/\(files[0].id)\"") && page.contains("id=\"evidence-form\""))

            // Back as stored: the photo inline, the PDF as a download, each with its own type and a sandbox.
            let img = try await nayong.execute(uri: "/attachments/\(files[0].id)", method: .get)
            #expect(img.status == .ok && img.headers[.contentType] == "image/png" && Data(buffer: img.body) == Self.png)
            #expect(img.headers[.contentDisposition]?.hasPrefix("inline") == true)
            #expect(img.headers[.contentSecurityPolicy]?.contains("sandbox") == true && img.headers[.xContentTypeOptions] == "nosniff")
            let doc = try await nayong.execute(uri: "/api/v1/attachments/\(files[1].id)/content", method: .get)
            #expect(doc.headers[.contentType] == "application/pdf" && doc.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(Data(buffer: doc.body) == Self.pdf)

            // Kept sealed: no piece of the database holds the photo's bytes in clear.
            let stored = try await store.backend.read { db in
                try await db.raw(
                    """
                    SELECT c.data FROM attachment_chunks c JOIN attachments a ON a.id = c.attachment_id
                    WHERE a.owner_kind = 'progress' AND a.owner_id = \(bind: fid)
                    """
                ).all().map { try $0.decode(column: "data", as: String.self) }
            }
            #expect(stored.count == 2 && stored.allSatisfy { $0.hasPrefix("enc1:") })
            #expect(!stored.contains { $0.contains(Self.png.base64EncodedString().prefix(12)) })

            // Files that are not what they say: refused, nothing stored.
            let hostile: [(String, Data)] = [
                ("photo.jpg", Data("<html><script>alert(1)</script></html>".utf8)),
                ("chart.svg", Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8)),
                ("scan.pdf", Data([0x4D, 0x5A, 0x90, 0x00])),  // a Windows program
                ("表.xlsx", Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0])),  // a broken zip
                ("a.bin", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])),  // an old Office container, named as nothing
            ]
            for (name, data) in hostile {
                let r = try await upload(nayong, id: fid, name: name, data)
                #expect(r.status == .unsupportedMediaType, "\(name) gave \(r.status)")
            }
            #expect(try await upload(nayong, id: fid, name: "empty.png", Data()).status == .unprocessableContent)
            #expect(try await list(nayong, id: fid).count == 2)

            // A real spreadsheet (the ledger's own template) is an Excel file whatever its name.
            let template = try await nayong.execute(uri: "/ledgers/labour/template.xlsx", method: .get)
            #expect(try await upload(nayong, id: fid, name: "花名册", Data(buffer: template.body)).status == .seeOther)
            #expect(try await list(nayong, id: fid).last?.contentType.contains("spreadsheetml") == true)

            // Another prefecture neither reads nor adds; a viewer reads but does not add or remove.
            let zunyi = try await AuthedClient.signIn(raw, username: "zunyi.officer")
            #expect(try await zunyi.execute(uri: "/attachments/\(files[0].id)", method: .get).status == .notFound)
            #expect(try await zunyi.execute(uri: "/api/v1/attachments?owner=progress&ownerId=\(fid)", method: .get).status == .notFound)
            #expect(try await upload(zunyi, id: fid, name: "x.png", Self.png).status == .notFound)
            let viewer = try await AuthedClient.signIn(raw, username: "bijie.viewer")
            #expect(try await viewer.execute(uri: "/attachments/\(files[0].id)", method: .get).status == .ok)
            #expect(try await upload(viewer, id: fid, name: "x.png", Self.png).status == .forbidden)
            #expect(
                try await viewer.execute(uri: "/attachments/\(files[0].id)/delete", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .forbidden)
            #expect(!(try await viewer.execute(uri: "/progress/\(fid)", method: .get).text.contains("id=\"evidence-form\"")))

            // The API takes a file as base64, with the same checks.
            let api = try await nayong.execute(
                uri: "/api/v1/attachments", method: .post, headers: jsonHeaders,
                body: jsonBody(["owner": "progress", "ownerId": fid, "fileName": "回执.png", "content": Self.png.base64EncodedString()]))
            #expect(api.status == .created)
            let bad = try await nayong.execute(
                uri: "/api/v1/attachments", method: .post, headers: jsonHeaders,
                body: jsonBody(["owner": "progress", "ownerId": fid, "fileName": "x", "content": "%%%"]))
            #expect(bad.status == .unprocessableContent)
            #expect(
                try await nayong.execute(
                    uri: "/api/v1/attachments", method: .post, headers: jsonHeaders,
                    body: jsonBody(["owner": "budget", "ownerId": fid, "fileName": "x", "content": Self.png.base64EncodedString()])
                ).status == .unprocessableContent)

            // Removed by its office, with the record of what it was.
            #expect(
                try await nayong.execute(uri: "/attachments/\(files[0].id)/delete", method: .post, headers: formHeaders, body: ByteBuffer()).status
                    == .seeOther)
            #expect(try await nayong.execute(uri: "/attachments/\(files[0].id)", method: .get).status == .notFound)
            let trail = try await store.history(entity: "attachment", id: String(files[0].id))
            #expect(trail.map(\.action) == ["create", "delete"] && trail.last?.before?.contains("IMG_2041") == true)
        }
    }

    @Test func decisionsAndTaskUpdatesCarryEvidenceOnTheirPages() async throws {
        try await withAppAndStore(users: [("qian.coordinator", .provinceCoordinator, "520000"), ("nayong.reporter", .countyReporter, "520525")]) {
            raw, store in
            let qian = try await AuthedClient.signIn(raw, username: "qian.coordinator")
            let meeting = try #require(try await qian.execute(uri: "/api/v1/meetings", method: .get).decode(ListOut<MeetingOut>.self).items.first)
            let decision = try #require(try await store.decisions(meetingId: meeting.id).first)
            let added = try await qian.execute(
                uri: "/api/v1/attachments", method: .post, headers: jsonHeaders,
                body: jsonBody(["owner": "decision", "ownerId": decision.id, "fileName": "会议纪要.pdf", "content": Self.pdf.base64EncodedString()]))
            #expect(added.status == .created)
            let page = try await qian.execute(uri: "/meetings/\(meeting.id)", method: .get).text
            #expect(page.contains("会议纪要.pdf") && page.contains("value=\"decision\""))
            // A county reads the province's meeting but records nothing on its decisions.
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let json = jsonBody(["owner": "decision", "ownerId": decision.id, "fileName": "x.pdf", "content": Self.pdf.base64EncodedString()])
            let refused = try await nayong.execute(uri: "/api/v1/attachments", method: .post, headers: jsonHeaders, body: json)
            #expect(refused.status == .forbidden || refused.status == .notFound)
            // A task update's evidence is on the task's page, beside the update.
            let tasks = try await store.tasks(TaskFilter(meetingIds: [meeting.id], today: Day("2024-12-01")!))
            // A task of the province's own office (its writer) that has an update.
            var found: (FollowUpTask, TaskUpdate)?
            for t in tasks where t.ownerRegionCode.hasPrefix("52") {
                if let u = try await store.taskUpdates(taskId: t.id).first {
                    found = (t, u)
                    break
                }
            }
            let (task, update) = try #require(found)
            #expect(
                try await qian.execute(
                    uri: "/api/v1/attachments", method: .post, headers: jsonHeaders,
                    body: jsonBody(["owner": "task_update", "ownerId": update.id, "fileName": "现场.png", "content": Self.png.base64EncodedString()])
                ).status == .created)
            #expect(try await qian.execute(uri: "/tasks/\(task.id)", method: .get).text.contains("现场.png"))
        }
    }

    @Test func aFileBeyondTheLimitIsRefusedBeforeItIsRead() async throws {
        try await withRawApp(users: Self.users) { raw in
            let nayong = try await AuthedClient.signIn(raw, username: "nayong.reporter")
            let big = Self.png + Data(count: (Attachment.defaultLimitMB << 20) + (2 << 20))
            let r = try await upload(nayong, id: 1, name: "big.png", big)
            #expect(r.status == .contentTooLarge && r.text.contains("\(Attachment.defaultLimitMB)"))
        }
    }

    @Test func namesAreCleanedAndEndInWhatTheFileIs() {
        #expect(Attachment.cleanName("../../etc/passwd", extension: "pdf") == "passwd.pdf")
        #expect(Attachment.cleanName("C:\\Users\\王\\凭证.PDF", extension: "pdf") == "凭证.PDF")
        #expect(Attachment.cleanName("", extension: "png") == "evidence.png")
        #expect(Attachment.cleanName(".htaccess", extension: "png") == "evidence.htaccess.png")
        #expect(Attachment.cleanName("a\u{0}b\"<x>.jpg", extension: "jpg") == "abx.jpg")
        #expect(Attachment.cleanName(String(repeating: "长", count: 300), extension: "jpg").count == 124)
    }
}
