import ArgumentParser
import Foundation
import HummingbirdBcrypt

/// Time of one bcrypt hash at several costs, to choose the cost for stored passwords (a sign-in should take a
/// noticeable fraction of a second for an attacker and not for a user).
struct BcryptCost: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bcrypt", abstract: "Time bcrypt hashing at costs 10–13.")
    @Option(help: "Hashes per cost.") var rounds = 5

    func run() {
        for cost: UInt8 in 10...13 {
            let start = Date()
            for i in 0..<rounds { _ = Bcrypt.hash("Guizhou-2024-\(i)", cost: cost) }
            let ms = Date().timeIntervalSince(start) / Double(rounds) * 1000
            print(String(format: "cost %d: %.0f ms per hash", cost, ms))
        }
    }
}
