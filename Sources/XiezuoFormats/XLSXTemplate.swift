import Foundation

/// A workbook for people to fill in: a note row above the header, each column formatted for what it holds (text
/// that Excel must not turn into a number, dates as dates), and drop-down lists drawn from a hidden sheet of
/// options. Written with fixed timestamps, so the same template always has the same bytes.
public struct XLSXTemplate: Sendable {
    public enum Format: Sendable, Hashable {
        /// "@": ID numbers, phones and codes stay as typed.
        case text
        /// A date cell, shown as 2024-03-01.
        case date
        /// General: amounts and counts.
        case number
    }

    public struct Column: Sendable {
        public var header: String
        public var format: Format
        /// The values offered in a drop-down (empty: free entry).
        public var options: [String]
        public var width: Int
        public init(header: String, format: Format, options: [String] = [], width: Int = 14) {
            self.header = header
            self.format = format
            self.options = options
            self.width = width
        }
    }

    public var sheetName: String
    public var note: String
    public var columns: [Column]
    /// How many rows below the header carry the formats and drop-downs.
    public var rows: Int
    public var optionsSheetName: String

    public init(sheetName: String, note: String, columns: [Column], rows: Int = 2000, optionsSheetName: String = "选项") {
        self.sheetName = sheetName
        self.note = note
        self.columns = columns
        self.rows = rows
        self.optionsSheetName = optionsSheetName
    }

    // Cell styles, by index in styles.xml: 0 general, 1 bold header, 2 text (@), 3 date, 4 the note (italic, wrapped).
    static let styles =
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts><fonts count=\"3\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font><font><i/><sz val=\"10\"/><color rgb=\"FF555555\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"5\"><xf/><xf fontId=\"1\" applyFont=\"1\"/><xf numFmtId=\"49\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf fontId=\"2\" applyFont=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"

    static func style(_ f: Format) -> Int {
        switch f {
        case .text: return 2
        case .date: return 3
        case .number: return 0
        }
    }

    public func data() throws -> Data { try XLSXWriter.pack(parts()) }

    func parts() -> [(String, String)] {
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let sheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        var types = head + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        types += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        types +=
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        types += "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"\(sheetType)\"/>"
        types += "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"\(sheetType)\"/></Types>"
        let name = XLSXWriter.sheetName(sheetName)
        let optionsName = XLSXWriter.sheetName(optionsSheetName)
        var wb = head + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
        wb += "<sheet name=\"\(escapeXML(name))\" sheetId=\"1\" r:id=\"rId1\"/>"
        wb += "<sheet name=\"\(escapeXML(optionsName))\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/></sheets></workbook>"
        var rels = head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        rels += "<Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        rels += "<Relationship Id=\"rId2\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
        rels += "<Relationship Id=\"rId3\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>"
        return [
            ("[Content_Types].xml", types),
            (
                "_rels/.rels",
                head
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
            ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", rels), ("xl/styles.xml", head + Self.styles),
            ("xl/worksheets/sheet1.xml", head + formSheet(optionsName)), ("xl/worksheets/sheet2.xml", head + optionsSheet()),
        ]
    }

    /// The sheet to fill in: note row, header row, formatted columns, drop-downs on the rows below the header.
    func formSheet(_ optionsName: String) -> String {
        let last = XLSXWriter.column(max(0, columns.count - 1))
        var x = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        x +=
            "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        x += "<cols>"
        for (i, c) in columns.enumerated() {
            x += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\" style=\"\(Self.style(c.format))\" customWidth=\"1\"/>"
        }
        x += "</cols><sheetData>"
        x +=
            "<row r=\"1\" ht=\"48\" customHeight=\"1\"><c r=\"A1\" t=\"inlineStr\" s=\"4\"><is><t xml:space=\"preserve\">\(escapeXML(note))</t></is></c></row>"
        x += "<row r=\"2\">"
        for (i, c) in columns.enumerated() {
            x += "<c r=\"\(XLSXWriter.column(i))2\" t=\"inlineStr\" s=\"1\"><is><t>\(escapeXML(c.header))</t></is></c>"
        }
        x += "</row></sheetData>"
        if columns.count > 1 { x += "<mergeCells count=\"1\"><mergeCell ref=\"A1:\(last)1\"/></mergeCells>" }
        let lists = columns.enumerated().filter { !$0.element.options.isEmpty }
        if !lists.isEmpty {
            x += "<dataValidations count=\"\(lists.count)\">"
            for (n, (i, c)) in lists.enumerated() {
                let col = XLSXWriter.column(i)
                let src = XLSXWriter.column(n)
                let quoted = "'" + optionsName.replacingOccurrences(of: "'", with: "''") + "'"
                x += "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"\(col)3:\(col)\(rows + 2)\">"
                x += "<formula1>\(escapeXML("\(quoted)!$\(src)$2:$\(src)$\(c.options.count + 1)"))</formula1></dataValidation>"
            }
            x += "</dataValidations>"
        }
        return x + "</worksheet>"
    }

    /// The hidden sheet of options: one column per drop-down, its header the column it serves.
    func optionsSheet() -> String {
        let lists = columns.filter { !$0.options.isEmpty }
        var x = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        let height = (lists.map(\.options.count).max() ?? 0) + 1
        for r in 0..<height {
            var cells = ""
            for (n, c) in lists.enumerated() {
                let text = r == 0 ? c.header : (r - 1 < c.options.count ? c.options[r - 1] : "")
                guard !text.isEmpty else { continue }
                cells += "<c r=\"\(XLSXWriter.column(n))\(r + 1)\" t=\"inlineStr\"><is><t>\(escapeXML(text))</t></is></c>"
            }
            x += "<row r=\"\(r + 1)\">\(cells)</row>"
        }
        return x + "</sheetData></worksheet>"
    }
}
