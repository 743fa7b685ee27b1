import Foundation
import SQLKit
import XiezuoDomain

/// The stored shape of a row in audit records: personal data stays encrypted there too.
struct AuditedLedgerRow: Codable {
    var ledger: String
    var county: String
    var date: String
    var state: String
    var values: [String: String]

    /// The same text JSONEncoder with sorted keys gives, written directly (an import of 500,000 rows writes as many).
    var json: String {
        "{\"county\":\(CanonicalJSON.string(county)),\"date\":\(CanonicalJSON.string(date)),\"ledger\":\(CanonicalJSON.string(ledger)),"
            + "\"state\":\(CanonicalJSON.string(state)),\"values\":\(CanonicalJSON.object(values))}"
    }
}

/// JSON of string maps with sorted keys and nothing escaped that need not be: the form stored rows and their audit
/// records take, so that a field's value is an exact substring (`"kind":"official"`) the list filters can match.
enum CanonicalJSON {
    static func object(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { string($0) + ":" + string(map[$0]!) }.joined(separator: ",") + "}"
    }

    static func string(_ s: String) -> String {
        // Most values need no escape at all.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
