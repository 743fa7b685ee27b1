/// Recognises the pinyin the pipeline inserted: lower-case letters and tone-marked vowels, one syllable.
enum Pinyin {
    static let toned: Set<UInt32> = Set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêḿńňǹ".unicodeScalars.map(\.value))

    @inline(__always) static func isLetter(_ v: UInt32) -> Bool {
        (v >= 0x61 && v <= 0x7A) || toned.contains(v)
    }

    /// The syllable between `open` (a "(" or a "?") and the next ")", if it is one the readings know.
    static func syllable(in s: [UInt32], at open: Int, readings: Set<String>) -> (text: String, close: Int)? {
        var j = open + 1
        while j < s.count, j - open <= 7, isLetter(s[j]) { j += 1 }
        guard j < s.count, j > open + 1, s[j] == 0x29 else { return nil }
        var text = ""
        for v in s[(open + 1)..<j] { text.unicodeScalars.append(Unicode.Scalar(v)!) }
        return readings.contains(text) ? (text, j) : nil
    }
}
