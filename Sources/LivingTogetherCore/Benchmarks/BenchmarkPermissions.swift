/// Who may do what with benchmark frameworks and assessments: the one place that answers it.
public enum BenchmarkPermissions {
    public enum Action: Sendable, Equatable {
        /// Frameworks are open content: everyone reads them.
        case viewFramework
        /// Upload a new framework version: coordinators and platform administrators.
        case uploadFramework
        /// Start, answer, save and submit an assessment of the organisation: its editors and administrators.
        case editAssessments(organisation: Int)
        /// Read the organisation's assessments, drafts and unpublished reports: its members.
        case viewAssessments(organisation: Int)
        /// Read one report: everyone when published, else the organisation's members.
        case viewReport(organisation: Int, published: Bool)
        /// Publish or withdraw a report, and turn gaps into follow-ups: editors and administrators.
        case publishReport(organisation: Int)
    }

    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        if actor.isPlatformAdmin { return true }
        switch action {
        case .viewFramework: return true
        case .uploadFramework: return actor.isCoordinator
        case .editAssessments(let org), .publishReport(let org): return actor.role(in: org).map { $0 >= .editor } ?? false
        case .viewAssessments(let org): return actor.role(in: org) != nil
        case .viewReport(let org, let published): return published || actor.role(in: org) != nil
        }
    }
}
