import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XiezuoDomain

@testable import XiezuoWeb

/// "Today" is the date in China from the application's clock: the default year, the figure form's month and what
/// is overdue all follow it, never the year the demo data were written for.
@Suite struct ClockTests {
    func overdue(_ c: AuthedClient) async throws -> Int {
        try await c.execute(uri: "/api/v1/tasks?scope=all&state=overdue", method: .get).decode(ListOut<TaskOut>.self).total
    }

    @Test func inMid2024NothingOfTheConferenceIsOverdueYetAndTheFormStartsAtTheClosedMonthOfMay() async throws {
        try await withApp(clock: .fixed(Day(year: 2024, month: 6, day: 5)!)) { client in
            let late = try await overdue(client)
            #expect(late == 0)
            let dashboard = try await client.execute(uri: "/api/v1/dashboard", method: .get).decode(DashboardOut.self)
            #expect(dashboard.year == 2024)
            let form = try await client.execute(uri: "/progress", method: .get).text
            #expect(
                form.contains("name=\"year\" inputmode=\"numeric\" value=\"2024\"")
                    && form.contains("name=\"month\" inputmode=\"numeric\" value=\"5\""))
        }
    }

    @Test func aYearLaterTheLateTasksAreOverdueAndTheDefaultYearIsTheLatestWithAnAgreement() async throws {
        try await withApp(clock: .fixed(Day(year: 2025, month: 7, day: 1)!)) { client in
            let late = try await overdue(client)
            #expect(late > 0)
            // 2025 has no agreement in the demo: the latest year that has one.
            let dashboard = try await client.execute(uri: "/api/v1/dashboard", method: .get).decode(DashboardOut.self)
            #expect(dashboard.year == 2024)
            // The last closed month is June.
            #expect(try await client.execute(uri: "/progress", method: .get).text.contains("name=\"month\" inputmode=\"numeric\" value=\"6\""))
        }
    }

    @Test func inAYearWithOnlyAnEarlierAgreementThatYearIsShown() async throws {
        try await withApp(clock: .fixed(Day(year: 2023, month: 12, day: 31)!)) { client in
            let dashboard = try await client.execute(uri: "/api/v1/dashboard", method: .get).decode(DashboardOut.self)
            #expect(dashboard.year == 2023)
        }
    }
}
