import Foundation
import FuzzDriver
import XiezuoDomain
import XiezuoFormats

/// An uploaded workbook: the bytes as a file, opened and read to the end (or to the first refusal), then looked at
/// as the import preview does (its sheets, the first that maps, its header against a ledger).
@_cdecl("fuzz_xlsx_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        guard let (dir, file) = try? PrivateFiles.write(Data(input), name: "fuzz.xlsx") else { return }
        defer { try? FileManager.default.removeItem(at: dir) }
        var limits = SheetFiles.Limits()
        limits.maxUnpackedSheet = 8 << 20
        limits.maxSharedStrings = 4 << 20
        limits.maxInflated = 16 << 20
        guard let reader = try? XLSXSheetReader(url: file, limits: limits) else { return }
        var rows = 0
        while rows < 10_000, let row = try? reader.next() {
            _ = row.cells.count
            rows += 1
        }
        _ = reader.fraction
        // Only a zip: an .xls would be handed to LibreOffice, which is not ours to fuzz.
        guard input.starts(with: [0x50, 0x4B]) else { return }
        let d = LedgerName.labour.definition
        let regions = RegionDirectory([])
        _ = try? SheetFiles.sheetNames(file, limits: limits)
        _ = try? SheetFiles.firstSheetThatMaps(file, definition: d, regions: regions, limits: limits)
        _ = try? SheetFiles.layout(file, definition: d, regions: regions, mapping: ["打工企业": "employer"], sheet: "2", limits: limits)
    }
}
