/// The leaders' screen: a wall display of the year's state, readable from across a room.
struct ScreenPage: PageModel {
    struct Tile: Sendable {
        let code: String
        let name: String
        let completion: String
        let actual: String
        let target: String
        let unit: String
        /// red, amber or ok: whether the indicator keeps pace (Pace).
        let level: String
    }
    struct Warning: Sendable {
        let code: String
        let region: String
        let text: String
    }
    let year: Int
    let refreshSeconds: Int
    let heading: String
    let asOf: String
    let overall: String
    let tiles: [Tile]
    /// Server-rendered SVG.
    let map: String?
    let trend: String?
    let warnings: [Warning]
    let overdueCount: Int
    let overdue: [TaskRow]
    let rule: String
    let funding: FundingTotals
    let projectCount: Int
}
