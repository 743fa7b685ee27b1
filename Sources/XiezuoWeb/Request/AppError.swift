import Foundation
import Hummingbird
import XiezuoDomain
import XiezuoStore

/// An error the caller can act on: a status, a stable code, a message in the caller's language and, for invalid
/// input, the problem with each field.
struct AppError: Error {
    var status: HTTPResponse.Status
    var code: String
    var key: String
    var params: [String] = []
    var issues: [ValidationIssue] = []

    static func notFound(_ what: String) -> AppError { .init(status: .notFound, code: "not_found", key: "error.not_found", params: [what]) }
    static func badID(_ text: String) -> AppError { .init(status: .badRequest, code: "bad_id", key: "error.bad_id", params: [text]) }
    static func badFilter(_ name: String) -> AppError { .init(status: .badRequest, code: "bad_filter", key: "error.bad_filter", params: [name]) }
    static func badJSON(_ detail: String) -> AppError { .init(status: .badRequest, code: "bad_json", key: "error.bad_json", params: [detail]) }
    static let ownWork = AppError(status: .forbidden, code: "own_work", key: "error.own_work")
    static func duplicateFigure(_ e: DuplicateFigure) -> AppError {
        AppError(
            status: .conflict, code: "duplicate_figure", key: "error.duplicate_figure",
            params: [e.existingId.map { "/progress/\($0)" } ?? "/progress"])
    }
    /// A reporting round's refusal, said so the user knows what to do next.
    static func round(_ e: RoundError, _ lang: Language) -> AppError {
        switch e {
        case .missingFigures(let codes):
            let names = codes.map { IndicatorCatalogue.byCode[$0]?.name(lang) ?? $0 }.joined(separator: "、")
            return AppError(status: .unprocessableContent, code: "round_incomplete", key: "error.round_missing", params: [names])
        case .periodLocked(let id):
            return AppError(status: .conflict, code: "period_locked", key: "error.period_locked", params: ["/rounds/\(id)"])
        case .alreadySubmitted: return AppError(status: .conflict, code: "state", key: "error.round_submitted")
        case .notAMember: return .forbidden
        case .requestPending: return AppError(status: .conflict, code: "change_pending", key: "error.change_pending")
        case .notLocked: return AppError(status: .conflict, code: "not_locked", key: "error.change_not_locked")
        case .decided: return AppError(status: .conflict, code: "state", key: "error.change_decided")
        }
    }

    static func invalid(_ f: ValidationFailure) -> AppError {
        .init(status: .unprocessableContent, code: "validation", key: "error.validation", issues: f.issues)
    }
}
