import Foundation
import XiezuoDomain
import XiezuoFormats

/// The sheet an office fills in for a ledger: the same columns, order and units as the export (so an export edited
/// in Excel or WPS imports back), a note on how to fill it, drop-downs for counties, choices and 是/否, ID numbers and
/// phones formatted as text and dates as dates.
public enum LedgerTemplate {
    /// `counties`: the counties the person may record rows for (the drop-down), as exports write them.
    public static func workbook(_ d: LedgerDefinition, counties: [Region]) -> XLSXTemplate {
        let columns = d.fields.map { f -> XLSXTemplate.Column in
            let header = d.label(f.key, .zh)
            switch f.kind {
            case .county:
                return .init(header: header, format: .text, options: counties.map(LedgerExport.countyCell), width: 22)
            case .date: return .init(header: header, format: .date, width: 12)
            case .money, .integer: return .init(header: header, format: .number, width: 14)
            case .flag: return .init(header: header, format: .text, options: [Strings.text("yes", .zh), Strings.text("no", .zh)], width: 12)
            case .choice(let codes): return .init(header: header, format: .text, options: codes.map { Strings.text("lc_\($0)", .zh) }, width: 14)
            case .idNumber: return .init(header: header, format: .text, width: 22)
            case .phone: return .init(header: header, format: .text, width: 15)
            case .text(let max): return .init(header: header, format: .text, width: max > 60 ? 28 : 16)
            }
        }
        let required = d.fields.filter(\.required).map { d.label($0.key, .zh) }.joined(separator: "、")
        let note =
            "填写说明：第2行为表头，请勿改动；从第3行起每行一条记录。必填：\(required)。身份证号码、电话按文本填写；日期填 2024-03-01 或用日期格式；金额按表头所示单位填写数字。"
            + "县（市、区）从下拉列表选择，也可填名称或代码。导入时先预览，确认后一次性写入。"
        return XLSXTemplate(sheetName: d.name.title(.zh), note: note, columns: columns)
    }
}
