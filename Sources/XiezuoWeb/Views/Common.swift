import XiezuoDomain

// The pieces many pages share: choices in a select, a form's echoed fields, the pager and the history block.

/// One choice of a `<select>`.
struct Option: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// A form field echoed back: what was typed and, when it was refused, why.
struct FormField: Sendable {
    let value: String
    let error: String?
}

/// Field values echoed back into a form, with the message for each invalid field next to it.
struct FormState {
    var values: [String: String]
    var issues: [ValidationIssue]
    var lang: Language

    /// By field name (`{{f.title.value}}`, `{{#f.title.error}}`).
    var fields: [String: FormField] {
        Dictionary(
            uniqueKeysWithValues: values.map { k, v in
                let messages = issues.filter { $0.field == k }.map { $0.message(lang) }
                return (k, FormField(value: v, error: messages.isEmpty ? nil : messages.joined(separator: " ")))
            })
    }
}

/// A list's position and its neighbours (the template's `prev`, `next`, `pageInfo`).
struct Pagination: Sendable {
    let prev: String?
    let next: String?
    let pageInfo: String

    init(_ links: PageLinks, _ l: Labels) {
        prev = links.previous
        next = links.next
        pageInfo = links.info(l)
    }
}

/// The versions of an object with links to compare them and export the trail.
struct HistoryBlock: Sendable {
    struct Entry: Sendable {
        let version: Int
        let at: String
        let actor: String
        let address: String
        let action: String
    }
    let entries: [Entry]
    let compareHref: String
    let exportHref: String
    let comparable: Bool
}

extension Pages {
    static func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, label: (E) -> String) -> [Option]
    where E.RawValue == String {
        E.allCases.map { Option(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
    }

    static func yearOptions(_ selected: Int) -> [Option] {
        (2021...2030).map { Option(value: String($0), label: String($0), selected: $0 == selected) }
    }
}

/// An action that changes many things at once, said with its count and asked once before it is done.
struct ConfirmPage: PageModel {
    let heading: String
    let message: String
    /// Where the confirmation posts (absent when there is nothing to do).
    let action: String?
    let button: String
    let back: String
    let count: Int
}
