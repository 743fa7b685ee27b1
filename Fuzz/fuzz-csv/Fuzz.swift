import Foundation
import FuzzDriver
import XiezuoFormats

/// A CSV sheet in each encoding offices send: the first byte picks how the rest is framed (as it is, with a UTF-8
/// byte-order mark, as UTF-16 of either order with its mark, or the rest taken as GBK bytes), then it is read to the end.
@_cdecl("fuzz_csv_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        guard let mode = input.first else { return }
        var body = Array(input.dropFirst())
        switch mode % 4 {
        case 1: body = [0xEF, 0xBB, 0xBF] + body
        case 2: body = [0xFF, 0xFE] + body
        case 3: body = [0xFE, 0xFF] + body
        default: break
        }
        guard let (dir, file) = try? PrivateFiles.write(Data(body), name: "fuzz.csv") else { return }
        defer { try? FileManager.default.removeItem(at: dir) }
        var limits = SheetFiles.Limits()
        limits.maxCellText = 4096
        guard let reader = try? CSVSheetReader(url: file, limits: limits) else { return }
        var rows = 0
        while rows < 10_000, let row = try? reader.next() {
            _ = row.cells.count
            rows += 1
        }
    }
}
