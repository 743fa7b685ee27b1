import Foundation
import FuzzDriver

@testable import XiezuoFormats

/// The XML scanner on arbitrary bytes, in chunks of a few bytes so the refill paths are walked too: it may refuse
/// the input, but must neither crash nor loop.
@_cdecl("fuzz_xml_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
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
            if case .start(_, let attributes, _) = event {
                _ = attributes["r"]
                _ = attributes.value("t")
            }
            events += 1
        }
    }
}
