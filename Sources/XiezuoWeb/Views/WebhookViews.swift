/// An office's group robots, each with its recent messages, and the form to add one.
struct WebhooksPage: PageModel {
    struct Robot: Sendable {
        struct Message: Sendable {
            let key: String
            let state: String
            let stateCode: String
            let attempts: Int
            let at: String
            let detail: String
        }
        let id: Int64
        let name: String
        let kind: String
        let office: String
        let url: String
        let events: String
        let messages: [Message]
    }
    let robots: [Robot]
    let canAdd: Bool
    let kinds: [Option]
    let events: [RoundsPage.Check]
    let f: [String: FormField]
    let hasErrors: Bool
    let origins: String
    let notice: String?
}
