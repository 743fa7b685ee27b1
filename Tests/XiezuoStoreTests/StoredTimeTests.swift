import Foundation
import Testing

@testable import XiezuoStore

/// Stored times read by the store's own reader mean what Foundation's ISO 8601 parser says they mean.
@Suite struct StoredTimeTests {
    @Test func readsWhatItWritesAsFoundationDoes() throws {
        var g = SystemRandomNumberGenerator()
        // Leap days, the turn of centuries, the epoch and times before it, and random instants.
        var instants: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399), Date(timeIntervalSince1970: -2_208_988_800),  // 2100-02-28 23:59:59, 1900-01-01
        ]
        for _ in 0..<2_000 { instants.append(Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -3_000_000_000...5_000_000_000, using: &g)))) }
        for d in instants {
            let text = Store.iso(d)
            #expect(Store.date(text) == (try Date(text, strategy: .iso8601)), "\(text)")
        }
    }

    @Test func otherFormsAreLeftToFoundationAndNonsenseIsNoTime() {
        #expect(Store.date("2024-05-01T08:30:00+08:00") == Store.date("2024-05-01T00:30:00Z"))
        #expect(Store.date("2024-05-01T24:00:00Z") == (try? Date("2024-05-01T24:00:00Z", strategy: .iso8601)))
        for bad in ["", "2024-13-01T00:00:00Z", "2024-05-01 08:30:00Z", "２０２４-05-01T08:30:00Z", "2024-05-01T08:30:0xZ"] {
            #expect(Store.date(bad) == nil, "\(bad)")
        }
    }
}
