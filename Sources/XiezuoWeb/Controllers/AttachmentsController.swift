import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoFormats
import XiezuoStore

/// Evidence files (佐证材料) of figures, ledger rows, projects, decisions and task updates: added from the object's
/// page or the API, shown inline when a photo, otherwise downloaded, removed by whoever may change the object. Who may
/// read or change a file is who may read or change what it supports.
struct AttachmentsController {
    let pages: Pages
    /// The largest file accepted, in bytes.
    let limit: Int

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.post("/attachments", use: upload)
        router.get("/attachments/:id", use: download)
        router.post("/attachments/:id/delete", use: remove)
        router.get("/api/v1/attachments", use: apiList)
        router.post("/api/v1/attachments", use: apiUpload)
        router.get("/api/v1/attachments/:id", use: apiShow)
        router.get("/api/v1/attachments/:id/content", use: download)
        router.delete("/api/v1/attachments/:id", use: apiDelete)
    }

    /// What the caller may do with an owner's files, and the owner's page. 404 when it may not read the owner.
    struct OwnerAccess {
        let region: String
        let canWrite: Bool
        let page: String
    }

    func access(_ owner: AttachmentOwner, _ id: Int64, _ context: SignedInContext) async throws -> OwnerAccess {
        let l = Labels(lang: context.language)
        let what = l.t("evidence_title")
        let store = pages.store
        let user = context.user
        switch owner {
        case .progress:
            let p = try await context.find(what) { try await store.progressReport(id: id) }
            return OwnerAccess(region: p.regionCode, canWrite: AccessRule.canWrite(user, regionCode: p.regionCode), page: "/progress/\(id)")
        case .ledgerRow:
            let r = try await context.find(what) { try await store.ledgerRow(id: id) }
            return OwnerAccess(
                region: r.countyCode, canWrite: AccessRule.canWrite(user, regionCode: r.countyCode), page: "/ledgers/\(r.ledger.rawValue)/\(id)")
        case .project:
            let p = try await context.find(what) { try await store.project(id: id) }
            return OwnerAccess(region: p.countyCode, canWrite: AccessRule.canWrite(user, regionCode: p.countyCode), page: "/projects/\(id)")
        case .decision:
            guard let d = try await store.decision(id: id) else { throw AppError.notFound(what) }
            let m = try await context.find(what) { try await store.meeting(id: d.meetingId) }
            guard let pairing = context.access.pairing(m.pairingId) else { throw AppError.notFound(what) }
            return OwnerAccess(
                region: pairing.westCode, canWrite: AccessRule.canOrganise(user, pairing: pairing), page: "/meetings/\(m.id)")
        case .taskUpdate:
            guard let taskId = try await store.taskOfUpdate(id: id) else { throw AppError.notFound(what) }
            let (task, _, _) = try await FollowUp(store: store).task(taskId, context)
            return OwnerAccess(
                region: task.ownerRegionCode, canWrite: AccessRule.canWrite(user, regionCode: task.ownerRegionCode), page: "/tasks/\(taskId)")
        }
    }

    /// The block an owner's page shows.
    func block(_ owner: AttachmentOwner, _ id: Int64, canWrite: Bool, _ l: Labels) async throws -> AttachmentsBlock {
        let files = try await pages.store.attachments(owner: owner, ownerId: id)
        return AttachmentsBlock(
            owner: owner.rawValue, ownerId: id,
            files: files.map {
                .init(
                    id: $0.id, name: $0.fileName, size: Self.size($0.size), by: $0.createdBy ?? "—", at: ReviewController.beijing($0.createdAt),
                    href: "/attachments/\($0.id)", isImage: $0.isImage, canDelete: canWrite)
            }, canAdd: canWrite && files.count < Attachment.maxPerOwner, limitMB: limit >> 20)
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, (bytes + 1023) / 1024)) KB"
    }

    /// Checks a file and stores it for its owner: the type by content, the size by the deployment's limit.
    func store(_ owner: AttachmentOwner, _ id: Int64, name: String, data: Data, _ context: SignedInContext) async throws -> (Attachment, OwnerAccess)
    {
        let target = try await access(owner, id, context)
        guard target.canWrite else { throw AppError.forbidden }
        guard !data.isEmpty else { throw AppError.invalid(ValidationFailure([.init(field: "file", key: "error.evidence_empty")])) }
        guard data.count <= limit else {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(limit >> 20)])
        }
        guard let type = EvidenceType.sniff(data, fileName: name) else {
            throw AppError(status: .unsupportedMediaType, code: "evidence_type", key: "error.evidence_type")
        }
        do {
            let saved = try await pages.store.addAttachment(
                owner: owner, ownerId: id, regionCode: target.region, fileName: Attachment.cleanName(name, extension: type.fileExtension),
                contentType: type.contentType, data: data, actor: context.actor)
            return (saved, target)
        } catch AttachmentError.tooMany {
            throw AppError(status: .conflict, code: "too_many", key: "error.evidence_too_many", params: [String(Attachment.maxPerOwner)])
        }
    }

    static func owner(_ text: String?) throws -> AttachmentOwner {
        guard let text, let o = AttachmentOwner(rawValue: text) else { throw AppError.badFilter("owner") }
        return o
    }

    @Sendable func upload(_ request: Request, context: SignedInContext) async throws -> Response {
        let body: ByteBuffer
        var request = request
        do { body = try await request.collectBody(upTo: limit + (1 << 20)) } catch {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(limit >> 20)])
        }
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? ""),
            let form = MultipartForm.parse(Data(buffer: body), boundary: boundary)
        else { throw AppError(status: .badRequest, code: "bad_request", key: "bad_request") }
        let owner = try Self.owner(form.field("owner"))
        let id = try parseID(form.field("ownerId"))
        guard let file = form.file("file") else {
            throw AppError.invalid(ValidationFailure([.init(field: "file", key: "error.evidence_empty")]))
        }
        let (_, target) = try await store(owner, id, name: file.filename ?? "", data: file.data, context)
        return Response.redirect(to: target.page + "?done=attached#attachments-block", type: .normal)
    }

    /// The file of an attachment the caller may read: a photo inline, anything else as a download, always with the
    /// type its bytes were found to be (and nosniff from the security headers), never one the uploader named.
    @Sendable func download(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try context.id()
        guard let a = try await pages.store.attachment(id: id) else { throw AppError.notFound(l.t("evidence_title")) }
        _ = try await access(a.owner, a.ownerId, context)
        let data = try await pages.store.attachmentData(id: id)
        let encoded = a.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "evidence"
        var headers: HTTPFields = [
            .contentType: a.contentType,
            .contentDisposition: (a.isImage ? "inline" : "attachment") + "; filename=\"evidence-\(a.id)\"; filename*=UTF-8''\(encoded)",
            .cacheControl: "private, max-age=300",
        ]
        // A photo shown in the page may not run anything even if opened on its own.
        headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    @Sendable func remove(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await decodeForm(request, context)
        let target = try await delete(context)
        return Response.redirect(to: target.page + "?done=detached#attachments-block", type: .normal)
    }

    func delete(_ context: SignedInContext) async throws -> OwnerAccess {
        let l = Labels(lang: context.language)
        let id = try context.id()
        guard let a = try await pages.store.attachment(id: id) else { throw AppError.notFound(l.t("evidence_title")) }
        let target = try await access(a.owner, a.ownerId, context)
        guard target.canWrite else { throw AppError.forbidden }
        try await pages.store.deleteAttachment(id: id, actor: context.actor)
        return target
    }

    // MARK: API

    @Sendable func apiList(_ request: Request, context: SignedInContext) async throws -> Response {
        let owner = try Self.owner(request.query("owner"))
        let id = try parseID(request.query("ownerId"))
        _ = try await access(owner, id, context)
        return jsonResponse(AttachmentsOut(items: try await pages.store.attachments(owner: owner, ownerId: id).map(AttachmentOut.init)))
    }

    @Sendable func apiShow(_ request: Request, context: SignedInContext) async throws -> Response {
        let l = Labels(lang: context.language)
        let id = try context.id()
        guard let a = try await pages.store.attachment(id: id) else { throw AppError.notFound(l.t("evidence_title")) }
        _ = try await access(a.owner, a.ownerId, context)
        return jsonResponse(AttachmentOut(a))
    }

    @Sendable func apiUpload(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit * 4 / 3 + (64 << 10)) } catch {
            throw AppError(status: .contentTooLarge, code: "too_large", key: "error.upload_too_large", params: [String(limit >> 20)])
        }
        let body: AttachmentIn
        do { body = try JSONDecoder().decode(AttachmentIn.self, from: Data(buffer: buffer)) } catch { throw AppError.badJSON("\(error)") }
        guard let owner = AttachmentOwner(rawValue: body.owner) else {
            throw AppError.invalid(ValidationFailure([.init(field: "owner", key: "error.required")]))
        }
        guard let data = Data(base64Encoded: body.content) else {
            throw AppError.invalid(ValidationFailure([.init(field: "content", key: "error.evidence_base64")]))
        }
        let (saved, _) = try await store(owner, body.ownerId, name: body.fileName, data: data, context)
        return jsonResponse(AttachmentOut(saved), status: .created)
    }

    @Sendable func apiDelete(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await delete(context)
        return Response(status: .noContent)
    }
}
