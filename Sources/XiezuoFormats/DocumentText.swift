import Foundation
import XiezuoText

/// The text of an uploaded document — plain text in UTF-8, UTF-16 or GBK, an HTML page, or a Word .docx — as a
/// reader would see it: paragraphs on lines, markup and scripts gone, character references decoded. Nothing here
/// repairs the text; the repair runs on what comes out.
public enum DocumentText {
    public enum Failure: Error, Equatable, Sendable {
        case unsupported(String)  // a format we do not read (an old binary .doc, a PDF, an image …)
        case damaged(String)  // a .docx that is not a readable zip, or lacks its document part
        case tooLarge(Int)  // more than the limit, in MB (unpacked XML or bytes of text)
        case notText  // bytes that are neither UTF-8, UTF-16 nor GBK
    }

    public struct Extracted: Sendable, Equatable {
        public var text: String
        public var title: String?
        public var format: String  // "text", "html" or "docx"
    }

    /// The most document XML a .docx may unpack to: far more than any report, far less than a zip bomb.
    public static let maxUnpacked = 64 << 20

    public static func extract(_ data: Data, filename: String) throws -> Extracted {
        let bytes = [UInt8](data)
        let name = filename.lowercased()
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || name.hasSuffix(".docx") {
            return try docx(data)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || name.hasSuffix(".doc") {
            throw Failure.unsupported(".doc")
        }
        if bytes.starts(with: Array("%PDF".utf8)) || name.hasSuffix(".pdf") { throw Failure.unsupported(".pdf") }
        let looksHTML = name.hasSuffix(".html") || name.hasSuffix(".htm") || Self.startsLikeHTML(bytes)
        let text = try decode(bytes, declared: looksHTML ? declaredCharset(bytes) : nil)
        if looksHTML {
            let (body, title) = HTMLText.text(of: text)
            return Extracted(text: body, title: title, format: "html")
        }
        return Extracted(text: text.replacingOccurrences(of: "\r\n", with: "\n"), title: nil, format: "text")
    }

    static func startsLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        return trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || head.contains("<body") || head.contains("<meta")
    }

    /// The charset an HTML page names in its first kilobytes (`<meta charset=…>` or `content="…; charset=…"`).
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        guard let r = head.range(of: "charset=") else { return nil }
        let rest = head[r.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    /// UTF-8 (with or without BOM), UTF-16 with a BOM, or GBK (as Chinese web pages and old files often are).
    public static func decode(_ bytes: [UInt8], declared: String? = nil) throws -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return try utf8(Array(bytes.dropFirst(3))) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let enc: String.Encoding = bytes[0] == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            guard let s = String(data: Data(bytes.dropFirst(2)), encoding: enc) else { throw Failure.notText }
            return s
        }
        let legacy = declared.map { ["gbk", "gb2312", "gb18030", "x-gbk", "cp936"].contains($0) } ?? false
        if !legacy, let s = try? utf8(bytes) { return s }
        if let s = TextData.shared.decodeGBK(bytes) { return s }
        if let s = try? utf8(bytes) { return s }
        throw Failure.notText
    }

    static func utf8(_ bytes: [UInt8]) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw Failure.notText }
        return s
    }

    /// Paragraphs of word/document.xml, read without expanding any entity declarations (so no entity bomb), the
    /// unpacked size capped while it is read (so no zip bomb).
    static func docx(_ data: Data) throws -> Extracted {
        // Through ZipReader from a private file: ZIPFoundation's in-memory reader traps on an archive whose directory
        // points past its end (found by fuzzing; Fuzz/crashes/docx).
        let (dir, file) = try PrivateFiles.write(data, name: "upload.docx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive: ZipReader
        do { archive = try ZipReader(url: file) } catch { throw Failure.damaged("not a zip archive") }
        guard let entry = archive["word/document.xml"] else { throw Failure.damaged("no word/document.xml") }
        // Every member counts against the upload's budget, by the bytes actually inflated (headers can lie).
        let budget = InflateBudget(compressedSize: Int64(data.count), absolute: Int64(maxUnpacked) + (2 << 20))
        let xml: Data
        do { xml = try archive.boundedData(entry, cap: maxUnpacked, budget: budget) } catch let e as InflateLimitExceeded {
            throw Failure.tooLarge(Int(e.megabytes))
        } catch { throw Failure.damaged("the document part cannot be unpacked") }
        var title: String?
        if let core = archive["docProps/core.xml"] {
            let c: Data
            do { c = try archive.boundedData(core, cap: 1 << 20, budget: budget) } catch let e as InflateLimitExceeded {
                throw Failure.tooLarge(Int(e.megabytes))
            } catch { c = Data() }  // a damaged title part costs only the title
            let s = String(decoding: c, as: UTF8.self)
            if let a = s.range(of: "<dc:title>"), let b = s.range(of: "</dc:title>", range: a.upperBound..<s.endIndex) {
                let t = XMLText.unescape(String(s[a.upperBound..<b.lowerBound])).trimmingCharacters(in: .whitespacesAndNewlines)
                title = t.isEmpty ? nil : String(t.prefix(500))
            }
        }
        return Extracted(text: XMLText.paragraphs(String(decoding: xml, as: UTF8.self)), title: title, format: "docx")
    }
}

