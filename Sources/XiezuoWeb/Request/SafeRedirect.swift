import Foundation

/// Where to go after signing in: only a path of this site. Browsers read `/\evil.example`, `/<TAB>/evil.example`
/// and `//evil.example` alike as another host, and decode `%2F`, `%5C` and `%09` before they decide, so anything
/// that is not a plain same-site path — a backslash, a control or space character, a second leading slash, a
/// scheme, in any encoding — falls back to the start page.
enum SafeRedirect {
    static func path(_ candidate: String?, fallback: String = "/") -> String {
        guard let candidate, candidate.count <= 2000, isSafe(candidate) else { return fallback }
        // Decoded once more, the same must hold (a browser may decode what we pass on).
        if let decoded = candidate.removingPercentEncoding, decoded != candidate, !isSafe(decoded) { return fallback }
        return candidate
    }

    static func isSafe(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard scalars.first == "/" else { return false }
        if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return false }
        for c in scalars {
            if c == "\\" || c.value < 0x20 || c.value == 0x7F { return false }
            if c.properties.isWhitespace || c.properties.generalCategory == .format { return false }
        }
        return true
    }
}
