import SQLKit

/// The data's version: a number moved by every write transaction, read beside the signed-in user in the one statement
/// each request makes anyway (`Store.session`). Pages and API answers kept in memory are served only while it is
/// unchanged, so a write on any instance is seen by the next request on every instance.
///
/// On SQLite it moves inside the writing transaction (one writer at a time: no contention). On PostgreSQL it moves
/// right after the commit, in a statement of its own: inside a serialisable transaction every write would queue on
/// this one row and fail to serialise; moved after, a reader never sees the new number before the new data. Session
/// bookkeeping (sign-in, last activity) goes through `atomic`, which leaves it alone.
enum DataVersion {
    static let bump: SQLQueryString = "UPDATE data_version SET n = n + 1 WHERE id = 1"
    static let column: SQLQueryString = "(SELECT n FROM data_version WHERE id = 1) AS data_version"

    /// Moves the version; before migration 14 there is no table yet (the migrations themselves), which is no error.
    static func move(_ db: any SQLDatabase) async {
        try? await db.raw(bump).run()
    }
}
