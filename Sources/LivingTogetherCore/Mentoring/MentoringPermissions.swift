/// Who may do what in mentoring programmes and learning networks: the one place that answers it.
///
/// A programme has **staff**: the people named on it (whoever opened it, and those they add). Staff run the
/// programme — enrol, match, confirm rounds, move stages, record outcomes, export figures, and see, export and
/// erase a person's data. Being an administrator of the organising organisation does not make one staff of all its
/// programmes: staff of one programme see nothing of another's participants. A platform administrator may do all.
public enum MentoringPermissions {
    /// What the checks need to know about a programme.
    public struct Programme: Sendable, Equatable {
        public var kind: ProgrammeRules.Kind
        public var organiser: Int
        public var staff: Set<Int>
        public var open: Bool
        public init(kind: ProgrammeRules.Kind, organiser: Int, staff: Set<Int>, open: Bool) {
            self.kind = kind; self.organiser = organiser; self.staff = staff; self.open = open
        }
    }

    /// What the checks need to know about a pair: the municipalities (city-to-city) or the linked accounts
    /// (person-to-person) on each side.
    public struct Pair: Sendable, Equatable {
        public var menteeOrganisation: Int?
        public var mentorOrganisation: Int?
        public var menteeUser: Int?
        public var mentorUser: Int?
        public init(menteeOrganisation: Int? = nil, mentorOrganisation: Int? = nil, menteeUser: Int? = nil, mentorUser: Int? = nil) {
            self.menteeOrganisation = menteeOrganisation; self.mentorOrganisation = mentorOrganisation
            self.menteeUser = menteeUser; self.mentorUser = mentorUser
        }
    }

    public enum Action: Sendable, Equatable {
        /// Open a programme: city-to-city by editors of a coordinating organisation (association, agency, network);
        /// person-to-person by editors of any organisation.
        case createProgramme(kind: ProgrammeRules.Kind, organiser: Int)
        /// Read a programme's page: a city-to-city programme is public (municipalities, pairs, stages, figures); a
        /// person-to-person programme only to its staff.
        case viewProgramme(Programme)
        /// Run the programme: enrol, suggestions, rounds, stages, outcomes, staff, figures, a person's data.
        case manageProgramme(Programme)
        /// Read a participant with its suggested mentors: staff; for a city-to-city participant also the members of its
        /// municipality (a person's data stays with the staff).
        case viewParticipant(Programme, organisation: Int?)
        /// Enrol one's own municipality in an open city-to-city programme: its editors (staff enrol anyone).
        case enrolOrganisation(Programme, organisation: Int)
        /// Read a trajectory with its agreement, logbook, action plan and evaluations: staff, the members of the two
        /// municipalities (city-to-city), the two people's own accounts (person-to-person: a mentor sees their own
        /// mentees only).
        case viewTrajectory(Programme, Pair)
        /// Write in a trajectory (logbook, agreement, action plan, evaluation): staff, the editors of the two
        /// municipalities, the two people's own accounts.
        case writeTrajectory(Programme, Pair)
        /// Evaluate as one side: staff, or that side (its municipality's editors, or its person's account).
        case evaluate(Programme, Pair, side: MentoringRole)
        /// See learning networks and their sessions: everyone signed in.
        case viewNetworks
        /// Host a learning network: editors of the hosting organisation.
        case hostNetwork(host: Int)
        /// Change a network, its members, sessions and attendance: the host's editors.
        case manageNetwork(host: Int)
    }

    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        if actor.isPlatformAdmin { return true }
        func editor(_ org: Int?) -> Bool { org.flatMap { actor.role(in: $0) }.map { $0 >= .editor } ?? false }
        func member(_ org: Int?) -> Bool { org.flatMap { actor.role(in: $0) } != nil }
        func staff(_ p: Programme) -> Bool { actor.userID.map { p.staff.contains($0) } ?? false }
        func me(_ user: Int?) -> Bool { user != nil && actor.userID == user }
        switch action {
        case .createProgramme(let kind, let organiser):
            guard editor(organiser) else { return false }
            return kind == .personToPerson || [.association, .agency, .network].contains(actor.kinds[organiser] ?? .municipality)
        case .viewProgramme(let p):
            return p.kind == .cityToCity || staff(p)
        case .manageProgramme(let p):
            return staff(p)
        case .viewParticipant(let p, let org):
            return staff(p) || (p.kind == .cityToCity && member(org))
        case .enrolOrganisation(let p, let org):
            return staff(p) || (p.kind == .cityToCity && p.open && editor(org) && actor.kinds[org] == .municipality)
        case .viewTrajectory(let p, let pair):
            if staff(p) { return true }
            return p.kind == .cityToCity ? member(pair.menteeOrganisation) || member(pair.mentorOrganisation)
                                         : me(pair.mentorUser) || me(pair.menteeUser)
        case .writeTrajectory(let p, let pair):
            if staff(p) { return true }
            return p.kind == .cityToCity ? editor(pair.menteeOrganisation) || editor(pair.mentorOrganisation)
                                         : me(pair.mentorUser) || me(pair.menteeUser)
        case .evaluate(let p, let pair, let side):
            if staff(p) { return true }
            if p.kind == .cityToCity { return editor(side == .mentee ? pair.menteeOrganisation : pair.mentorOrganisation) }
            return me(side == .mentee ? pair.menteeUser : pair.mentorUser)
        case .viewNetworks:
            return actor.isSignedIn
        case .hostNetwork(let host), .manageNetwork(let host):
            return editor(host)
        }
    }
}
