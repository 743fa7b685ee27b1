import Foundation
import FuzzDriver
import XiezuoDomain

/// Ledger cells as sheets carry them: the first byte picks the ledger, the rest is rows (split on newlines) of
/// cells (split on tabs), fed after that ledger's own header row, so every field's parser (dates, amounts in each
/// unit, ID numbers, counties by today's and former names, choices, flags) sees arbitrary text; the number parsers
/// see it directly as well. With bit 0x40 of the first byte no header is given: the input's own first rows are the
/// header candidates (one or two rows, group headings, a mapping for the first cell), as an office's sheet would be.
let regions = RegionDirectory(
    [
        Region(code: "520000", name: "贵州省", level: .province, parentCode: nil, side: .west),
        Region(code: "520200", name: "六盘水市", level: .prefecture, parentCode: "520000", side: .west),
        Region(code: "520281", name: "盘州市", level: .county, parentCode: "520200", side: .west),
        Region(code: "520500", name: "毕节市", level: .prefecture, parentCode: "520000", side: .west),
        Region(code: "520525", name: "纳雍县", level: .county, parentCode: "520500", side: .west, keyAssisted: true),
        Region(code: "520113", name: "白云区", level: .county, parentCode: "520100", side: .west),
        Region(code: "440111", name: "白云区", level: .county, parentCode: "440100", side: .east),
    ],
    former: [
        FormerRegion(code: "520222", name: "盘县", successor: "520281", lastPublished: 2013),
        FormerRegion(code: "522401", name: "毕节市", successor: "520502", lastPublished: 2010),
        FormerRegion(code: "440202", name: "北江区", successor: nil, lastPublished: 2004),
    ])

@_cdecl("fuzz_cells_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { input in
        guard let pick = input.first else { return }
        let ledgers = LedgerName.allCases
        let definition = ledgers[Int(pick) % ledgers.count].definition
        let text = String(decoding: input.dropFirst(), as: UTF8.self)
        let header = definition.fields.map { SheetCell(definition.label($0.key, .zh)) }
        let ownHeader = pick & 0x40 != 0
        let firstCell = text.split(separator: "\t", maxSplits: 1).first.map(String.init) ?? ""
        let mapping = ownHeader ? [firstCell: definition.fields[Int(pick) % definition.fields.count].key] : [:]
        var reader = LedgerSheetReader(definition: definition, regions: regions, mapping: mapping)
        do {
            if !ownHeader { _ = try reader.feed(rowNumber: 1, header) }
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(200).enumerated() {
                let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { SheetCell(String($0), numeric: pick & 0x80 != 0) }
                _ = try reader.feed(rowNumber: i + 2, cells)
            }
            try reader.finish()
        } catch {}
        _ = reader.ignoredColumns
        _ = regions.county(text)
        _ = regions.formerUsed(in: text, for: "520281")
        _ = SheetDate.parse(text, numeric: pick & 1 == 0)
        _ = SheetNumber.money(text, unit: pick & 2 == 0 ? .yuan : .wan, numeric: pick & 4 == 0)
        _ = SheetNumber.integer(text)
        _ = IDNumber.problem(text)
        _ = SheetText.normalize(text)
    }
}
