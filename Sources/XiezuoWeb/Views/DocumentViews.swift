// The document library's view models: the list, the intake form, and one document (a preview or a saved one).

struct DocumentListPage: PageModel {
    struct Item: Sendable {
        let id: Int64
        let title: String
        let source: String
        let date: String
        let garbled: Bool
        let excerpt: String
    }
    let q: String
    let items: [Item]
    let prev: String?
    let next: String?
    let pageInfo: String
}

struct DocumentFormPage: PageModel {
    let f: [String: FormField]
    let hasErrors: Bool
}

struct DocumentPage: PageModel {
    struct Unsolved: Sendable {
        let text: String
        let shown: String
        /// "□ 可能是：状、壮、撞…", one line for each □.
        let candidates: [String]
    }
    struct MeetingSuggestion: Sendable {
        let id: Int64
        let title: String
        let date: String
        let place: String
        let linked: Bool
    }
    struct RegionMention: Sendable {
        let code: String
        let name: String
    }
    struct Person: Sendable {
        let name: String
        let position: String
    }
    struct DateMention: Sendable { let date: String }
    struct ProjectMention: Sendable {
        let id: Int64
        let title: String
        let county: String
    }
    struct Organisation: Sendable { let name: String }
    struct Saved: Sendable { let id: Int64 }
    struct LinkedMeeting: Sendable {
        let title: String
        let date: String
    }
    /// A preview's fields, carried in hidden inputs to the save.
    struct Hidden: Sendable {
        let title: String
        let source: String
        let publishedOn: String
        let text: String
    }
    let title: String
    let source: String
    let date: String
    /// Escaped HTML with the changes marked (`{{{original}}}`).
    let original: String
    let repaired: String
    let garbled: Bool
    let reason: String
    let changeCount: Int
    let unsolvedCount: Int
    let unsolved: [Unsolved]
    let suggestions: [MeetingSuggestion]
    let regions: [RegionMention]
    let people: [Person]
    let dates: [DateMention]
    let projects: [ProjectMention]
    let organisations: [Organisation]
    let saved: Saved?
    let historyBlock: HistoryBlock?
    let linkedMeeting: LinkedMeeting?
    let hidden: Hidden?
}
