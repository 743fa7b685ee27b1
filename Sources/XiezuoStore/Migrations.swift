import SQLKit

/// Versioned schema changes. Each is applied once, in order, inside its own transaction, and recorded in
/// schema_migrations. `{ID}` stands for the dialect's auto-numbered primary key. Never edit a released migration:
/// add a new one.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
    /// Work SQL alone cannot do (e.g. recomputing a column in Swift), run after `statements` in the same transaction.
    var step: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    /// Statements for one engine, run last (e.g. each engine's own full-text index).
    var sqlite: [String] = []
    var postgres: [String] = []
}

enum Migrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "core",
            statements: [
                """
                CREATE TABLE regions (
                  code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, parent_code TEXT,
                  side TEXT NOT NULL, key_assisted INTEGER NOT NULL DEFAULT 0, resettlement_area INTEGER NOT NULL DEFAULT 0)
                """,
                "CREATE INDEX regions_parent ON regions(parent_code)",
                """
                CREATE TABLE indicators (
                  code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, unit TEXT NOT NULL,
                  source TEXT NOT NULL, ledger TEXT, work_area TEXT NOT NULL)
                """,
                """
                CREATE TABLE pairings (
                  id {ID}, level TEXT NOT NULL, east_code TEXT NOT NULL REFERENCES regions(code),
                  west_code TEXT NOT NULL REFERENCES regions(code), east_party TEXT, west_party TEXT,
                  since_year INTEGER NOT NULL, until_year INTEGER)
                """,
                """
                CREATE TABLE agreements (
                  id {ID}, pairing_id BIGINT NOT NULL REFERENCES pairings(id), year INTEGER NOT NULL, title TEXT NOT NULL,
                  status TEXT NOT NULL, is_demo INTEGER NOT NULL DEFAULT 0, version BIGINT NOT NULL DEFAULT 1,
                  updated_at TEXT NOT NULL, UNIQUE (pairing_id, year))
                """,
                """
                CREATE TABLE agreement_tasks (
                  id {ID}, agreement_id BIGINT NOT NULL REFERENCES agreements(id), work_area TEXT NOT NULL,
                  text TEXT NOT NULL, position INTEGER NOT NULL, updated_at TEXT NOT NULL)
                """,
                "CREATE INDEX agreement_tasks_agreement ON agreement_tasks(agreement_id)",
                """
                CREATE TABLE targets (
                  id {ID}, task_id BIGINT NOT NULL REFERENCES agreement_tasks(id),
                  indicator_code TEXT NOT NULL REFERENCES indicators(code), value BIGINT NOT NULL,
                  updated_at TEXT NOT NULL, UNIQUE (task_id, indicator_code))
                """,
                """
                CREATE TABLE projects (
                  id {ID}, pairing_id BIGINT NOT NULL REFERENCES pairings(id),
                  county_code TEXT NOT NULL REFERENCES regions(code), work_area TEXT NOT NULL, title TEXT NOT NULL,
                  status TEXT NOT NULL, planned_start TEXT, planned_end TEXT, beneficiaries BIGINT NOT NULL DEFAULT 0,
                  description TEXT NOT NULL DEFAULT '', is_demo INTEGER NOT NULL DEFAULT 0,
                  version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                  budget_fen BIGINT NOT NULL DEFAULT 0, committed_fen BIGINT NOT NULL DEFAULT 0,
                  disbursed_fen BIGINT NOT NULL DEFAULT 0, spent_fen BIGINT NOT NULL DEFAULT 0)
                """,
                "CREATE INDEX projects_county ON projects(county_code, id)",
                "CREATE INDEX projects_area ON projects(work_area, id)",
                "CREATE INDEX projects_status ON projects(status, id)",
                """
                CREATE TABLE transactions (
                  id {ID}, project_id BIGINT NOT NULL REFERENCES projects(id), kind TEXT NOT NULL, date TEXT NOT NULL,
                  amount_fen BIGINT NOT NULL, note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)
                """,
                "CREATE INDEX transactions_project ON transactions(project_id, kind, amount_fen)",
                """
                CREATE TABLE milestones (
                  id {ID}, project_id BIGINT NOT NULL REFERENCES projects(id), title TEXT NOT NULL,
                  due_date TEXT NOT NULL, done_date TEXT)
                """,
                "CREATE INDEX milestones_project ON milestones(project_id)",
                """
                CREATE TABLE progress (
                  id {ID}, indicator_code TEXT NOT NULL REFERENCES indicators(code),
                  region_code TEXT NOT NULL REFERENCES regions(code), year INTEGER NOT NULL, month INTEGER NOT NULL,
                  value BIGINT NOT NULL, state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL)
                """,
                // Covering index: the dashboard's sums never touch the table itself.
                "CREATE INDEX progress_list ON progress(year, indicator_code, region_code)",
                // Running totals per reported region, kept in the same transaction as every progress write, so the
                // dashboard sums a few thousand rows instead of every report (see docs/BENCHMARKS.md).
                """
                CREATE TABLE progress_totals (
                  year INTEGER NOT NULL, state TEXT NOT NULL, indicator_code TEXT NOT NULL, region_code TEXT NOT NULL,
                  total BIGINT NOT NULL, PRIMARY KEY (year, state, indicator_code, region_code))
                """,
                """
                CREATE TABLE audit_log (
                  id {ID}, at TEXT NOT NULL, actor TEXT, address TEXT, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
                  action TEXT NOT NULL, before_json TEXT, after_json TEXT)
                """,
                "CREATE INDEX audit_entity ON audit_log(entity, entity_id, id)",
                """
                CREATE TABLE meetings (
                  id {ID}, pairing_id BIGINT NOT NULL REFERENCES pairings(id), kind TEXT NOT NULL, title TEXT NOT NULL,
                  date TEXT NOT NULL, place TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '', is_demo INTEGER NOT NULL DEFAULT 0)
                """,
                "CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]),
        documents,
        users,
        sessions,
        documentScope,
        review,
        tokens,
        followUp,
        targetVersions, ledgers, integrity, sheetMappings, userDetails, dataVersion, ledgerSearch, paceProfiles, inboxReads, rounds, attachments,
        webhooks,
    ]

    static let documents = Migration(
        version: 2, name: "documents",
        statements: [
            """
            CREATE TABLE documents (
              id {ID}, title TEXT NOT NULL, source TEXT NOT NULL DEFAULT '', published_on TEXT,
              original_text TEXT NOT NULL, repaired_text TEXT NOT NULL, report_json TEXT NOT NULL,
              garbled INTEGER NOT NULL DEFAULT 0, meeting_id BIGINT REFERENCES meetings(id), created_at TEXT NOT NULL)
            """,
            // Search works on character bigrams of the repaired text (and title), the same way on every backend:
            // a document matches when it holds every bigram of the query.
            "CREATE TABLE document_grams (document_id BIGINT NOT NULL REFERENCES documents(id), gram TEXT NOT NULL, PRIMARY KEY (gram, document_id))",
        ])

    static let users = Migration(
        version: 3, name: "users",
        statements: [
            """
            CREATE TABLE users (
              id {ID}, username TEXT NOT NULL UNIQUE, role TEXT NOT NULL, region_code TEXT NOT NULL REFERENCES regions(code),
              password_hash TEXT NOT NULL, state TEXT NOT NULL, failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
              created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """
        ])

    static let sessions = Migration(
        version: 4, name: "sessions",
        statements: [
            // Only a hash of the session token is stored: a copy of the database does not let anyone sign in.
            """
            CREATE TABLE sessions (
              token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id), csrf TEXT NOT NULL,
              created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, address TEXT)
            """,
            // Failed sign-ins per account and per address; in the database so every instance sees the same count.
            "CREATE TABLE login_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT)",
        ])

    static let documentScope = Migration(
        version: 5, name: "document scope",
        statements: [
            // The region of the office that took a document in: documents are scoped like everything else.
            "ALTER TABLE documents ADD COLUMN region_code TEXT NOT NULL DEFAULT '520000'"
        ])

    static let review = Migration(
        version: 6, name: "review",
        statements: [
            "ALTER TABLE progress ADD COLUMN review_comment TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE progress ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
            "CREATE INDEX progress_state ON progress(state, region_code)",
        ])

    static let tokens = Migration(
        version: 7, name: "api tokens",
        statements: [
            """
            CREATE TABLE api_tokens (
              id {ID}, user_id BIGINT NOT NULL REFERENCES users(id), name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
              created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT)
            """
        ])

    static let followUp = Migration(
        version: 8, name: "meetings, follow-up tasks, assessments",
        statements: [
            "ALTER TABLE meetings ADD COLUMN end_date TEXT",
            "ALTER TABLE meetings ADD COLUMN host_side TEXT NOT NULL DEFAULT 'east'",
            "ALTER TABLE meetings ADD COLUMN agenda TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meetings ADD COLUMN minutes TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meetings ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
            """
            CREATE TABLE meeting_attendees (
              id {ID}, meeting_id BIGINT NOT NULL REFERENCES meetings(id), name TEXT NOT NULL, position TEXT NOT NULL,
              side TEXT NOT NULL)
            """,
            """
            CREATE TABLE itinerary_stops (
              id {ID}, meeting_id BIGINT NOT NULL REFERENCES meetings(id), date TEXT, city TEXT NOT NULL, name TEXT NOT NULL,
              kind TEXT NOT NULL)
            """,
            """
            CREATE TABLE decisions (
              id {ID}, meeting_id BIGINT NOT NULL REFERENCES meetings(id), work_area TEXT, text TEXT NOT NULL)
            """,
            """
            CREATE TABLE follow_up_tasks (
              id {ID}, decision_id BIGINT NOT NULL REFERENCES decisions(id), meeting_id BIGINT NOT NULL REFERENCES meetings(id),
              title TEXT NOT NULL, owner_office TEXT NOT NULL, owner_region_code TEXT NOT NULL REFERENCES regions(code),
              deadline TEXT NOT NULL, status TEXT NOT NULL, done_on TEXT, is_demo INTEGER NOT NULL DEFAULT 0,
              version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX follow_up_owner ON follow_up_tasks(owner_region_code, status, deadline)",
            "CREATE INDEX follow_up_meeting ON follow_up_tasks(meeting_id)",
            """
            CREATE TABLE task_updates (
              id {ID}, task_id BIGINT NOT NULL REFERENCES follow_up_tasks(id), date TEXT NOT NULL, text TEXT NOT NULL,
              evidence TEXT NOT NULL, status TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE assessments (
              id {ID}, pairing_id BIGINT NOT NULL REFERENCES pairings(id), year INTEGER NOT NULL,
              self_assessment TEXT NOT NULL DEFAULT '', partner_comment TEXT NOT NULL DEFAULT '', weights_json TEXT NOT NULL DEFAULT '{}',
              version BIGINT NOT NULL DEFAULT 1, updated_at TEXT NOT NULL, UNIQUE (pairing_id, year))
            """,
        ])

    static let targetVersions = Migration(
        version: 9, name: "target versions",
        statements: [
            // Targets are edited like everything else: a stale change is refused, never silently applied.
            "ALTER TABLE targets ADD COLUMN version BIGINT NOT NULL DEFAULT 1"
        ])

    static let ledgers = Migration(
        version: 10, name: "ledgers",
        statements: [
            // One table for the eight ledgers: the columns every ledger has (county, date, review state, natural key)
            // are columns; the rest is canonical JSON with personal data encrypted. The natural key is a keyed digest.
            """
            CREATE TABLE ledger_rows (
              id {ID}, ledger TEXT NOT NULL, natural_key TEXT NOT NULL, county_code TEXT NOT NULL REFERENCES regions(code),
              occurred_on TEXT NOT NULL, year INTEGER NOT NULL, values_json TEXT NOT NULL, search_text TEXT NOT NULL,
              state TEXT NOT NULL, review_comment TEXT NOT NULL DEFAULT '', version BIGINT NOT NULL DEFAULT 1,
              created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (ledger, natural_key))
            """,
            "CREATE INDEX ledger_rows_list ON ledger_rows(ledger, county_code, occurred_on)",
            "CREATE INDEX ledger_rows_state ON ledger_rows(ledger, state, county_code)",
            // Lists show the latest rows first: walked in this order, a page needs no sort of the whole ledger.
            "CREATE INDEX ledger_rows_date ON ledger_rows(ledger, occurred_on, id)",
            // A file uploaded for preview, kept until it is imported (any instance may receive the confirmation).
            """
            CREATE TABLE ledger_uploads (
              id {ID}, user_id BIGINT NOT NULL REFERENCES users(id), ledger TEXT NOT NULL, file_name TEXT NOT NULL,
              content TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
        ])

    static let integrity = Migration(
        version: 11, name: "review integrity",
        statements: [
            // Who made each figure and ledger row what it is, so nobody approves their own work (ReviewRule).
            "ALTER TABLE progress ADD COLUMN created_by TEXT",
            "ALTER TABLE progress ADD COLUMN changed_by TEXT",
            "ALTER TABLE progress ADD COLUMN submitted_by TEXT",
            "ALTER TABLE progress ADD COLUMN approved_by TEXT",
            "ALTER TABLE ledger_rows ADD COLUMN created_by TEXT",
            "ALTER TABLE ledger_rows ADD COLUMN changed_by TEXT",
            "ALTER TABLE ledger_rows ADD COLUMN submitted_by TEXT",
            "ALTER TABLE ledger_rows ADD COLUMN approved_by TEXT",
            "ALTER TABLE ledger_rows ADD COLUMN confirmed_by TEXT",
            // A monthly increment is one figure per indicator, region and period: the database refuses a second one,
            // whatever the timing of two requests.
            "CREATE UNIQUE INDEX progress_one_per_period ON progress(indicator_code, region_code, year, month)",
            // Personal tokens may expire.
            "ALTER TABLE api_tokens ADD COLUMN expires_at TEXT",
            // The sign-in throttle forgets failures after a quiet spell.
            "ALTER TABLE login_throttle ADD COLUMN last_failure_at TEXT",
            "ALTER TABLE login_throttle ADD COLUMN attempt TEXT",
            // Staged uploads are now sealed; any kept in clear by an earlier version are dropped.
            "DELETE FROM ledger_uploads",
        ])

    static let sheetMappings = Migration(
        version: 12, name: "sheet mappings",
        statements: [
            // An office's answer to "which column is this field?", offered again with its next sheet of that ledger.
            """
            CREATE TABLE sheet_mappings (
              region_code TEXT NOT NULL, ledger TEXT NOT NULL, header TEXT NOT NULL, field TEXT NOT NULL,
              updated_by TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (region_code, ledger, header))
            """,
            // A staged upload keeps the mapping and sheet its preview was made with, so its import uses the same.
            "ALTER TABLE ledger_uploads ADD COLUMN mapping_json TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE ledger_uploads ADD COLUMN sheet TEXT",
        ])

    static let userDetails = Migration(
        version: 13, name: "user details",
        statements: [
            // Who an account is (name and unit), and whether the password an administrator gave must be replaced.
            "ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE users ADD COLUMN unit TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0",
        ])

    static let dataVersion = Migration(
        version: 14, name: "data version",
        statements: [
            // A number every write transaction moves (DataVersion.swift): what an instance keeps in memory is
            // used only while the number is the one it was made under.
            "CREATE TABLE data_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
            "INSERT INTO data_version (id, n) VALUES (1, 0)",
        ])

    static let paceProfiles = Migration(
        version: 16, name: "early warnings",
        statements: [
            // A project's last disbursement in one index seek: the warnings ask it of every project under way.
            "CREATE INDEX transactions_dated ON transactions(project_id, kind, date)",
            // An office's monthly profile of an agreement's target (PaceProfile): twelve cumulative basis points,
            // comma-separated. Without one, the even pace applies.
            """
            CREATE TABLE pace_profiles (
              agreement_id BIGINT NOT NULL REFERENCES agreements(id), indicator_code TEXT NOT NULL REFERENCES indicators(code),
              cumulative TEXT NOT NULL, updated_by TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (agreement_id, indicator_code))
            """,
        ])

    static let inboxReads = Migration(
        version: 17, name: "inbox reads",
        statements: [
            // Which of the items in a user's inbox the user has opened. The items themselves are not stored: they
            // are what is waiting now (a returned figure, a task due, a red warning), each with a stable key.
            "CREATE TABLE inbox_reads (username TEXT NOT NULL, item_key TEXT NOT NULL, read_at TEXT NOT NULL, PRIMARY KEY (username, item_key))"
        ])

    static let rounds = Migration(
        version: 18, name: "reporting rounds",
        statements: [
            // A round asks the offices below its opener for one month's figures (indicator codes) and ledger rows
            // (ledger names), comma-separated, by a deadline. lock_state: deadline, unlocked or locked (RoundLock).
            """
            CREATE TABLE rounds (
              id {ID}, title TEXT NOT NULL, opener_region TEXT NOT NULL REFERENCES regions(code), opened_by TEXT,
              year INTEGER NOT NULL, month INTEGER NOT NULL, deadline TEXT NOT NULL, indicators TEXT NOT NULL,
              ledgers TEXT NOT NULL, lock_state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', is_demo INTEGER NOT NULL DEFAULT 0,
              created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX rounds_period ON rounds(year, month)",
            // scope_prefix: the member region's code prefix, so the lock of a figure of a county inside a member
            // prefecture is one LIKE.
            """
            CREATE TABLE round_members (
              round_id BIGINT NOT NULL REFERENCES rounds(id), region_code TEXT NOT NULL REFERENCES regions(code),
              scope_prefix TEXT NOT NULL, submitted_at TEXT, submitted_by TEXT, reminders INTEGER NOT NULL DEFAULT 0,
              reminded_at TEXT, reminded_by TEXT, PRIMARY KEY (round_id, region_code))
            """,
            "CREATE INDEX round_members_region ON round_members(region_code)",
            // A request is about a figure (progress_id) or a ledger row (ledger_row_id, its new values sealed with the
            // data key: a row holds personal data; summary names the fields that change).
            """
            CREATE TABLE change_requests (
              id {ID}, round_id BIGINT NOT NULL REFERENCES rounds(id), progress_id BIGINT REFERENCES progress(id),
              ledger_row_id BIGINT REFERENCES ledger_rows(id), values_sealed TEXT, summary TEXT NOT NULL DEFAULT '',
              region_code TEXT NOT NULL, indicator_code TEXT NOT NULL, old_value BIGINT NOT NULL, new_value BIGINT NOT NULL,
              reason TEXT NOT NULL, state TEXT NOT NULL, requested_by TEXT, requested_at TEXT NOT NULL, decided_by TEXT,
              decided_at TEXT, decision_comment TEXT NOT NULL DEFAULT '')
            """,
            "CREATE INDEX change_requests_state ON change_requests(state, region_code)",
            // One open request per figure or row: a second waits until the first is decided.
            "CREATE UNIQUE INDEX change_requests_open ON change_requests(progress_id) WHERE state = 'pending' AND progress_id IS NOT NULL",
            "CREATE UNIQUE INDEX change_requests_open_rows ON change_requests(ledger_row_id) WHERE state = 'pending' AND ledger_row_id IS NOT NULL",
        ])

    static let attachments = Migration(
        version: 19, name: "evidence attachments",
        statements: [
            // Evidence files (佐证材料) live in the database, so every instance behind the proxy sees the same files and a
            // backup, a restore or a move to another engine carries them with the rows they support. owner_kind and
            // owner_id name what a file supports (a figure, a ledger row, a project, a decision, a task update);
            // region_code is that object's region, for scope in SQL.
            """
            CREATE TABLE attachments (
              id {ID}, owner_kind TEXT NOT NULL, owner_id BIGINT NOT NULL, region_code TEXT NOT NULL, file_name TEXT NOT NULL,
              content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL,
              is_demo INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id)",
            // The bytes in pieces of 256 KiB, each sealed with the data key like other personal data (a photo of an
            // identity card is evidence too), as text: the same on both engines and in a backup.
            """
            CREATE TABLE attachment_chunks (
              attachment_id BIGINT NOT NULL REFERENCES attachments(id), seq INTEGER NOT NULL, data TEXT NOT NULL,
              PRIMARY KEY (attachment_id, seq))
            """,
        ])

    static let webhooks = Migration(
        version: 20, name: "group robots",
        statements: [
            // An office's group robot. The address holds the robot's key, so it is sealed with the data key (url_sealed);
            // url_shown is what lists show (the key left out). events: comma-separated WebhookEvent values.
            """
            CREATE TABLE webhooks (
              id {ID}, region_code TEXT NOT NULL REFERENCES regions(code), kind TEXT NOT NULL, name TEXT NOT NULL,
              url_sealed TEXT NOT NULL, url_shown TEXT NOT NULL, events TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX webhooks_region ON webhooks(region_code)",
            // One row per message to one robot. event_key is unique per robot, so every instance behind the proxy may
            // enqueue the same news and it is still posted once; claimed_until keeps two instances from sending one
            // message at the same time. state: pending, sent or failed (given up).
            """
            CREATE TABLE webhook_deliveries (
              id {ID}, webhook_id BIGINT NOT NULL REFERENCES webhooks(id), event_key TEXT NOT NULL, payload TEXT NOT NULL,
              state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT NOT NULL, claimed_until TEXT,
              last_status INTEGER, last_error TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, sent_at TEXT,
              UNIQUE (webhook_id, event_key))
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at)",
        ])

    static let ledgerSearch = Migration(
        version: 15, name: "ledger search",
        statements: [],
        // The stored search text becomes tokens (LedgerSearch) for each engine's full-text index.
        step: { db in try await Store.rewriteLedgerSearchText(db) },
        sqlite: [
            // Contentless: the index keeps no copy of the text (the row has it). Its rowid is the row's date and id,
            // (julian day << 32) | id, so the index hands out matches newest first, in the lists' order, and a
            // page of a word in a hundred thousand rows is its first fifty, not a sort. Triggers keep it in step
            // with every write, whoever makes it; a contentless index forgets a row given its old text.
            // prefix='5' keeps an index of each token's first five letters: a lone character's pairs (b + 4 digits)
            // are one list to read instead of hundreds to merge. detail=none: rows only, no positions (the order
            // of a word's tokens is checked on the row); columnsize=0: no table of text lengths (nothing is ranked).
            // A 32 MiB buffer before writing to disk: an import of half a million rows merges far fewer pieces.
            """
            CREATE VIRTUAL TABLE ledger_search USING fts5(
              search_text, content='', tokenize='ascii', prefix='5', detail='none', columnsize=0)
            """,
            "INSERT INTO ledger_search(ledger_search, rank) VALUES ('hashsize', 33554432)",
            "INSERT INTO ledger_search(rowid, search_text) SELECT \(searchKey("")), search_text FROM ledger_rows",
            // While an import runs, the rows it adds (ids above after_id) are left to it: it indexes them in one
            // statement at its end, in its transaction. Row by row, FTS5 writes its buffer out at every statement
            // and merges the pieces again and again (a fifth of a large import's time). The row exists only
            // inside that transaction, so nobody else's writes are affected.
            "CREATE TABLE ledger_search_backlog (after_id BIGINT NOT NULL)",
            """
            CREATE TRIGGER ledger_search_insert AFTER INSERT ON ledger_rows
            WHEN NOT EXISTS (SELECT 1 FROM ledger_search_backlog WHERE new.id > after_id) BEGIN
              INSERT INTO ledger_search(rowid, search_text) VALUES (\(searchKey("new.")), new.search_text);
            END
            """,
            """
            CREATE TRIGGER ledger_search_delete AFTER DELETE ON ledger_rows
            WHEN NOT EXISTS (SELECT 1 FROM ledger_search_backlog WHERE old.id > after_id) BEGIN
              INSERT INTO ledger_search(ledger_search, rowid, search_text) VALUES ('delete', \(searchKey("old.")), old.search_text);
            END
            """,
            """
            CREATE TRIGGER ledger_search_update AFTER UPDATE OF search_text, occurred_on ON ledger_rows
            WHEN NOT EXISTS (SELECT 1 FROM ledger_search_backlog WHERE old.id > after_id) BEGIN
              INSERT INTO ledger_search(ledger_search, rowid, search_text) VALUES ('delete', \(searchKey("old.")), old.search_text);
              INSERT INTO ledger_search(rowid, search_text) VALUES (\(searchKey("new.")), new.search_text);
            END
            """,
        ],
        postgres: [
            // Tokens without positions (strip): the order of a word's tokens is checked on the row.
            """
            ALTER TABLE ledger_rows ADD COLUMN search_vector tsvector
              GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_text))) STORED
            """,
            // A 64 MiB list of pending entries (4 MiB by default): a large import merges them into the index far
            // less often.
            "CREATE INDEX ledger_rows_search ON ledger_rows USING GIN (search_vector) WITH (gin_pending_list_limit = 65536)",
        ])

    static var latest: Int { all.last!.version }

    /// The SQLite keyword index's rowid of a ledger row: its date's julian day above its id.
    static func searchKey(_ row: String) -> String {
        "((COALESCE(CAST(julianday(\(row)occurred_on) AS INTEGER), 0) << 32) | \(row)id)"
    }

    static func idColumn(_ d: SQLDialectKind) -> String {
        d == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    }
}
