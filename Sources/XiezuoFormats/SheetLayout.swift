import Foundation
import XiezuoDomain

/// What a sheet file looks like against a ledger before anything is imported: the workbook's sheets, the one read,
/// and its header — every column with the field it feeds (and how that was recognised) or none.
public struct SheetLayout: Sendable {
    /// The workbook's sheets in order (empty for CSV).
    public var sheets: [String]
    /// The sheet read (nil for CSV).
    public var sheet: String?
    /// The header found, or the row that came nearest to one (nil when no row names any field).
    public var header: SheetHeader?
    /// Whether the header names every required field.
    public var complete: Bool
    /// The header's row number as the spreadsheet shows it.
    public var headerRow: Int?
}

extension SheetFiles {
    /// The same file, readable by `open` without a conversion each time: an .xls is converted into `work` once.
    public static func readable(_ url: URL, work: URL) throws -> URL {
        let head =
            (try? FileHandle(forReadingFrom: url)).flatMap { h in
                defer { try? h.close() }
                return try? h.read(upToCount: 4)
            } ?? Data()
        return isLegacyWorkbook(head) ? try LegacyWorkbook.convert(url, into: work) : url
    }

    /// The names of a workbook's sheets, in order (empty for a CSV file).
    public static func sheetNames(_ url: URL, limits: Limits = Limits()) throws -> [String] {
        let head =
            (try? FileHandle(forReadingFrom: url)).flatMap { h in
                defer { try? h.close() }
                return try? h.read(upToCount: 2)
            } ?? Data()
        guard head.starts(with: [0x50, 0x4B]) else { return [] }
        let archive: ZipReader
        do { archive = try ZipReader(url: url) } catch ZipReader.Failure.notZip { throw SheetFileError("sheet.not_zip") } catch {
            throw SheetFileError("sheet.truncated")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)??.int64Value ?? 0
        do { return try XLSXSheetReader.sheets(archive, budget: InflateBudget(compressedSize: size, absolute: limits.maxInflated)).map(\.name) } catch
        {
            throw XLSXSheetReader.translate(error)
        }
    }

    /// Reads the first rows of one sheet (`sheet` by name or position; the first when nil) as far as its header.
    public static func layout(
        _ url: URL, definition: LedgerDefinition, regions: RegionDirectory, mapping: [String: String] = [:], sheet: String? = nil,
        limits: Limits = Limits()
    ) throws -> SheetLayout {
        let names = try sheetNames(url, limits: limits)
        var rows = try open(url, limits: limits, sheet: sheet)
        var reader = LedgerSheetReader(definition: definition, regions: regions, mapping: mapping)
        var numbers: [Int] = []
        while reader.header == nil, numbers.count < 30, let (n, cells) = try rows.next() {
            numbers.append(n)
            do { _ = try reader.feed(rowNumber: n, cells) } catch { break }
        }
        let header = reader.header ?? reader.best
        let chosen =
            sheet.flatMap { s in names.contains(s) ? s : Int(s).flatMap { names.indices.contains($0 - 1) ? names[$0 - 1] : nil } } ?? names.first
        return SheetLayout(
            sheets: names, sheet: chosen, header: header, complete: reader.header != nil,
            headerRow: header.flatMap { numbers.indices.contains($0.rowIndex) ? numbers[$0.rowIndex] : nil })
    }

    /// The first sheet of a workbook whose header names every required field; when none does, the one whose header
    /// comes nearest (a notes sheet before the ledger is passed over), else the first.
    public static func firstSheetThatMaps(
        _ url: URL, definition: LedgerDefinition, regions: RegionDirectory, mapping: [String: String] = [:], limits: Limits = Limits()
    ) throws -> String? {
        let names = try sheetNames(url, limits: limits)
        guard names.count > 1 else { return nil }
        var nearest: (sheet: String, columns: Int)?
        for i in names.indices {
            // By position: two sheets may share a name in a damaged file, and a name may look like a number.
            guard let l = try? layout(url, definition: definition, regions: regions, mapping: mapping, sheet: String(i + 1), limits: limits) else {
                continue
            }
            if l.complete { return String(i + 1) }
            let n = l.header?.columns.count ?? 0
            if n > (nearest?.columns ?? 0) { nearest = (String(i + 1), n) }
        }
        return nearest?.sheet
    }
}
