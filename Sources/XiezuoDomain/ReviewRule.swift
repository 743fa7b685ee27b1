/// Who made a reported figure or ledger row what it is: the user who created it, who last changed it, who submitted
/// it for review, who approved it, and (for ledger rows) who of the eastern partner confirmed it. Kept on the record
/// and shown with it, so the year-end assessment rests on figures checked by someone other than their author.
public struct Authorship: Sendable, Hashable, Codable {
    public var createdBy: String?
    public var changedBy: String?
    public var submittedBy: String?
    public var approvedBy: String?
    public var confirmedBy: String?
    public init(
        createdBy: String? = nil, changedBy: String? = nil, submittedBy: String? = nil, approvedBy: String? = nil,
        confirmedBy: String? = nil
    ) {
        self.createdBy = createdBy
        self.changedBy = changedBy
        self.submittedBy = submittedBy
        self.approvedBy = approvedBy
        self.confirmedBy = confirmedBy
    }

    /// Whether `username` made the data what it is (created, last changed or submitted it).
    public func isAuthor(_ username: String?) -> Bool {
        guard let username else { return false }
        return [createdBy, changedBy, submittedBy].contains(username)
    }
}

/// The one rule for approving what the assessment is computed from (reported figures, ledger rows).
public enum ReviewRule {
    /// The reviewing level above the data's region, on the region's own side (the western side for western
    /// counties: the side being assessed), inside the reviewer's own scope — never through a pairing — and never
    /// the data's own author. Administrators approve anywhere, but not their own work either.
    public static func mayApprove(_ user: UserAccount, region: Region, authors: Authorship) -> Bool {
        guard mayReview(user, region: region) else { return false }
        return !authors.isAuthor(user.username)
    }

    /// The roles that review the levels below them (figures and ledger rows).
    public static func isReviewer(_ user: UserAccount) -> Bool {
        user.state == .active && [.admin, .provinceCoordinator, .prefectureOfficer].contains(user.role)
    }

    /// Who approves ledger rows: a western reviewer (the eastern partner records and confirms only), or an administrator.
    public static func approvesLedgerRows(_ user: UserAccount) -> Bool {
        isReviewer(user) && (user.role == .admin || user.side == .west)
    }

    /// The same without the author check: whether the user reviews this region's data at all (for queues and lists).
    public static func mayReview(_ user: UserAccount, region: Region) -> Bool {
        guard isReviewer(user) else { return false }
        if user.role == .admin { return true }
        return user.side == region.side && region.code.hasPrefix(user.scopePrefix) && user.regionLevel < region.level
    }

    /// The eastern partner's confirmation of a western row: an office of the other side that follows the county
    /// through its pairing (`readable`), not the row's author. It marks the row; it never approves it.
    public static func mayConfirm(_ user: UserAccount, region: Region, readable: [String]?, authors: Authorship) -> Bool {
        guard user.state == .active, user.role != .viewer, user.role != .admin, user.side != region.side else { return false }
        return AccessRule.canRead(readable, regionCode: region.code) && !authors.isAuthor(user.username)
    }
}
