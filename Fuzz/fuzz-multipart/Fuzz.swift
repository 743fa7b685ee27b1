import Foundation
import FuzzDriver
import XiezuoFormats

/// An upload body: the first line is the Content-Type header as sent, the rest the body.
@_cdecl("fuzz_multipart_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        let newline = input.firstIndex(of: 0x0A) ?? input.count
        let contentType = String(decoding: input[..<newline], as: UTF8.self)
        let body = Data(input[min(input.count, newline + 1)...])
        let boundary = MultipartForm.boundary(contentType) ?? "XiezuoFuzzBoundary"
        if let form = MultipartForm.parse(body, boundary: boundary) {
            _ = form.field("_csrf")
            _ = form.file("file")?.data.count
        }
    }
}
