/// Who may do what with catalogues, uptake requests and action plans: the one place that answers it.
public enum PlanPermissions {
    public enum Action: Sendable, Equatable {
        /// Upload a new catalogue version (as a draft): coordinators and platform administrators.
        case uploadCatalogue
        /// Read a catalogue version: everyone once published (withdrawn ones stay readable as history);
        /// drafts only the publishing organisation's members.
        case viewCatalogue(publisher: Int?, published: Bool)
        /// Publish or withdraw a version: editors and administrators of the publisher (any coordinator for
        /// a shipped catalogue that no organisation publishes yet).
        case manageCatalogue(publisher: Int?)
        /// Request actions for a municipality, and revise the request: its editors and administrators.
        case requestUptake(organisation: Int)
        /// Read a request and its history: the requesting municipality's members and the coordinator's members.
        case viewRequest(organisation: Int, coordinator: Int?)
        /// Approve, ask for changes, decline: the coordinator's editors and administrators.
        case decideRequest(coordinator: Int?)
        /// The coordinator's view of a catalogue and its exports: the publisher's members.
        case viewCoordination(publisher: Int?)
        /// Read a plan: everyone once the municipality publishes it, else its members.
        case viewPlan(organisation: Int, published: Bool)
        /// Read one action of a plan: as the plan, and the members of its partner organisations.
        case viewPlanAction(organisation: Int, published: Bool, partners: [Int])
        /// Change the plan, its actions, indicators and updates: the municipality's editors and administrators.
        case editPlan(organisation: Int)
        /// Report indicator values: editors of the municipality and of the action's partner organisations.
        case reportValues(organisation: Int, partners: [Int])
        /// Take back a reported value: editors of the municipality and of the organisation that reported it.
        case removeValue(organisation: Int, reporter: Int)
    }

    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        if actor.isPlatformAdmin { return true }
        func editor(_ org: Int?) -> Bool { org.flatMap { actor.role(in: $0) }.map { $0 >= .editor } ?? false }
        func member(_ org: Int?) -> Bool { org.flatMap { actor.role(in: $0) } != nil }
        switch action {
        case .uploadCatalogue: return actor.isCoordinator
        case .viewCatalogue(let publisher, let published): return published || member(publisher) || (publisher == nil && actor.isCoordinator)
        case .manageCatalogue(let publisher): return publisher == nil ? actor.isCoordinator : editor(publisher)
        case .requestUptake(let org): return editor(org)
        case .viewRequest(let org, let coordinator): return member(org) || member(coordinator)
        case .decideRequest(let coordinator): return editor(coordinator)
        case .viewCoordination(let publisher): return member(publisher)
        case .viewPlan(let org, let published): return published || member(org)
        case .viewPlanAction(let org, let published, let partners): return published || member(org) || partners.contains { member($0) }
        case .editPlan(let org): return editor(org)
        case .reportValues(let org, let partners): return editor(org) || partners.contains { editor($0) }
        case .removeValue(let org, let reporter): return editor(org) || editor(reporter)
        }
    }
}
