/// Who may do what in the participation programme: the one place that answers it. An activity belongs to its
/// organiser (an organisation of the directory); a person's hours are theirs, and a counsellor sees them only after
/// the person gave that counsellor access.
public enum ParticipationPermissions {
    public enum Action: Sendable, Equatable {
        /// Read an activity: everyone once published; a draft, its organiser's members and platform administrators.
        case view(organiser: Int, published: Bool)
        /// Put an activity on the platform for an organisation: its editors and administrators.
        case create(organiser: Int)
        /// Change an activity, see who registered, record attendance, read its figures: the organiser's editors and
        /// administrators, platform administrators.
        case manage(organiser: Int)
        /// Register for a published activity, see one's own hours, give or take back a counsellor's access, export or
        /// erase one's data: every signed-in person.
        case takePart
        /// Read one person's progress: the counsellors that person gave access to, nobody else.
        case followPerson(granted: Bool)
        /// Read the figures of the activities in a municipality: its members and platform administrators.
        case municipalityFigures(municipality: Int)
    }

    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        func member(_ org: Int) -> Bool { actor.role(in: org) != nil }
        func editor(_ org: Int) -> Bool { (actor.role(in: org) ?? .viewer) >= .editor }
        switch action {
        case .view(let organiser, let published): return published || actor.isPlatformAdmin || member(organiser)
        case .create(let organiser): return editor(organiser)
        case .manage(let organiser): return actor.isPlatformAdmin || editor(organiser)
        case .takePart: return actor.userID != nil
        case .followPerson(let granted): return actor.userID != nil && granted
        case .municipalityFigures(let m): return actor.isPlatformAdmin || member(m)
        }
    }
}
