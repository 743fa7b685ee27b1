/// The evidence files of one object, and the form to add one (the `attachments_block` partial).
struct AttachmentsBlock: Sendable {
    struct File: Sendable {
        let id: Int64
        let name: String
        let size: String
        let by: String
        let at: String
        let href: String
        let isImage: Bool
        let canDelete: Bool
    }
    let owner: String
    let ownerId: Int64
    let files: [File]
    let canAdd: Bool
    let limitMB: Int
}
