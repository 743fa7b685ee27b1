import Foundation
import FuzzDriver
import XiezuoFormats

/// An uploaded Word document: its paragraphs and title, or a refusal.
@_cdecl("fuzz_docx_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        _ = try? DocumentText.extract(Data(input), filename: "fuzz.docx")
    }
}
