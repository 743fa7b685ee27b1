import Foundation
import XiezuoFormats

/// A CSV sheet in each encoding offices send: the first byte picks how the rest is framed (as it is, with a UTF-8
/// byte-order mark, as UTF-16 of either order with its mark, or the rest taken as GBK bytes), then it is read to the end.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard let mode = input.first else { return 0 }
    var body = Array(input.dropFirst())
    switch mode % 4 {
    case 1: body = [0xEF, 0xBB, 0xBF] + body
    case 2: body = [0xFF, 0xFE] + body
    case 3: body = [0xFE, 0xFF] + body
    default: break
    }
    guard let (dir, file) = try? PrivateFiles.write(Data(body), name: "fuzz.csv") else { return 0 }
    defer { try? FileManager.default.removeItem(at: dir) }
    var limits = SheetFiles.Limits()
    limits.maxCellText = 4096
    guard let reader = try? CSVSheetReader(url: file, limits: limits) else { return 0 }
    var rows = 0
    while rows < 10_000, let row = try? reader.next() { _ = row.cells.count; rows += 1 }
    return 0
}

// libFuzzer's driver, given the function above; SwiftPM names the executable's entry point after its module.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("fuzz_csv_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, values = argv
    return runFuzzerDriver(&count, &values, fuzzOne)
}

func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}
