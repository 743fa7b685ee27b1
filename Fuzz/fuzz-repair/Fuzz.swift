import Foundation
import FuzzDriver
import XiezuoText

/// The repair on any text: it may leave the text as it is, but must neither crash nor multiply the text.
let repairer = Repairer()

@_cdecl("fuzz_repair_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        let text = String(decoding: input, as: UTF8.self)
        let result = repairer.repair(text)
        precondition(result.text.unicodeScalars.count <= text.unicodeScalars.count * 4 + 16, "repair grew the text")
    }
}
