import Foundation
import FuzzDriver
import XiezuoFormats

/// A saved web page (or plain text) as it reaches an office: decoded by its declared or guessed encoding, its text
/// taken out as a reader would see it.
@_cdecl("fuzz_html_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        let data = Data(input)
        _ = try? DocumentText.extract(data, filename: "fuzz.html")
        _ = try? DocumentText.extract(data, filename: "fuzz.txt")
    }
}
