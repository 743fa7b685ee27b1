import Foundation

/// How a download is named: after what it is, in the reader's language (2024年粤黔东西部协作联席会议进展报告.pdf),
/// with an ASCII name for the clients that read only `filename` (RFC 6266: `filename*` carries the UTF-8 one).
enum Download {
    static func disposition(_ name: String, ascii: String, inline: Bool = false) -> String {
        let safe = name.filter { !"\\/:*?\"<>|\r\n\t".contains($0) }
        let encoded = safe.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
        let plain = ascii.filter { $0.isASCII && !"\\\"\r\n".contains($0) }
        return "\(inline ? "inline" : "attachment"); filename=\"\(plain)\"; filename*=UTF-8''\(encoded)"
    }
}
