import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Logging
import XiezuoDomain
import XiezuoStore

/// bcrypt cost for stored passwords (see docs/BENCHMARKS.md for the time one hash takes here).
let passwordCost: UInt8 = 12

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage accounts.",
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self, Unlock.self])

    static func openStore(_ url: String) async throws -> Store {
        do {
            let store = try await Store.open(url: url, logger: Logger(label: "xiezuo"))
            try await store.migrate()
            return store
        } catch let e as StoreError { throw CommandFailure(e.description) }
    }

    /// The password from standard input (first line), checked against the rules, in the user's two languages.
    static func readPassword(username: String) throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CommandFailure("give the password on standard input / 请从标准输入提供密码")
        }
        let issues = PasswordRule.check(line, username: username)
        guard issues.isEmpty else {
            throw CommandFailure(issues.map { "\($0.message(.zh)) / \($0.message(.en))" }.joined(separator: "\n"))
        }
        return line
    }

    static func explain(_ f: ValidationFailure) -> CommandFailure {
        CommandFailure(f.issues.map { "\($0.field): \($0.message(.zh)) / \($0.message(.en))" }.joined(separator: "\n"))
    }

    static let cli = Actor(name: "cli", address: "local")

    /// Opens the database, changes one named account, says so, and closes it; an unknown name is a clear error.
    static func change(
        _ username: String, _ database: String, done: String,
        _ body: @Sendable (Store) async throws -> Void
    ) async throws {
        let store = try await openStore(database)
        do { try await body(store) } catch StoreError.notFound {
            await store.close()
            throw CommandFailure("no user \(username) / 用户不存在")
        } catch {
            await store.close()
            throw error
        }
        print(done)
        await store.close()
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from standard input.")
        @Option var username: String
        @Option(help: "admin, province-coordinator, prefecture-officer, county-reporter or viewer.") var role: String
        @Option(help: "GB/T 2260 code of the user's region (its scope).") var region: String
        @Flag(help: "Read the password from standard input (required).") var passwordStdin = false
        @OptionGroup var db: DatabaseOption

        func run() async throws {
            guard passwordStdin else { throw CommandFailure("use --password-stdin; passwords are never taken as arguments") }
            guard let role = Role(rawValue: role) else {
                throw CommandFailure("unknown role \(role); use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let password = try UserCommand.readPassword(username: username)
            let store = try await UserCommand.openStore(db.database)
            do {
                let u = try await store.addUser(
                    username: username, role: role, regionCode: region,
                    passwordHash: Bcrypt.hash(password, cost: passwordCost), actor: UserCommand.cli)
                print("created \(u.username) (\(u.role.rawValue), \(u.regionCode))")
                await store.close()
            } catch let f as ValidationFailure {
                await store.close()
                throw UserCommand.explain(f)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var db: DatabaseOption
        func run() async throws {
            let store = try await UserCommand.openStore(db.database)
            for u in try await store.users() {
                print([u.username, u.role.rawValue, u.regionCode, u.state.rawValue].joined(separator: "\t"))
            }
            await store.close()
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account (it can no longer sign in; its sessions and tokens end).")
        @Argument var username: String
        @OptionGroup var db: DatabaseOption
        func run() async throws {
            let name = username
            try await UserCommand.change(name, db.database, done: "disabled \(name)") {
                try await $0.setUserState(username: name, .disabled, actor: UserCommand.cli)
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a sign-in lock after too many wrong passwords.")
        @Argument var username: String
        @OptionGroup var db: DatabaseOption
        func run() async throws {
            let name = username
            try await UserCommand.change(name, db.database, done: "unlocked \(name) / 已解锁") {
                try await $0.unlock(username: name, actor: UserCommand.cli)
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password, read from standard input; ends the user's sessions and tokens and lifts a lock.")
        @Argument var username: String
        @Flag(help: "Read the password from standard input (required).") var passwordStdin = false
        @OptionGroup var db: DatabaseOption
        func run() async throws {
            guard passwordStdin else { throw CommandFailure("use --password-stdin; passwords are never taken as arguments") }
            let password = try UserCommand.readPassword(username: username)
            let name = username
            let hash = Bcrypt.hash(password, cost: passwordCost)
            try await UserCommand.change(name, db.database, done: "password changed for \(name)") {
                try await $0.setPasswordHash(username: name, hash, actor: UserCommand.cli)
            }
        }
    }
}
