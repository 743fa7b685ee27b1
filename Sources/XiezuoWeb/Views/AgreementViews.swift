// The yearly agreements: the list and one agreement with its tasks and targets.

struct AgreementListPage: PageModel {
    struct Item: Sendable {
        let id: Int64
        let title: String
        let year: Int
        let status: String
        let pairing: String
    }
    let items: [Item]
}

struct AgreementPage: PageModel {
    struct Summary: Sendable {
        let id: Int64
        let title: String
        let year: Int
        let status: String
        let updatedAt: String
    }
    struct Target: Sendable {
        let name: String
        let unit: String
        let target: String
        let actual: String
        let completion: String
        let updatedAt: String
    }
    struct Task: Sendable {
        let workArea: String
        let text: String
        let targets: [Target]
    }
    let agreement: Summary
    let pairing: String
    let westCode: String
    let overall: String
    let tasks: [Task]
    let workAreas: [WorkAreaCompletion]
    /// Server-rendered SVG.
    let chart: String
    let pending: Bool
    let historyBlock: HistoryBlock
    struct PaceLine: Sendable {
        let code: String
        let name: String
        let months: String
        let value: String
    }
    /// Each target indicator's monthly plan (or the even pace), and whether the reader may change it.
    var pace: [PaceLine] = []
    var canManage = false
    var notice: String? = nil
}
