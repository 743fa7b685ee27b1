/// The roles of Xiezuo's users, as the command line names them.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    case provinceCoordinator = "province-coordinator"
    case prefectureOfficer = "prefecture-officer"
    case countyReporter = "county-reporter"
    case viewer

    /// The region level a role's home region must have (an administrator may sit anywhere).
    public var homeLevels: [RegionLevel] {
        switch self {
        case .admin: return RegionLevel.allCases
        case .provinceCoordinator: return [.province]
        case .prefectureOfficer: return [.prefecture]
        case .countyReporter: return [.county]
        case .viewer: return RegionLevel.allCases
        }
    }
}

public enum AccountState: String, Sendable, Codable { case active, disabled }

/// A user: one role and one home region, which is its scope (and so its side).
public struct UserAccount: Sendable, Hashable, Codable {
    public var id: Int64
    public var username: String
    public var role: Role
    public var regionCode: String
    public var regionLevel: RegionLevel
    public var side: Side
    public var state: AccountState
    /// The person's name and unit (单位), as colleagues know them.
    public var fullName: String
    public var unit: String
    /// Set when an administrator gave the password: the user chooses a new one before anything else.
    public var mustChangePassword: Bool
    public init(
        id: Int64, username: String, role: Role, regionCode: String, regionLevel: RegionLevel, side: Side,
        state: AccountState, fullName: String = "", unit: String = "", mustChangePassword: Bool = false
    ) {
        self.id = id
        self.username = username
        self.role = role
        self.regionCode = regionCode
        self.regionLevel = regionLevel
        self.side = side
        self.state = state
        self.fullName = fullName
        self.unit = unit
        self.mustChangePassword = mustChangePassword
    }

    /// The code prefix of everything inside the user's scope.
    public var scopePrefix: String { Region.scopePrefix(code: regionCode, level: regionLevel) }
}

/// The one place that decides who may read or change what. Every route and query asks here.
public enum AccessRule {
    /// Region data (projects, reports, ledger rows) is readable inside the user's own region; an administrator
    /// reads everything.
    public static func canRead(_ user: UserAccount, regionCode: String) -> Bool {
        guard user.state == .active else { return false }
        return user.role == .admin || regionCode.hasPrefix(user.scopePrefix)
    }

    /// Writing needs a role that writes and the region inside the scope. Viewers never write.
    public static func canWrite(_ user: UserAccount, regionCode: String) -> Bool {
        user.role != .viewer && canRead(user, regionCode: regionCode)
    }

    /// Pairing-level data (an agreement, a joint conference) is visible to users inside either side of the pairing,
    /// and to users whose scope holds either side (a province sees its prefectures' pairings).
    public static func canRead(_ user: UserAccount, pairing: Pairing) -> Bool {
        guard user.state == .active else { return false }
        if user.role == .admin { return true }
        for code in [pairing.eastCode, pairing.westCode] {
            let sidePrefix = Region.scopePrefix(code: code, level: ProjectDraft.levelOf(code))
            if code.hasPrefix(user.scopePrefix) || user.regionCode.hasPrefix(sidePrefix) { return true }
        }
        return false
    }

    /// The region prefixes whose region data (projects, reported figures) a user may read: its own scope, plus the
    /// western regions of pairings in force in `year` whose eastern side lies in its scope — an eastern office follows
    /// what it assists, while it assists it. nil means everything (administrators).
    public static func readablePrefixes(_ user: UserAccount, pairings: [Pairing], year: Int) -> [String]? {
        if user.role == .admin { return nil }
        guard user.state == .active else { return [] }
        var out = [user.scopePrefix]
        for p in pairings where p.eastCode.hasPrefix(user.scopePrefix) && p.isActive(in: year) {
            let west = Region.scopePrefix(code: p.westCode, level: ProjectDraft.levelOf(p.westCode))
            if !out.contains(where: { west.hasPrefix($0) }) { out.append(west) }
        }
        return out
    }

