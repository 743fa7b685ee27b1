/// What an evidence file supports: a reported figure, a ledger row, a project, a meeting's decision or a follow-up
/// task's update. Read and changed by whoever may read and change its owner.
public enum AttachmentOwner: String, Sendable, Codable, CaseIterable {
    case progress
    case ledgerRow = "ledger_row"
    case project
    case decision
    case taskUpdate = "task_update"
}

/// One stored evidence file, without its bytes.
public struct Attachment: Sendable, Hashable, Codable {
    public var id: Int64
    public var owner: AttachmentOwner
    public var ownerId: Int64
    public var regionCode: String
    public var fileName: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var createdBy: String?
    public var createdAt: String
    public init(
        id: Int64, owner: AttachmentOwner, ownerId: Int64, regionCode: String, fileName: String, contentType: String, size: Int64,
        sha256: String, createdBy: String?, createdAt: String
    ) {
        self.id = id
        self.owner = owner
        self.ownerId = ownerId
        self.regionCode = regionCode
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Photos are shown in the page; other files are downloaded.
    public var isImage: Bool { ["image/jpeg", "image/png", "image/gif", "image/webp"].contains(contentType) }

    /// A file name safe to offer: no path, no control characters, at most 120 characters, never empty.
    public static func cleanName(_ name: String, extension ext: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var kept = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !"\"<>:|?*".unicodeScalars.contains($0) })
        kept = kept.trimmingWhitespace()
        if kept.count > 120 { kept = String(kept.prefix(120)) }
        let base = kept.isEmpty || kept.hasPrefix(".") ? "evidence" + kept : kept
        // The name ends in the extension of what the bytes are.
        let lower = base.lowercased()
        return lower.hasSuffix("." + ext) ? base : base + "." + ext
    }

    /// Default upper size of one file (configurable per deployment).
    public static let defaultLimitMB = 20
    /// At most this many files per object.
    public static let maxPerOwner = 50
}
