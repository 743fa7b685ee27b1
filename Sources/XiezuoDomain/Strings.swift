/// The languages of the interface. Simplified Chinese first.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en
}

/// Every user-visible string, one table per language (Strings+zh.swift, Strings+en.swift).
public enum Strings {
    public static func table(_ lang: Language) -> [String: String] { lang == .zh ? zh : en }

    /// The text for `key`, with {0}, {1} … replaced by `params`. A missing key shows itself, so a gap is visible.
    public static func text(_ key: String, _ lang: Language, _ params: [String] = []) -> String {
        var s = table(lang)[key] ?? zh[key] ?? key
        for (i, p) in params.enumerated() { s = s.replacingAll("{\(i)}", with: p) }
        return s
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        guard let first = needle.first else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i] == first, self[i...].hasPrefix(needle) {
                return i..<self.index(i, offsetBy: needle.count)
            }
            i = index(after: i)
        }
        return nil
    }
}
