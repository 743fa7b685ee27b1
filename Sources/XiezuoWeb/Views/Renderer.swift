import Foundation
import Hummingbird
import Mustache
import XiezuoDomain
import XiezuoReports

/// Server-side pages: Mustache templates (bundled resources) filled with plain dictionaries, every one wrapped in
/// the layout with the strings of the reader's language.
struct Renderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer

    /// Every template a page renders: checked when the server starts, so a missing or broken one stops it with its
    /// name instead of answering a page with an error in it.
    static let required = [
        "agreement", "agreements", "assessment", "assessments", "dashboard", "document", "document_new", "documents", "error",
        "history", "history_block", "inbox", "indicators", "layout", "ledger", "ledger_form", "ledger_preview", "ledger_row", "ledgers",
        "login", "map", "meeting", "meeting_form", "meetings", "pairings", "progress", "progress_detail", "project", "project_form",
        "projects", "public", "region", "review", "screen", "setup", "warnings", "task", "tasks", "tokens", "users", "user_form", "account_password",
        "workbench",
        "confirm", "audit", "rounds", "round", "changes", "attachments_block", "evidence_inline", "webhooks",
    ]

    struct TemplateMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "页面模板缺失或有误 / template missing or broken: \(name).mustache" }
    }

    static func load() async throws -> Renderer {
        guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        let library = try await MustacheLibrary(directory: base.appendingPathComponent("templates").path)
        for name in required where library.getTemplate(named: name) == nil { throw TemplateMissing(name: name) }
        let css = try Data(contentsOf: base.appendingPathComponent("static/app.css"))
        return Renderer(library: library, stylesheet: ByteBuffer(bytes: css))
    }

    /// Renders `template` inside the layout, filled with the page's view model. `section` marks the active
    /// navigation entry.
    func page(
        _ template: String, title: String, section: String, lang: Language, demo: Bool, path: String,
        model: some PageModel, status: HTTPResponse.Status = .ok, user: UserAccount? = nil, csrf: String? = nil,
        languageSwitch: String? = nil, homeRegion: String? = nil
    ) -> Response {
        let frame = Frame(
            csrf: csrf ?? "",
            me: user.map {
                Frame.Me(
                    username: $0.username, role: Strings.text("role_" + $0.role.rawValue, lang), region: homeRegion ?? $0.regionCode,
                    managesUsers: AccessRule.managesUsers($0))
            },
            t: Strings.table(lang), lang: lang.rawValue, otherLang: lang == .zh ? "en" : "zh", pageTitle: title, demo: demo,
            section: section, path: path, langHref: languageSwitch ?? path + "?lang=" + (lang == .zh ? "en" : "zh"))
        guard let html = library.render(Framed(frame: frame, model: model), withTemplate: template) else {
            // Not reached once `required` holds every template a page uses; never a 200 either way.
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: TemplateMissing(name: template).description)))
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: KeepTogether.dates(in: html))))
    }

    struct ErrorPage: PageModel {
        let status: Int
        let message: String
        let back: String?
    }

    func errorPage(
        status: HTTPResponse.Status, message: String, lang: Language, user: UserAccount? = nil, csrf: String? = nil,
        back: String? = nil
    ) -> Response {
        page(
            "error", title: String(status.code), section: "", lang: lang, demo: false, path: "/",
            model: ErrorPage(status: status.code, message: message, back: back == "/" ? nil : back), status: status, user: user, csrf: csrf)
    }
}

/// A page's view model: a struct whose stored properties the page's template reads by name. Optional properties
/// that are nil are absent (a section over them is not shown); Bool properties switch sections; arrays repeat them.
protocol PageModel: Sendable {}

/// What the layout shows around every page.
struct Frame: Sendable {
    struct Me: Sendable {
        let username: String
        let role: String
        let region: String
        /// Whether the accounts page is offered.
        let managesUsers: Bool
    }
    let csrf: String
    let me: Me?
    /// The strings of the reader's language, by key (`{{t.nav_projects}}`).
    let t: [String: String]
    let lang: String
    let otherLang: String
    let pageTitle: String
    let demo: Bool
    /// The active navigation entry (`{{#nav_projects}}`).
    let section: String
    let path: String
    let langHref: String
}

/// The layout's frame and the page's model as one Mustache context: the frame's names first, then the model's.
struct Framed: MustacheParent {
    let frame: Frame
    /// The model's fields, as plain dictionaries and arrays: walked once here, so a template's every lookup is a
    /// dictionary hit (reflecting a struct at each lookup made the dashboard a fifth slower).
    let fields: [String: Any]
    let me: [String: Any]?

    init(frame: Frame, model: any PageModel) {
        self.frame = frame
        fields = TemplateValue.fields(of: model)
        me = frame.me.map { TemplateValue.fields(of: $0) }
    }

    func child(named name: String) -> Any? {
        switch name {
        case "csrf": return frame.csrf
        case "me": return me
        case "t": return frame.t
        case "lang": return frame.lang
        case "otherLang": return frame.otherLang
        case "pageTitle": return frame.pageTitle
        case "demo": return frame.demo
        case "path": return frame.path
        case "langHref": return frame.langHref
        default:
            if name.hasPrefix("nav_") { return name == "nav_" + frame.section }
            return fields[name]
        }
    }
}

/// A view model turned into what Mustache reads fastest: structs become dictionaries of their stored properties
/// (nil optionals left out, so a section over them is not shown), arrays and dictionaries are converted element by
/// element, and strings, numbers and booleans stay as they are.
enum TemplateValue {
    static func fields(of object: Any) -> [String: Any] {
        var out: [String: Any] = [:]
        for child in Mirror(reflecting: object).children {
            guard let label = child.label, let value = convert(child.value) else { continue }
            out[label] = value
        }
        return out
    }

    static func convert(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Int64, is Double: return value
        case let list as [Any]: return list.compactMap(convert)
        case let map as [String: Any]: return map.compactMapValues(convert)
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional: return mirror.children.first.flatMap { convert($0.value) }
            case .struct, .class: return fields(of: value)
            default: return value
            }
        }
    }
}