/// WordprocessingML's text: `<w:t>` runs, `<w:tab/>`, `<w:br/>`, one line per `<w:p>`.
enum XMLText {
    static func paragraphs(_ xml: String) -> String {
        var lines: [String] = []
        var line = ""
        var i = xml.startIndex
        while let lt = xml[i...].firstIndex(of: "<") {
            guard let gt = xml[lt...].firstIndex(of: ">") else { break }
            let tag = xml[xml.index(after: lt)..<gt]
            let name = tag.prefix { !$0.isWhitespace && $0 != "/" && $0 != ">" }
            switch name {
            case "w:t":
                if tag.hasSuffix("/") { break }
                guard let end = xml[gt...].range(of: "</w:t>") else {
                    i = xml.endIndex
                    continue
                }
                line += unescape(String(xml[xml.index(after: gt)..<end.lowerBound]))
                i = end.upperBound
                continue
            case "w:tab": line += "\t"
            case "w:br", "w:cr":
                lines.append(line)
                line = ""
            case "w:p" where tag.hasSuffix("/"):
                lines.append(line)
                line = ""  // an empty paragraph
            default:
                if tag == "/w:p" {
                    lines.append(line)
                    line = ""
                }
            }
            i = xml.index(after: gt)
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    static func unescape(_ s: String) -> String { HTMLText.decodeReferences(s) }
}

/// The text of an HTML page as a browser would lay it out, roughly: blocks on their own lines, scripts and styles
/// dropped, whitespace collapsed, character references decoded.
public enum HTMLText {
    static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "hr", "title",
    ]
    static let hidden: Set<String> = ["script", "style", "noscript", "template", "head", "iframe", "svg"]

    public static func text(of html: String) -> (String, String?) {
        var out = ""
        var title: String?
        let chars = Array(html.unicodeScalars)
        var i = 0
        var skipping: String?
        func newline() { if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" } }
        while i < chars.count {
            let c = chars[i]
            if c == "<" {
                // a comment
                if i + 3 < chars.count, chars[i + 1] == "!", chars[i + 2] == "-", chars[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < chars.count, !(chars[j] == "-" && chars[j + 1] == "-" && chars[j + 2] == ">") { j += 1 }
                    i = j + 3
                    continue
                }
                var j = i + 1
                while j < chars.count, chars[j] != ">" { j += 1 }
                let inner = String(String.UnicodeScalarView(chars[(i + 1)..<min(j, chars.count)])).lowercased()
                let closing = inner.hasPrefix("/")
                let name = String(inner.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber })
                i = j + 1
                if let s = skipping {
                    if closing && name == s { skipping = nil }
                    continue
                }
                if name == "title" && !closing {
                    // the title's text up to </title>
                    var k = i
                    var t = String.UnicodeScalarView()
                    while k < chars.count, !(chars[k] == "<" && k + 1 < chars.count && chars[k + 1] == "/") {
                        t.append(chars[k])
                        k += 1
                    }
                    let v = decodeReferences(String(t)).trimmingCharacters(in: .whitespacesAndNewlines)
                    if title == nil && !v.isEmpty { title = v }
                    i = k
                    continue
                }
                if hidden.contains(name) && !closing && !inner.hasSuffix("/") && name != "head" {
                    skipping = name
                    continue
                }
                if blocks.contains(name) { newline() }
                continue
            }
            var t = String.UnicodeScalarView()
            while i < chars.count, chars[i] != "<" {
                t.append(chars[i])
                i += 1
            }
            if skipping != nil { continue }
            // Whitespace in markup collapses to one space, as a browser shows it.
            var collapsed = ""
            var space = false
            for u in decodeReferences(String(t)).unicodeScalars {
                if u == " " || u == "\n" || u == "\t" || u == "\r" {
                    space = true
                    continue
                }
                if space && !collapsed.isEmpty || (space && !out.isEmpty && !out.hasSuffix("\n")) { collapsed += " " }
                space = false
                collapsed.unicodeScalars.append(u == "\u{00A0}" ? " " : u)
            }
            out += collapsed
        }
        let lines = out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return (lines.joined(separator: "\n"), title)
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "ldquo": "“", "rdquo": "”",
        "lsquo": "‘", "rsquo": "’", "mdash": "—", "ndash": "–", "hellip": "…", "middot": "·", "copy": "©", "times": "×",
    ]

    /// `&amp;`, `&#20013;`, `&#x4E2D;`; anything else is left as written.
    static func decodeReferences(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while let amp = s[i...].firstIndex(of: "&") {
            out += s[i..<amp]
            guard let semi = s[amp...].prefix(12).firstIndex(of: ";") else {
                out += "&"
                i = s.index(after: amp)
                continue
            }
            let body = s[s.index(after: amp)..<semi]
            var rep: String?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                rep = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
            } else if body.hasPrefix("#") {
                rep = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
            } else {
                rep = named[String(body)]
            }
            if let rep {
                out += rep
                i = s.index(after: semi)
            } else {
                out += "&"
                i = s.index(after: amp)
            }
        }
        out += s[i...]
        return out
    }
}
