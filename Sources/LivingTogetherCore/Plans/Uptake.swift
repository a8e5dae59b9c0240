import Foundation

/// Taking up actions from a published catalogue: one request for several actions, decided per action
/// by the coordinator, every step kept.
public enum UptakeItemStatus: String, Codable, Sendable, CaseIterable {
    case pending, approved, changesRequested = "changes_requested", declined
}

public enum UptakeDecision: String, Codable, Sendable, CaseIterable {
    case approve, requestChanges = "request_changes", decline

    public var resultingStatus: UptakeItemStatus {
        switch self { case .approve: return .approved; case .requestChanges: return .changesRequested; case .decline: return .declined }
    }
}

/// The state of a whole request, from its items.
public enum UptakeRequestStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for the coordinator on at least one action.
    case submitted
    /// The coordinator asked for a change on at least one action: the municipality's turn.
    case changesRequested = "changes_requested"
    /// Every action approved or declined.
    case decided

    public static func of(_ items: [UptakeItemStatus]) -> UptakeRequestStatus {
        if items.contains(.changesRequested) { return .changesRequested }
        if items.contains(.pending) { return .submitted }
        return .decided
    }
}

/// Catalogue versions are drafts until their coordinator publishes them; a withdrawn version takes no new requests.
public enum CatalogueStatus: String, Codable, Sendable, CaseIterable {
    case draft, published, withdrawn
}

public enum UptakeRules {
    public static let maximumMotivationLength = 2_000
    public static let maximumCommentLength = 2_000

    public struct Line: Sendable, Equatable {
        public var actionID: String
        public var budget: Double?
        public init(actionID: String, budget: Double?) { self.actionID = actionID; self.budget = budget }
    }

    /// Checks a new request. `selected` are the chosen action ids with the budget as typed;
    /// `alreadyRequested` the actions the municipality has pending or approved from this catalogue.
    /// Errors are keyed by form field: "actions", "budget:ACTION", "motivation", "catalogue".
    public static func check(catalogue: Catalogue, status: CatalogueStatus, selected: [(actionID: String, budget: String)],
                             motivation: String, alreadyRequested: Set<String>) -> Result<[Line], FieldErrors> {
        var errors = FieldErrors()
        if status != .published {
            errors.add("catalogue", status == .withdrawn ? "error.uptake.withdrawn" : "error.uptake.unpublished")
        }
        if selected.isEmpty { errors.add("actions", "error.uptake.noAction") }
        var lines: [Line] = []
        var seen = Set<String>()
        for s in selected {
            guard let action = catalogue.action(s.actionID) else { errors.add("actions", "error.uptake.unknownAction", [s.actionID]); continue }
            guard seen.insert(s.actionID).inserted else { continue }
            if alreadyRequested.contains(s.actionID) { errors.add("budget:\(s.actionID)", "error.uptake.alreadyRequested", [action.title("en")]) }
            switch Money.read(s.budget) {
            case .failure(.negative): errors.add("budget:\(s.actionID)", "error.budget.negative")
            case .failure: errors.add("budget:\(s.actionID)", "error.budget.notANumber", [s.budget])
            case .success(let b): lines.append(Line(actionID: s.actionID, budget: b))
            }
        }
        let m = motivation.trimmingCharacters(in: .whitespacesAndNewlines)
        if m.isEmpty { errors.add("motivation", "error.uptake.motivationMissing") }
        if m.count > maximumMotivationLength { errors.add("motivation", "error.text.long", [String(maximumMotivationLength)]) }
        return errors.isEmpty ? .success(lines) : .failure(errors)
    }

    /// A decision applies only to an action waiting for one; asking for changes or declining needs a comment.
    public static func checkDecision(_ decision: UptakeDecision, on status: UptakeItemStatus, comment: String) -> String? {
        guard status == .pending else { return "error.uptake.notPending" }
        let c = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision != .approve && c.isEmpty { return "error.uptake.commentNeeded" }
        if c.count > maximumCommentLength { return "error.text.long" }
        return nil
    }
}
