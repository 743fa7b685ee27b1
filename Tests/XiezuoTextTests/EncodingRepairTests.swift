import Foundation
import Testing

@testable import XiezuoText

/// Text decoded with the wrong character set. The garbled strings were made by Python's codecs (a program other than
/// the repair) from sentences written for these tests.
@Suite struct EncodingRepairTests {
    static let sentence = "两省召开东西部协作联席会议，签订了劳务协作协议。"

    /// Applies a report's changes to the input: the output must come out exactly.
    func rebuilt(_ input: String, _ r: RepairResult) -> String {
        let scalars = Array(input.unicodeScalars)
        var out = ""
        var pos = 0
        for c in r.report.changes.sorted(by: { $0.offset < $1.offset }) {
            out.unicodeScalars.append(contentsOf: scalars[pos..<c.offset])
            out += c.after
            pos = c.offset + c.length
        }
        out.unicodeScalars.append(contentsOf: scalars[pos...])
        return out
    }

    @Test(arguments: [
        // UTF-8 read by a GB 18030 decoder (browsers, Windows): user-defined codes as private-use characters.
        ("utf8-as-gbk", "涓ょ渷鍙\u{e100}紑涓滆タ閮ㄥ崗浣滆仈甯\u{e15d}細璁\u{e1c6}紝绛捐\u{e179}浜嗗姵鍔″崗浣滃崗璁\u{e1ba}��"),
        // GBK read as Latin-1, and as Windows-1252 (the soft hyphen and C1 controls as such a reader leaves them).
        ("gbk-as-latin1", "Á½Ê¡ÕÙ¿ª¶«Î÷²¿Ð\u{ad}×÷ÁªÏ¯»áÒé£¬Ç©¶©ÁËÀÍÎñÐ\u{ad}×÷Ð\u{ad}Òé¡£"),
        // UTF-8 read as Windows-1252 and saved as UTF-8 again.
        (
            "utf8-as-latin1",
            "ä¸¤çœ\u{81}å\u{8f}¬å¼€ä¸œè¥¿éƒ¨å\u{8d}\u{8f}ä½œè\u{81}”å¸\u{ad}ä¼šè®®ï¼Œç\u{ad}¾è®¢äº†åŠ³åŠ¡å\u{8d}\u{8f}ä½œå\u{8d}\u{8f}è®®ã€‚"
        ),
        // Garbled twice: GBK read as Latin-1, saved as UTF-8, then read as GBK.
        ("twice", "脕陆脢隆脮脵驴陋露芦脦梅虏驴脨颅脳梅脕陋脧炉禄谩脪茅拢卢脟漏露漏脕脣脌脥脦帽脨颅脳梅脨颅脪茅隆拢"),
    ])
    func aWrongReadingIsUndone(kind: String, garbled: String) {
        let r = Repairer().repair(garbled)
        #expect(r.text == Self.sentence, "\(kind)")
        #expect(r.report.garbled && r.report.verdict == .wrongCharacterSet)
        #expect(r.report.changes.allSatisfy { $0.step == .encoding })
        #expect(rebuilt(garbled, r) == r.text, "\(kind): the report does not account for the output")
    }

    @Test func onlyTheGarbledPartOfAPageIsMended() {
        let garbled = "标题：粤黔协作\n绗\u{e0ff}簩娈垫\u{e11c}鏂囧唴瀹广��"
        let r = Repairer().repair(garbled)
        #expect(r.text == "标题：粤黔协作\n第二段正文内容。")
        let first = r.report.changes.map(\.offset).min() ?? 0
        #expect(first >= "标题：粤黔协作\n".unicodeScalars.count)
    }

    @Test func bytesALossyDecoderDroppedAreGuessedAndSaidToBe() {
        // Python's GBK decoder with errors="replace": one U+FFFD for each byte it could not read.
        let garbled = "粤黔：涓ょ渷鍙�寮�涓滆タ閮ㄥ崗浣滆仈甯�浼氳��"
        let r = Repairer().repair(garbled)
        #expect(r.text == "粤黔：两省召开东西部协作联席会议")
        #expect(r.report.changes.contains { $0.confidence < 1 })
    }

    @Test(arguments: [
        "Ñañez García, Café Müller, Zürich, São Paulo, Søren Kjærgaard, Łukasz Wróbel, déjà vu, coöperation.",
        "½亩，18.5°C，65%±3%，¥12.50，€1.60，长×宽×高，©与®。",
        "王堃、李喆、张犇、陈淼、刘昇、孙喆祎、杨骉；鳜鱼、鲟鱼、蕨菜、薏仁米。",
        "香港特別行政區政府今日公布，二〇二四年首三季本地生產總值按年實質上升百分之二點六。",
        "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ",
        "12,486笔，金额合计3,270,415.62元。",
    ])
    func cleanTextIsLeftAsItIs(text: String) {
        let r = Repairer().repair(text)
        #expect(r.text == text)
        #expect(!r.report.garbled)
    }

    @Test func everyPrivateUseCodeGoesBackToItsBytes() {
        // The table is GB 18030's; its two-byte codes are each their own and none is an ordinary GBK character.
        let data = TextData.shared
        #expect(data.privateUseGBK.count > 2000)
        #expect(Set(data.privateUseGBK.values).count == data.privateUseGBK.count)
        for (c, code) in data.privateUseGBK {
            #expect((0xE000...0xF8FF).contains(c))
            // A GBK decoder reads these codes as nothing (user-defined) or not at all (unassigned), never as text.
            let v = data.decode(UInt8(code >> 8), UInt8(code & 0xFF))
            #expect(v == 0 || v == TextData.vanish, "\(String(code, radix: 16)) is an ordinary character")
        }
    }
}
