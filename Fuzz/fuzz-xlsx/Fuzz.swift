import Foundation
import XiezuoFormats

/// An uploaded workbook: the bytes as a file, opened and read to the end (or to the first refusal).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let (dir, file) = try? PrivateFiles.write(Data(bytes(data, size)), name: "fuzz.xlsx") else { return 0 }
    defer { try? FileManager.default.removeItem(at: dir) }
    var limits = SheetFiles.Limits()
    limits.maxUnpackedSheet = 8 << 20; limits.maxSharedStrings = 4 << 20; limits.maxInflated = 16 << 20
    guard let reader = try? XLSXSheetReader(url: file, limits: limits) else { return 0 }
    var rows = 0
    while rows < 10_000, let row = try? reader.next() { _ = row.cells.count; rows += 1 }
    _ = reader.fraction
    return 0
}

// libFuzzer's driver, given the function above; SwiftPM names the executable's entry point after its module.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("fuzz_xlsx_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, values = argv
    return runFuzzerDriver(&count, &values, fuzzOne)
}

func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}
