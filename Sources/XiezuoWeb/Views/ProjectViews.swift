// The project pages' view models: the list, one project, and its form.

struct ProjectListPage: PageModel {
    struct Item: Sendable {
        let id: Int64
        let title: String
        let county: String
        let prefecture: String
        let workArea: String
        let status: String
        let budget: String
        let disbursed: String
        let demo: Bool
    }
    let items: [Item]
    let q: String
    let regions: [Option]
    let workAreas: [Option]
    let statuses: [Option]
    let prev: String?
    let next: String?
    let pageInfo: String
    /// Whether the new-project form is offered (not to viewers).
    let canWrite: Bool
}

struct ProjectPage: PageModel {
    struct Summary: Sendable {
        let id: Int64
        let title: String
        let county: String
        let countyCode: String
        let workArea: String
        let status: String
        let plannedStart: String
        let plannedEnd: String
        let beneficiaries: String
        let description: String
        let updatedAt: String
        let demo: Bool
    }
    struct Funding: Sendable {
        let budget: String
        let committed: String
        let disbursed: String
        let spent: String
    }
    struct Transaction: Sendable {
        let kind: String
        let date: String
        let amount: String
        let note: String
    }
    struct Milestone: Sendable {
        let title: String
        let due: String
        let done: String
    }
    let project: Summary
    let pairing: String
    let funding: Funding
    let transactions: [Transaction]
    let milestones: [Milestone]
    /// The transaction form, echoed back with its errors.
    let tx: [String: FormField]
    let txKinds: [Option]
    let txErrors: Bool
    let historyBlock: HistoryBlock
    let attachmentsBlock: AttachmentsBlock
    /// Whether the edit link and the transaction form are offered (not to viewers or other scopes).
    let canWrite: Bool
}

struct ProjectFormPage: PageModel {
    /// A field someone else changed since the form was opened: their value beside this form's.
    struct MergeRow: Sendable {
        let field: String
        let current: String
        let mine: String
    }
    let f: [String: FormField]
    let hasErrors: Bool
    let conflict: Bool
    let merge: [MergeRow]
    let action: String
    let version: Int64
    let pairings: [Option]
    let counties: [Option]
    let workAreas: [Option]
    let statuses: [Option]
}
