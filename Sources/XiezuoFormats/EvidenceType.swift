import Foundation

/// What an evidence file (佐证材料) is, judged by its bytes — never by its name alone: a photo, a scan as PDF, a Word
/// or Excel document. Anything else (a script renamed .jpg, an SVG, an HTML page, an executable) is refused.
public struct EvidenceType: Sendable, Hashable {
    public let contentType: String
    /// The extension the stored file is offered under (the name a user gave may say otherwise).
    public let fileExtension: String
    /// Photos are shown in the page; everything else is downloaded.
    public let inline: Bool

    public static let jpeg = EvidenceType(contentType: "image/jpeg", fileExtension: "jpg", inline: true)
    public static let png = EvidenceType(contentType: "image/png", fileExtension: "png", inline: true)
    public static let gif = EvidenceType(contentType: "image/gif", fileExtension: "gif", inline: true)
    public static let webp = EvidenceType(contentType: "image/webp", fileExtension: "webp", inline: true)
    public static let pdf = EvidenceType(contentType: "application/pdf", fileExtension: "pdf", inline: false)
    public static let docx = EvidenceType(
        contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fileExtension: "docx", inline: false)
    public static let xlsx = EvidenceType(
        contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileExtension: "xlsx", inline: false)
    public static let doc = EvidenceType(contentType: "application/msword", fileExtension: "doc", inline: false)
    public static let xls = EvidenceType(contentType: "application/vnd.ms-excel", fileExtension: "xls", inline: false)

    static let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// The type of `data`, or nil when it is none Xiezuo keeps. `fileName` only tells apart what the bytes cannot
    /// cheaply (an old binary Word file from an old Excel one, both OLE2 containers).
    public static func sniff(_ data: Data, fileName: String) -> EvidenceType? {
        let b = [UInt8](data.prefix(16))
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b[0..<p.count]) == p }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && b.count >= 12 && Array(b[8..<12]) == Array("WEBP".utf8) { return .webp }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts(ole2) {
            let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
            if ["doc", "wps"].contains(ext) { return .doc }
            if ["xls", "et"].contains(ext) { return .xls }
            return nil
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return officeZip(data) }
        return nil
    }

    /// A Word or Excel document is a zip with its main part where the format puts it; any other zip is refused.
    static func officeZip(_ data: Data) -> EvidenceType? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xiezuo-evidence-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: url) }
        guard (try? data.write(to: url, options: [.atomic])) != nil, let zip = try? ZipReader(url: url) else { return nil }
        guard zip["[Content_Types].xml"] != nil else { return nil }
        if zip["word/document.xml"] != nil { return .docx }
        if zip["xl/workbook.xml"] != nil { return .xlsx }
        return nil
    }
}
