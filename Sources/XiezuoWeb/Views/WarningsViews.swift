/// The early warnings of the reader's scope.
struct WarningsPage: PageModel {
    struct Item: Sendable {
        let level: String
        let levelName: String
        let kind: String
        let kindName: String
        let title: String
        let link: String
        let region: String
        let detail: String
        let subject: String
    }
    let years: [Option]
    let year: Int
    let levels: [Option]
    let kinds: [Option]
    let red: Int
    let amber: Int
    let items: [Item]
    let rule: String
    let asOf: String
    let exportHref: String
    /// Project warnings beyond those listed, said in a line.
    let more: String?
}
