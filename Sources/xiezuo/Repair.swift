import ArgumentParser
import Foundation
import XiezuoText

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repair a garbled Chinese document (pinyin, scars, naive Traditional); clean text passes unchanged.",
        discussion: "Reads FILE or standard input; writes the repaired text to standard output.")

    @Argument(help: "The document; standard input when omitted.") var file: String?
    @Flag(help: "Write the change report as JSON to standard error.") var explain = false

    func run() throws {
        let input: Data
        if let file {
            guard let d = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            input = d
        } else {
            input = FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let text = String(data: input, encoding: .utf8) else {
            throw ValidationError("the input is not valid UTF-8 / 输入不是有效的 UTF-8 文本")
        }
        let result = Repairer().repair(text)
        FileHandle.standardOutput.write(Data(result.text.utf8))
        if explain {
            let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardError.write(try e.encode(result.report) + Data("\n".utf8))
        }
    }
}
