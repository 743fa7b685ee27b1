import Foundation

/// A multipart/form-data body (RFC 7578), as browsers send file uploads: each part's field name, file name if any,
/// and bytes. Kept small and strict: a body that does not follow the boundary it declares is refused as a whole.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var data: Data
    }
    public var parts: [Part]

    public func field(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.data, as: UTF8.self) }
    }

    public func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.filename != nil } }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    public static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(b.count) ? b : nil
            }
        }
        return nil
    }

    public static func parse(_ body: Data, boundary: String) -> MultipartForm? {
        let delimiter = Data(("--" + boundary).utf8)
        let bytes = body
        var parts: [Part] = []
        guard var cursor = bytes.range(of: delimiter)?.upperBound else { return nil }
        while true {
            // after a delimiter: "--" ends the body, CRLF starts a part
            if bytes[cursor...].starts(with: Data("--".utf8)) { return MultipartForm(parts: parts) }
            guard bytes[cursor...].starts(with: Data("\r\n".utf8)) else { return nil }
            cursor += 2
            guard let headerEnd = bytes.range(of: Data("\r\n\r\n".utf8), in: cursor..<bytes.endIndex) else { return nil }
            let headers = String(decoding: bytes[cursor..<headerEnd.lowerBound], as: UTF8.self)
            let contentStart = headerEnd.upperBound
            guard let next = bytes.range(of: Data("\r\n".utf8) + delimiter, in: contentStart..<bytes.endIndex) else { return nil }
            var name: String?
            var filename: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line)
                filename = Self.parameter("filename", in: line)
            }
            guard let name else { return nil }
            parts.append(Part(name: name, filename: filename, data: Data(bytes[contentStart..<next.lowerBound])))
            cursor = next.upperBound
        }
    }

    /// `name="…"` in a Content-Disposition line (quoted, with \" escapes as browsers write them).
    static func parameter(_ key: String, in line: String) -> String? {
        guard let r = line.range(of: "; \(key)=\"") ?? line.range(of: ";\(key)=\"") else { return nil }
        var out = ""
        var escaped = false
        for c in line[r.upperBound...] {
            if escaped {
                out.append(c)
                escaped = false
                continue
            }
            if c == "\\" {
                escaped = true
                continue
            }
            if c == "\"" { return out }
            out.append(c)
        }
        return nil
    }
}

/// The largest form or upload body the web UI takes (a pasted or uploaded document).
public let maxFormBody = 8 << 20
