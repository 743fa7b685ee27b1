// The figures' view models: the list with its form, one figure, and the review queue.

/// A figure as a row of a list.
struct FigureRow: Sendable {
    let id: Int64
    let indicator: String
    let region: String
    let period: String
    let value: String
    let unit: String
    let state: String
    let stateCode: String
    let note: String
}

struct ProgressListPage: PageModel {
    let items: [FigureRow]
    let prev: String?
    let next: String?
    let pageInfo: String
    let indicators: [Option]
    let regions: [Option]
    let f: [String: FormField]
    let hasErrors: Bool
    let canReport: Bool
}

struct ProgressDetailPage: PageModel {
    struct Authors: Sendable {
        let created: String
        let submitted: String
        let approved: String
    }
    let p: FigureRow
    let comment: String?
    let version: Int64
    let canSubmit: Bool
    let canCorrect: Bool
    /// The round whose lock holds the figure (its page), and whether the reader may ask to change it.
    let lockedBy: String?
    let canRequestChange: Bool
    let changes: [RoundPage.Change]
    let hasChanges: Bool
    let canReview: Bool
    let ownWork: Bool
    let authors: Authors
    let historyBlock: HistoryBlock
    let attachmentsBlock: AttachmentsBlock
    /// A return refused for want of a comment, said beside the form.
    let returnError: String?
    /// What the last action did and what comes next.
    let notice: String?
}

struct ReviewQueuePage: PageModel {
    /// One figure or ledger row awaiting review, with what the reviewer compares it with.
    struct Item: Sendable {
        let kind: String
        let kindCode: String
        let href: String
        let title: String
        let region: String
        let period: String
        let value: String
        let unit: String
        let previous: String
        let target: String
        let submitter: String
        let submitted: String
        let approve: String
        let giveBack: String
        /// Why a return from the queue was refused, beside the row, with the comment as typed.
        let problem: String?
        let comment: String
    }
    let reviewing: Bool
    /// A reporter's view: its figures that came back.
    let returned: [FigureRow]
    let items: [Item]
    let figureTotal: Int
    let rowTotal: Int
    let done: String?
    let prev: String?
    let next: String?
    let pageInfo: String
}
