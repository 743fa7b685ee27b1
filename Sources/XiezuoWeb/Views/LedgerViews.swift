// The ledgers (台账): the index, a ledger's list of rows, one row, the row form and an import's preview.

struct LedgerIndexPage: PageModel {
    struct Ledger: Sendable {
        let name: String
        let title: String
        let count: String
        let pending: String
        let hasPending: Bool
        let indicators: String
    }
    let ledgers: [Ledger]
}

struct LedgerListPage: PageModel {
    /// The rows of the table, written here rather than by the template engine (HTMLText): a row is
    /// `<tr data-id><td class="num nowrap">…</td>…<td><a href="/ledgers/L/ID" data-state>state</a></td></tr>`.
    static func tableRows(_ rows: [Row], ledger: String) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 600)
        let ledger = HTMLText.escape(ledger)
        for r in rows {
            html += "<tr data-id=\"\(r.id)\">"
            for c in r.cells {
                let cls = (c.num ? "num" : "") + (c.nowrap ? " nowrap" : "")
                html += "<td class=\"\(cls)\">\(HTMLText.escape(c.text))</td>"
            }
            html +=
                "<td><a href=\"/ledgers/\(ledger)/\(r.id)\" data-state=\"\(HTMLText.escape(r.stateCode))\">\(HTMLText.escape(r.state))</a></td></tr>"
        }
        return html
    }

    struct Column: Sendable {
        let label: String
        let num: Bool
    }
    struct ColumnChoice: Sendable {
        let key: String
        let label: String
        let checked: Bool
    }
    struct Cell: Sendable {
        let text: String
        let num: Bool
        let nowrap: Bool
    }
    struct Row: Sendable {
        let id: Int64
        let state: String
        let stateCode: String
        let cells: [Cell]
    }
    struct FieldFilter: Sendable {
        let key: String
        let label: String
        let options: [Option]
    }
    let ledger: String
    let title: String
    let columns: [Column]
    let allColumns: [ColumnChoice]
    /// The table's rows as HTML (`tableRows(_:ledger:)`), every value escaped.
    let rowsHTML: String
    let pageInfo: String
    let prevHref: String?
    let nextHref: String?
    let exportQuery: String
    /// The region filter's options as HTML (`HTMLText.options`), every value escaped.
    let regionOptionsHTML: String
    let states: [Option]
    let fieldFilters: [FieldFilter]
    let from: String
    let to: String
    let year: String
    let q: String
    let canWrite: Bool
    let canReview: Bool
    let intro: String
    /// After a bulk approval: how many rows it approved.
    let notice: String?
}

struct LedgerRowPage: PageModel {
    struct Field: Sendable {
        let label: String
        let value: String
        let personal: Bool
    }
    struct Authors: Sendable {
        let created: String
        let submitted: String
        let approved: String
    }
    let ledger: String
    let title: String
    let id: Int64
    let version: Int64
    let state: String
    let stateCode: String
    let updatedAt: String
    let fields: [Field]
    let canReveal: Bool
    let revealed: Bool
    let canEdit: Bool
    /// A draft or returned row its office may send to review as it stands.
    let canSubmit: Bool
    /// The round whose lock holds the row (its page), and whether the reader may ask to change it.
    let lockedBy: String?
    let canRequestChange: Bool
    let changes: [RoundPage.Change]
    let hasChanges: Bool
    let canReview: Bool
    let ownWork: Bool
    let canConfirm: Bool
    let authors: Authors
    let historyBlock: HistoryBlock
    let attachmentsBlock: AttachmentsBlock
    let comment: String?
    let confirmedBy: String?
    /// A return refused for want of a comment, said beside the form.
    let returnError: String?
    /// What the last action did and what comes next ("已保存为草稿…").
    let notice: String?
}

struct LedgerFormPage: PageModel {
    struct Field: Sendable {
        let key: String
        let label: String
        let value: String
        let required: Bool
        let invalid: Bool
        let error: String?
        /// A `<select>` when there are options (county, choice, yes/no), else an input.
        let options: [Option]?
        let select: Bool
        let type: String?
        let inputmode: String?
        let hint: String?
    }
    let ledger: String
    let title: String
    let fields: [Field]
    let action: String
    let version: String
    let hasErrors: Bool
    let conflict: Bool
    let conflictText: String
    /// The row being edited (absent for a new one).
    let id: Int64?
    /// A row of a locked period: the form asks for a change, with its reason.
    let asksChange: Bool
    let reason: String
    let reasonError: String?
}

struct LedgerPreviewPage: PageModel {
    struct Row: Sendable {
        let row: Int
        let outcome: String
        let outcomeCode: String
        let reasons: String
        let cells: [String]
    }
    struct Report: Sendable {
        let added: Int
        let updated: Int
        let unchanged: Int
        /// Absent when no row repeats another.
        let repeated: Int?
        let rejected: Int
        let committed: Bool
        let canCommit: Bool
        let rows: [Row]
        let uploadId: Int64?
        let done: String?
        let rejectedNote: String?
        let unlisted: String?
        /// The sheet's columns that no field takes: shown before anything is imported.
        let ignored: String?
    }
    /// One column of the sheet's header: the field it feeds (nil: not imported) and how that was recognised.
    struct Column: Sendable {
        let letter: String
        let header: String
        let field: String?
        let how: String?
        let howCode: String
    }
    /// A field the header does not name: which column holds it (required ones must be answered).
    struct Question: Sendable {
        let field: String
        let label: String
        let required: Bool
        let options: [Option]
    }
    struct Layout: Sendable {
        /// The workbook's sheets, when it has more than one.
        let sheets: [Option]?
        let sheet: String?
        let headerRow: String?
        let columns: [Column]
        let questions: [Question]?
        let missing: String?
        let mapAction: String?
        // Stored, not computed: the template sees stored properties only.
        let hasSheets: Bool
        let hasQuestions: Bool
    }
    let ledger: String
    let title: String
    let columns: [String]
    let problem: String?
    let report: Report?
    let sheetLayout: Layout?
}
