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

    /// A region as a person names it: its code, its name (纳雍县, 毕节市, 贵州省), the names above it before it
    /// (毕节市纳雍县, 贵州省毕节市纳雍县) or a former name (盘县). A name several regions share asks for more.
    static func regionCode(_ text: String, _ store: Store) async throws -> String {
        let t = text.filter { !$0.isWhitespace }
        let regions = try await store.regions()
        let byCode = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0) })
        if byCode[t] != nil { return t }
        func path(_ r: Region) -> [String] {
            var names = [r.name]
            var up = r.parentCode
            while let p = up, let parent = byCode[p] {
                names.insert(parent.name, at: 0)
                up = parent.parentCode
            }
            return names
        }
        // The name alone, or with any of the names above it in front (贵州省毕节市纳雍县, 毕节市纳雍县).
        let matches = regions.filter { r in
            let p = path(r)
            return p.indices.contains { p[$0...].joined() == t }
        }
        if matches.count == 1 { return matches[0].code }
        if matches.count > 1 {
            let list = matches.map { "\($0.code) \(path($0).joined(separator: " "))" }.joined(separator: "; ")
            throw CommandFailure("“\(text)”有多个地区，请写明上级或代码 / several regions have this name, give the one above it or the code: \(list)")
        }
        if let county = try await store.regionDirectory().county(t) { return county.code }
        throw CommandFailure("未知地区“\(text)”/ unknown region: give its name (纳雍县, 毕节市纳雍县) or its 6-digit code")
    }

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
        @Option(help: "The user's region (its scope): its name (纳雍县, 毕节市纳雍县, 贵州省) or its GB/T 2260 code.") var region: String
        @Option(help: "The person's name.") var name: String = ""
        @Option(help: "The person's unit (单位).") var unit: String = ""
        @Flag(help: "Read the password from standard input (required).") var passwordStdin = false
        @Flag(help: "Make the user choose a new password at first sign-in.") var mustChange = false
        @OptionGroup var db: DatabaseOption

        func run() async throws {
            guard passwordStdin else { throw CommandFailure("use --password-stdin; passwords are never taken as arguments") }
            guard let role = Role(rawValue: role) else {
                throw CommandFailure("unknown role \(role); use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let password = try UserCommand.readPassword(username: username)
            let store = try await UserCommand.openStore(db.database)
            do {
                let code = try await UserCommand.regionCode(region, store)
                let u = try await store.addUser(
                    username: username, role: role, regionCode: code,
                    passwordHash: Bcrypt.hash(password, cost: passwordCost), fullName: name, unit: unit, mustChangePassword: mustChange,
                    actor: UserCommand.cli)
                print("created \(u.username) (\(u.role.rawValue), \(u.regionCode))")
                await store.close()
            } catch let f as CommandFailure {
                await store.close()
                throw f
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
                print([u.username, u.role.rawValue, u.regionCode, u.state.rawValue, u.fullName, u.unit].joined(separator: "\t"))
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
        @Flag(help: "Make the user choose a new password at next sign-in (for a password given to someone else).") var mustChange = false
        @OptionGroup var db: DatabaseOption
        func run() async throws {
            guard passwordStdin else { throw CommandFailure("use --password-stdin; passwords are never taken as arguments") }
            let password = try UserCommand.readPassword(username: username)
            let name = username
            let hash = Bcrypt.hash(password, cost: passwordCost)
            try await UserCommand.change(name, db.database, done: "password changed for \(name)") {
                try await $0.setPasswordHash(username: name, hash, mustChange: mustChange, actor: UserCommand.cli)
            }
        }
    }
}
