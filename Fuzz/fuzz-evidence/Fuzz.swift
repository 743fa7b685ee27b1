import Foundation
import FuzzDriver
import XiezuoDomain
import XiezuoFormats

/// An evidence upload: the first line is the file name as sent, the rest the file. The type is sniffed from the
/// bytes (a zip is opened to find its main part) and the name cleaned.
@_cdecl("fuzz_evidence_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        let newline = input.firstIndex(of: 0x0A) ?? input.count
        let name = String(decoding: input[..<newline], as: UTF8.self)
        let body = Data(input[min(input.count, newline + 1)...])
        let type = EvidenceType.sniff(body, fileName: name)
        _ = Attachment.cleanName(name, extension: type?.fileExtension ?? "bin")
    }
}
