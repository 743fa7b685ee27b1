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
    let canReview: Bool
    let ownWork: Bool
    let authors: Authors
    let historyBlock: HistoryBlock
}

struct ReviewQueuePage: PageModel {
    let items: [FigureRow]
    let reviewing: Bool
    let prev: String?
    let next: String?
    let pageInfo: String
}
