/// A person's role in one organisation.
public enum Role: String, CaseIterable, Sendable, Codable, Comparable {
    case viewer, editor, admin

    private var rank: Int {
        switch self { case .viewer: return 0; case .editor: return 1; case .admin: return 2 }
    }
    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
    public var labelKey: String { "role.\(rawValue)" }
}

/// Who is acting: a signed-in person with their memberships, or nobody.
public struct Actor: Sendable, Equatable {
    public var userID: Int?
    public var isPlatformAdmin: Bool
    /// Role per organisation id.
    public var roles: [Int: Role]
    /// The kind of each organisation the person belongs to (coordinators are associations, agencies, networks).
    public var kinds: [Int: OrganisationKind]

    public init(userID: Int?, isPlatformAdmin: Bool = false, roles: [Int: Role] = [:], kinds: [Int: OrganisationKind] = [:]) {
        self.userID = userID; self.isPlatformAdmin = isPlatformAdmin; self.roles = roles; self.kinds = kinds
    }

    /// True when the person is an editor or administrator of a coordinating organisation.
    public var isCoordinator: Bool {
        roles.contains { id, role in role >= .editor && [.association, .agency, .network].contains(kinds[id] ?? .municipality) }
    }

    public static let anonymous = Actor(userID: nil)
    public var isSignedIn: Bool { userID != nil }
    public func role(in organisation: Int) -> Role? { roles[organisation] }
}

/// Who may do what in the directory and with accounts: the one place that answers it.
public enum DirectoryPermissions {
    public enum Action: Sendable, Equatable {
        /// The public profile and the directory list: everyone.
        case viewPublicProfile
        /// The members list and pending invitations of an organisation.
        case viewMembers(organisation: Int)
        /// Edit the profile facts of an organisation.
        case editProfile(organisation: Int)
        /// Invite people, change roles, remove members.
        case manageMembers(organisation: Int)
        /// Create organisations, import the directory, see everything.
        case administerPlatform
    }

    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        if actor.isPlatformAdmin { return true }
        switch action {
        case .viewPublicProfile: return true
        case .viewMembers(let org): return actor.role(in: org) != nil
        case .editProfile(let org): return actor.role(in: org).map { $0 >= .editor } ?? false
        case .manageMembers(let org): return actor.role(in: org) == .admin
        case .administerPlatform: return false
        }
    }
}
