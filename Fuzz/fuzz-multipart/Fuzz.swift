import Foundation
import XiezuoFormats

/// An upload body: the first line is the Content-Type header as sent, the rest the body.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let newline = input.firstIndex(of: 0x0A) ?? input.count
    let contentType = String(decoding: input[..<newline], as: UTF8.self)
    let body = Data(input[min(input.count, newline + 1)...])
    let boundary = MultipartForm.boundary(contentType) ?? "XiezuoFuzzBoundary"
    if let form = MultipartForm.parse(body, boundary: boundary) {
        _ = form.field("_csrf"); _ = form.file("file")?.data.count
    }
    return 0
}

// libFuzzer's driver, given the function above; SwiftPM names the executable's entry point after its module.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("fuzz_multipart_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, values = argv
    return runFuzzerDriver(&count, &values, fuzzOne)
}

func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}
