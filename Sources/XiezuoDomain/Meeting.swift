public enum MeetingKind: String, Sendable, Codable, CaseIterable {
    case jointConference = "joint_conference"  // 联席会议
    case workingMeeting = "working_meeting"    // 工作会议
    case studyVisit = "study_visit"            // 考察
}

public struct Meeting: Sendable, Hashable, Codable {
    public var id: Int64
    public var pairingId: Int64
    public var kind: MeetingKind
    public var title: String
    public var date: Day
    public var place: String
    public var summary: String
    public var isDemo: Bool
    public init(id: Int64, pairingId: Int64, kind: MeetingKind, title: String, date: Day, place: String, summary: String,
                isDemo: Bool) {
        self.id = id; self.pairingId = pairingId; self.kind = kind; self.title = title; self.date = date
        self.place = place; self.summary = summary; self.isDemo = isDemo
    }
}
