import Foundation
@testable import XiezuoFormats

/// The XML scanner on arbitrary bytes, in chunks of a few bytes so the refill paths are walked too: it may refuse
/// the input, but must neither crash nor loop.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    var offset = 0
    let chunk = max(1, Int(input.first ?? 7) % 17)
    var scanner = XMLScanner(maxText: 4096) {
        guard offset < input.count else { return nil }
        let end = min(input.count, offset + chunk)
        defer { offset = end }
        return Data(input[offset..<end])
    }
    var events = 0
    while events < 100_000, let event = try? scanner.next() {
        if case .start(_, let attributes, _) = event { _ = attributes["r"]; _ = attributes.value("t") }
        events += 1
    }
    return 0
}

// libFuzzer's driver, given the function above; SwiftPM names the executable's entry point after its module.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("fuzz_xml_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, values = argv
    return runFuzzerDriver(&count, &values, fuzzOne)
}

func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}
