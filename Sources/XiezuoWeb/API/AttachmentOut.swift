import XiezuoDomain

/// An evidence file as the API describes it; its bytes are at `content`.
struct AttachmentOut: Codable, Sendable {
    let id: Int64
    let owner: String
    let ownerId: Int64
    let fileName: String
    /// The type found in the file's bytes.
    let contentType: String
    let size: Int64
    let sha256: String
    let createdBy: String?
    let createdAt: String
    let content: String

    init(_ a: Attachment) {
        id = a.id
        owner = a.owner.rawValue
        ownerId = a.ownerId
        fileName = a.fileName
        contentType = a.contentType
        size = a.size
        sha256 = a.sha256
        createdBy = a.createdBy
        createdAt = a.createdAt
        content = "/api/v1/attachments/\(a.id)/content"
    }
}

struct AttachmentsOut: Codable, Sendable {
    let items: [AttachmentOut]
}

/// A file to attach: `content` is the file, base64-encoded.
struct AttachmentIn: Decodable, Sendable {
    let owner: String
    let ownerId: Int64
    let fileName: String
    let content: String
}
