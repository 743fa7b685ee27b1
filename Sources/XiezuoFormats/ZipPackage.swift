import Foundation
import ZIPFoundation

/// A zip written member by member to a file (the year-end assessment package): names in UTF-8, as Windows and
/// WPS read them; photos and PDFs stored as they are (already compressed), everything else deflated.
public final class ZipPackage {
    private let archive: Archive
    public let url: URL
    private var names = Set<String>()

    public init(url: URL) throws {
        self.url = url
        archive = try Archive(url: url, accessMode: .create)
    }

    /// Adds `data` as `path`; a path already used gets " (2)", " (3)" … before its extension, so no file replaces
    /// another.
    @discardableResult
    public func add(_ path: String, _ data: Data) throws -> String {
        var name = path
        var n = 2
        while names.contains(name) {
            let ns = path as NSString
            let ext = ns.pathExtension
            name = ns.deletingPathExtension + " (\(n))" + (ext.isEmpty ? "" : "." + ext)
            n += 1
        }
        names.insert(name)
        let stored = ["jpg", "png", "gif", "webp", "pdf", "docx", "xlsx", "zip"].contains((name as NSString).pathExtension.lowercased())
        try archive.addEntry(
            with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(),
            compressionMethod: stored ? .none : .deflate
        ) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        return name
    }
}
