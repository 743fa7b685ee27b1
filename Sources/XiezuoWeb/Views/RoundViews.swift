/// Reporting rounds the reader follows, and the form to open one.
struct RoundsPage: PageModel {
    struct Item: Sendable {
        let id: Int64
        let title: String
        let period: String
        let deadline: String
        let opener: String
        let progress: String
        let lock: String
        let locked: Bool
        /// The reader's own office's state in the round, when it is a member.
        let mine: String?
        let mineCode: String?
    }
    struct Check: Sendable {
        let value: String
        let label: String
        let checked: Bool
    }
    let items: [Item]
    let canOpen: Bool
    let indicators: [Check]
    let ledgers: [Check]
    let members: [Check]
    let allMembers: Bool
    let f: [String: FormField]
    let issues: [String]
    let hasErrors: Bool
}

/// One round: what it asks, the live table of its members, the reader's own return, its change requests.
struct RoundPage: PageModel {
    struct Member: Sendable {
        let code: String
        let name: String
        let status: String
        let statusCode: String
        let submitted: String
        let reminders: Int
        let reminded: String
        let returned: Int
        let figuresHref: String
        let canRemind: Bool
    }
    /// One thing the round asks of the reader's office, and where it stands.
    struct Ask: Sendable {
        let name: String
        let value: String
        let state: String
        let stateCode: String
        let href: String
        let done: Bool
    }
    struct Change: Sendable {
        let id: Int64
        let figure: String
        let region: String
        let oldValue: String
        let newValue: String
        let reason: String
        let state: String
        let stateCode: String
        let requestedBy: String
        let href: String
    }
    let id: Int64
    let title: String
    let period: String
    let deadline: String
    let opener: String
    let openedBy: String
    let asks: String
    let note: String
    let lock: String
    let locked: Bool
    let counts: String
    let members: [Member]
    let canManage: Bool
    let canRemindAll: Bool
    let canUnlock: Bool
    let canRelock: Bool
    /// Before the deadline: the opener may close the round now.
    let canClose: Bool
    /// The reader's own return, when its office is a member.
    let mine: Mine?
    let changes: [Change]
    let notice: String?
    let historyBlock: HistoryBlock

    struct Mine: Sendable {
        let regionCode: String
        let regionName: String
        let status: String
        let statusCode: String
        let asks: [Ask]
        let ledgerLinks: [Ask]
        let canSubmit: Bool
    }
}

/// Change requests waiting for the reader's decision, and the reader's own.
struct ChangesPage: PageModel {
    let toDecide: [RoundPage.Change]
    let mine: [RoundPage.Change]
}
