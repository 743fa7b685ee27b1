// The dashboard and the completion tables it shares with the agreement and region pages.

/// One indicator's target against its figure.
struct CompletionRow: Sendable {
    let name: String
    let code: String
    let unit: String
    let workArea: String
    let target: String
    let actual: String
    let completion: String
    let low: Bool
    /// For a figure computed from a ledger: the list of the rows behind it.
    var rowsHref: String? = nil
}

struct WorkAreaCompletion: Sendable {
    let name: String
    let completion: String
}

struct FundingTotals: Sendable {
    let budget: String
    let committed: String
    let disbursed: String
    let spent: String
}

struct DashboardPage: PageModel {
    struct Agreement: Sendable {
        let id: Int64
        let title: String
        let status: String
    }
    struct Prefecture: Sendable {
        let code: String
        let name: String
        let agreementId: Int64
        let completion: String
    }
    struct MeetingItem: Sendable {
        let title: String
        let date: String
        let place: String
        let kind: String
        let summary: String
    }
    let years: [Option]
    let year: Int
    let pending: Bool
    let noAgreement: String
    let agreement: Agreement?
    let overall: String?
    let rows: [CompletionRow]
    /// Server-rendered SVG.
    let indicatorChart: String?
    let workAreas: [WorkAreaCompletion]
    let prefectureChart: String?
    /// The county map (server-rendered SVG), compact.
    var countyMap: String? = nil
    struct WarningCounts: Sendable {
        struct Line: Sendable {
            let title: String
            let link: String
            let region: String
            let detail: String
        }
        let red: Int
        let amber: Int
        let first: [Line]
        let href: String
    }
    var warningCounts: WarningCounts? = nil
    let prefectures: [Prefecture]
    let funding: FundingTotals
    let projectCount: Int
    let meetings: [MeetingItem]
    let overdueCount: Int
    let hasOverdue: Bool
    let overdue: [TaskRow]
    /// The national key assisted counties on the western side the reader follows, each to its own page.
    let keyCounties: [Option]
    let hasKeyCounties: Bool
    /// Several partners of one eastern province (Guangdong's Guizhou and Guangxi): absent otherwise.
    let partners: Partners?

    struct PartnerRow: Sendable {
        let code: String
        let name: String
        let unit: String
        /// One value per partner, in the order of `Partners.names`.
        let values: [String]
        let total: String
    }
    struct Partners: Sendable {
        let choices: [Option]
        let names: [String]
        let rows: [PartnerRow]
    }
}

/// 我的工作台: one user's work now, in its own scope.
struct WorkbenchPage: PageModel {
    struct Item: Sendable {
        let href: String
        let title: String
        let detail: String
        let kind: String
    }
    struct TaskItem: Sendable {
        let id: Int64
        let title: String
        let office: String
        let deadline: String
        let daysLeft: String
        let overdue: Bool
    }
    struct Count: Sendable {
        let href: String
        let label: String
        let count: Int
    }
    /// "我的范围：贵州省 毕节市 纳雍县（县级填报员）": every figure on the page is of this scope.
    let scope: String
    /// The last closed month, which "not yet reported" is about.
    let period: String
    let returned: [Item]
    let hasReturned: Bool
    let drafts: [Item]
    let hasDrafts: Bool
    /// Where a reporter starts a figure or a ledger row.
    let newLinks: [Count]
    let hasNewLinks: Bool
    let missing: [Item]
    let hasMissing: Bool
    let showMissing: Bool
    let tasks: [TaskItem]
    let hasTasks: Bool
    let awaiting: [Count]
    let hasAwaiting: Bool
    let reviewing: Bool
    let awaitingTotal: Int
    let lagging: [Item]
    let hasLagging: Bool
    let writes: Bool
}
