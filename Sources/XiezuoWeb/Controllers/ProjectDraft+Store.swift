import XiezuoDomain
import XiezuoStore

extension ProjectDraft {
    /// The draft checked against what it names: its pairing and its county are looked up, then every rule of the
    /// draft applies (the same for the form and the API).
    func validated(store: Store) async throws -> Result<Project, ValidationFailure> {
        let pairing = try await Int64(pairingId ?? "").asyncMap { try await store.pairing(id: $0) } ?? nil
        let code = (countyCode ?? "").trimmingWhitespace()
        let county = Region.isWellFormedCode(code) ? try await store.region(code: code) : nil
        return validate(pairing: pairing, county: county)
    }
}
