import Foundation
import XiezuoFormats

/// A saved web page (or plain text) as it reaches an office: decoded by its declared or guessed encoding, its text
/// taken out as a reader would see it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Data(bytes(data, size))
    _ = try? DocumentText.extract(input, filename: "fuzz.html")
    _ = try? DocumentText.extract(input, filename: "fuzz.txt")
    return 0
}

// libFuzzer's driver, given the function above; SwiftPM names the executable's entry point after its module.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("fuzz_html_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, values = argv
    return runFuzzerDriver(&count, &values, fuzzOne)
}

func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}
