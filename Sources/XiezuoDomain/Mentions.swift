/// Finding who and what a document names: people known from meeting attendance, and organisations by the way their
/// names end. Heuristics, shown as suggestions beside the text, never written into it.
public enum Mentions {
    /// Known names that occur in the text, each once, in order of first appearance. A two-character name inside a run
    /// of Han characters counts only after a title (…书记, …省长, …主任) or before a non-Han character, so 张新 in
    /// 扩张新区 does not match.
    public static func people(in text: String, known names: [String]) -> [String] {
        let chars = Array(text)
        var found: [(Int, String)] = []
        for name in Set(names) where name.count >= 2 {
            let n = Array(name)
            var i = 0
            while i + n.count <= chars.count {
                if chars[i] == n[0] && Array(chars[i..<(i + n.count)]) == n {
                    let before = i > 0 ? chars[i - 1] : " "
                    let after = i + n.count < chars.count ? chars[i + n.count] : " "
                    if n.count > 2 || !isHan(before) || !isHan(after) || titleEnds.contains(before) {
                        found.append((i, name))
                        break
                    }
                }
                i += 1
            }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Last characters of titles that stand right before a name: 书记, 省长, 主任, 主席, 委员, 领导, 总理, 校长 ….
    static let titleEnds: Set<Character> = ["记", "长", "任", "席", "员", "导", "理", "军", "授", "士"]

    static let orgSuffixes = [
        "有限责任公司", "股份有限公司", "有限公司", "股份公司", "集团", "实验室", "研究院", "研究所", "大学", "学院",
        "医院", "中心", "合作区", "协作办", "委员会", "人民政府", "管委会", "商会", "协会",
    ]
    static let leadingWords = ["深入", "前往", "考察", "走访", "参观", "以及", "及", "和", "与", "同", "在", "到", "赴", "由", "对"]

    /// Characters that end the words before an organisation's name inside a clause (会见了…, …和…, …的…).
    static let stops: Set<Character> = ["了", "的", "和", "与", "及", "在", "对", "向", "为", "把", "被", "从", "将", "同", "赴", "到"]

    /// Organisation names: inside each clause, every run that ends with an organisation word, starting after the
    /// previous name or the last small function word, with leading verbs and conjunctions dropped. Where another
    /// organisation word follows at once (集团股份公司), the name runs on to the later one.
    public static func organisations(in text: String) -> [String] {
        var out: [String] = []
        func take(_ clause: [Character]) {
            var start = 0
            var i = 0
            while i < clause.count {
                if stops.contains(clause[i]) && !endsSuffix(clause, at: i + 1) { start = i + 1 }
                if endsSuffix(clause, at: i + 1) && !startsSuffix(clause, at: i + 1) {
                    var name = String(clause[start...i])
                    var changed = true
                    while changed {
                        changed = false
                        for w in leadingWords where name.hasPrefix(w) && name.count - w.count >= 4 {
                            name = String(name.dropFirst(w.count))
                            changed = true
                        }
                    }
                    if (4...30).contains(name.count) && !out.contains(name) { out.append(name) }
                    start = i + 1
                }
                i += 1
            }
        }
        var clause: [Character] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            // 以及 joins list items without punctuation; treat it as a separator.
            if c == "以" && i + 1 < chars.count && chars[i + 1] == "及" {
                take(clause)
                clause = []
                i += 2
                continue
            }
            if isHan(c) || (c.isASCII && (c.isLetter || c.isNumber)) {
                clause.append(c)
            } else {
                take(clause)
                clause = []
            }
            i += 1
        }
        take(clause)
        return out
    }

    static func endsSuffix(_ s: [Character], at end: Int) -> Bool {
        orgSuffixes.contains { suf in
            let n = suf.count
            return end >= n && String(s[(end - n)..<end]) == suf
        }
    }

    static func startsSuffix(_ s: [Character], at start: Int) -> Bool {
        orgSuffixes.contains { suf in
            let n = suf.count
            return start + n <= s.count && String(s[start..<(start + n)]) == suf
        }
    }

    static func isHan(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
    }
}
