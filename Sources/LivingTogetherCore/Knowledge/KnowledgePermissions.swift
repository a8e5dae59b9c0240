/// Who may do what in the knowledge library: the one place that answers it. Library editors are the editors and
/// administrators of coordinating organisations (associations, agencies, networks) and platform administrators.
public enum KnowledgePermissions {
    public enum Action: Sendable, Equatable {
        /// Read a record: everyone once published; before, its owner's members and library editors.
        case view(owner: Int?, status: PracticeStatus)
        /// Write a new record for an organisation: its editors and administrators.
        case submit(owner: Int)
        /// Change a record's texts: library editors; its owner's editors while it is a draft or in review.
        case edit(owner: Int?, status: PracticeStatus)
        /// Move a record from one status to another (see `PracticeStatus.next`): library editors any step; its owner's
        /// editors only to send a draft for review or take it back.
        case move(owner: Int?, from: PracticeStatus, to: PracticeStatus)
        /// Confirm that a published record is still true ("still running?"): its owner's editors and library editors.
        case verify(owner: Int?)
        /// Comment on a record without moving it: library editors and its owner's editors.
        case comment(owner: Int?)
        /// The review queue: library editors.
        case review
        /// Tell how a municipality took a published practice over: the municipality's editors.
        case tellTransfer(organisation: Int)
        /// Read an event: everyone once published (or cancelled); a draft: its organiser's members, library editors.
        case viewEvent(owner: Int?, status: EventStatus)
        /// Put an event on the platform for an organisation (nil: the platform's own): its editors; library editors.
        case createEvent(owner: Int?)
        /// Change an event, publish or cancel it, see who registered and their requests, add materials, write to
        /// the attendees: its organisation's editors and library editors.
        case manageEvent(owner: Int?)
        /// Register (and cancel one's own registration): every signed-in person, for a published event.
        case register(status: EventStatus)
    }

    public static func isLibraryEditor(_ actor: Actor) -> Bool { actor.isPlatformAdmin || actor.isCoordinator }

    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        let libraryEditor = isLibraryEditor(actor)
        func member(_ org: Int?) -> Bool { org.map { actor.role(in: $0) != nil } ?? false }
        func editor(_ org: Int?) -> Bool { org.map { (actor.role(in: $0) ?? .viewer) >= .editor } ?? false }
        switch action {
        case .view(let owner, let status): return status == .published || libraryEditor || member(owner)
        case .submit(let owner): return editor(owner)
        case .edit(let owner, let status):
            return libraryEditor || (editor(owner) && (status == .draft || status == .inReview))
        case .move(let owner, let from, let to):
            guard from.next.contains(to) else { return false }
            if libraryEditor { return true }
            return editor(owner) && ((from == .draft && to == .inReview) || (from == .inReview && to == .draft))
        case .verify(let owner), .comment(let owner): return libraryEditor || editor(owner)
        case .review: return libraryEditor
        case .tellTransfer(let org): return editor(org)
        case .viewEvent(let owner, let status): return status != .draft || libraryEditor || member(owner)
        case .createEvent(let owner), .manageEvent(let owner): return libraryEditor || editor(owner)
        case .register(let status): return actor.userID != nil && status == .published
        }
    }
}