    public static func canRead(_ prefixes: [String]?, regionCode: String) -> Bool {
        prefixes.map { list in list.contains { regionCode.hasPrefix($0) } } ?? true
    }

    /// Agreements and pairings are changed by province coordinators of either side and administrators.
    public static func canManage(_ user: UserAccount, pairing: Pairing) -> Bool {
        guard user.state == .active else { return false }
        return user.role == .admin || (user.role == .provinceCoordinator && canRead(user, pairing: pairing))
    }

    /// Every role but the viewer records data (each within its own scope).
    public static func writesData(_ user: UserAccount) -> Bool { user.role != .viewer }

    /// Accounts are created, unlocked, reset and disabled by administrators only.
    public static func managesUsers(_ user: UserAccount) -> Bool { user.role == .admin }

    /// The assessment's weights are set by the assessing office — administrators — never by the offices of the
    /// pairing being assessed, who see them read-only.
    public static func canSetAssessmentWeights(_ user: UserAccount) -> Bool {
        user.state == .active && user.role == .admin
    }

    /// Each side writes its own text of an assessment — the west its self-assessment, the east its comment — through
    /// an office that organises the pairing's meetings; administrators write either.
    public static func canWriteAssessmentText(_ user: UserAccount, pairing: Pairing, side: Side) -> Bool {
        canOrganise(user, pairing: pairing) && (user.role == .admin || Self.side(of: user, in: pairing) == side)
    }

    /// Meetings of a pairing, their attendees, decisions and follow-up tasks are recorded by the offices of the
    /// pairing's two sides (province coordinators and prefecture officers whose scope holds a side) and administrators.
    public static func canOrganise(_ user: UserAccount, pairing: Pairing) -> Bool {
        guard user.state == .active else { return false }
        if user.role == .admin { return true }
        guard user.role == .provinceCoordinator || user.role == .prefectureOfficer else { return false }
        return [pairing.eastCode, pairing.westCode].contains { $0.hasPrefix(user.scopePrefix) }
    }

    /// The side of a pairing a user speaks for, if any (administrators speak for neither).
    public static func side(of user: UserAccount, in pairing: Pairing) -> Side? {
        guard user.state == .active, user.role != .admin else { return nil }
        if pairing.eastCode.hasPrefix(user.scopePrefix)
            || user.regionCode.hasPrefix(Region.scopePrefix(code: pairing.eastCode, level: ProjectDraft.levelOf(pairing.eastCode)))
        {
            return user.side == .east ? .east : nil
        }
        if pairing.westCode.hasPrefix(user.scopePrefix)
            || user.regionCode.hasPrefix(Region.scopePrefix(code: pairing.westCode, level: ProjectDraft.levelOf(pairing.westCode)))
        {
            return user.side == .west ? .west : nil
        }
        return nil
    }
}

/// Password rules, with messages in both languages: at least 10 characters, letters and digits, not the username.
public enum PasswordRule {
    public static func check(_ password: String, username: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if password.count < 10 { issues.append(.init(field: "password", key: "error.password_short", params: ["10"])) }
        if password.count > 200 { issues.append(.init(field: "password", key: "error.too_long", params: ["200"])) }
        let letters = password.contains { $0.isLetter }
        let digits = password.contains { $0.isNumber }
        if !(letters && digits) { issues.append(.init(field: "password", key: "error.password_mix")) }
        if !username.isEmpty && password.lowercased().contains(username.lowercased()) {
            issues.append(.init(field: "password", key: "error.password_username"))
        }
        return issues
    }

    /// Usernames: 3–40 of a–z, 0–9, ".", "-", "_".
    public static func usernameIssues(_ username: String) -> [ValidationIssue] {
        let ok = (3...40).contains(username.count) && username.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || ".-_".contains($0) }
        return ok ? [] : [.init(field: "username", key: "error.username")]
    }
}
