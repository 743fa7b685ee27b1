import Foundation
import FuzzDriver
import XiezuoFormats

/// An uploaded workbook: the bytes as a file, opened and read to the end (or to the first refusal).
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
    }
}
