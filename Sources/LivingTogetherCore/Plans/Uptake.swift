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
    /// `today` decides whether the catalogue's period has ended (a version whose period is over takes no requests).
    public static func check(catalogue: Catalogue, status: CatalogueStatus, selected: [(actionID: String, budget: String)],
                             motivation: String, alreadyRequested: Set<String>, today: Day) -> Result<[Line], FieldErrors> {
        var errors = FieldErrors()
        if status != .published {
            errors.add("catalogue", status == .withdrawn ? "error.uptake.withdrawn" : "error.uptake.unpublished")
        } else if let end = periodEnded(catalogue, today: today) {
            errors.add("catalogue", "error.uptake.periodEnded", [end.description])
        }
        if selected.isEmpty { errors.add("actions", "error.uptake.noAction") }
        var lines: [Line] = []
        var seen = Set<String>()
        for s in selected {
            guard let action = catalogue.action(s.actionID) else { errors.add("actions", "error.uptake.unknownAction", [s.actionID]); continue }
            guard seen.insert(s.actionID).inserted else { continue }
            if alreadyRequested.contains(s.actionID) { errors.add("budget:\(s.actionID)", "error.uptake.alreadyRequested", [action.title("en")]) }
            switch readBudget(s.budget, for: action) {
            case .failure(let p): errors.add("budget:\(s.actionID)", p.key, p.arguments)
            case .success(let b): lines.append(Line(actionID: s.actionID, budget: b))
            }
        }
        let m = motivation.trimmingCharacters(in: .whitespacesAndNewlines)
        if m.isEmpty { errors.add("motivation", "error.uptake.motivationMissing") }
        if m.count > maximumMotivationLength { errors.add("motivation", "error.text.long", [String(maximumMotivationLength)]) }
        return errors.isEmpty ? .success(lines) : .failure(errors)
    }

    /// A decision applies only to an action waiting for one; asking for changes or declining needs a comment.
    /// The most a municipality may ask for an action: its units × euros per unit; nil when the action has no funding.
    public static func budgetCap(_ action: Catalogue.Action) -> Double? {
        guard let f = action.funding, f.amountPerUnit > 0, f.cap > 0 else { return nil }
        return f.amountPerUnit * f.cap
    }

    /// A budget as typed, checked against the action's cap.
    public static func readBudget(_ text: String, for action: Catalogue.Action?) -> Result<Double?, Money.Problem> {
        switch Money.read(text) {
        case .failure(let p): return .failure(p)
        case .success(let b):
            if let b, let action, let cap = budgetCap(action), b > cap { return .failure(.aboveCap(cap: cap)) }
            return .success(b)
        }
    }

    /// The last day of the catalogue's period when it lies before `today`; nil while the period runs.
    public static func periodEnded(_ catalogue: Catalogue, today: Day) -> Day? {
        guard let end = Day(catalogue.period.end), end < today else { return nil }
        return end
    }

    /// Nil when the decision may be taken, else the message key. An approval or a request for changes needs the
    /// catalogue's period to be running (`periodEnded` nil); a decline is always possible.
    public static func checkDecision(_ decision: UptakeDecision, on status: UptakeItemStatus, comment: String,
                                     periodEnded: Day? = nil) -> String? {
        guard status == .pending else { return "error.uptake.notPending" }
        if periodEnded != nil && decision != .decline { return "error.uptake.periodEnded" }
        let c = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision != .approve && c.isEmpty { return "error.uptake.commentNeeded" }
        if c.count > maximumCommentLength { return "error.text.long" }
        return nil
    }
}
