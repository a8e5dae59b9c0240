import Foundation

/// A rule a participant does not meet, with the value found (nil: the fact was not given).
public struct EligibilityFailure: Sendable, Equatable, CustomStringConvertible {
    public var rule: EligibilityRule
    public var found: FactValue?

    /// The rule's message in `language`, e.g. "Mentees are 18 to 33 years old (given: 41)".
    public func message(_ language: String) -> String {
        let given = language == "nl" ? "opgegeven" : "given"
        let missing = language == "nl" ? "niet opgegeven" : "not given"
        return "\(rule.message(language)) (\(found.map { "\(given): \($0)" } ?? missing))"
    }

    public var description: String { "\(rule.id): \(message("en"))" }
}

/// Checks a participant's facts against a programme's rules.
public enum Eligibility {
    /// The rules that `facts` fail, in the rules' order; empty when the participant may take part. A fact that is
    /// missing, or of another type than the rule tests, fails the rule.
    public static func check(_ facts: [String: FactValue], _ rules: [EligibilityRule]) -> [EligibilityFailure] {
        rules.compactMap { rule in
            let value = facts[rule.field]
            return holds(rule, value) ? nil : EligibilityFailure(rule: rule, found: value)
        }
    }

    /// Whether `facts` meet every rule of `role` in `programme`.
    public static func check(_ facts: [String: FactValue], role: MentoringRole, in programme: ProgrammeRules) -> [EligibilityFailure] {
        check(facts, programme.rules(for: role))
    }

    static func holds(_ rule: EligibilityRule, _ value: FactValue?) -> Bool {
        guard let value else { return false }
        if let e = rule.equals { return value == e }
        if let list = rule.oneOf {
            if case .text(let s) = value { return list.contains(s) }
            return false
        }
        guard case .number(let d) = value, d.isFinite else { return false }
        if let lo = rule.min, d < lo { return false }
        if let hi = rule.max, d > hi { return false }
        return true
    }

    /// Age in whole years on `day`, for a participant born on `born` (both ISO dates, "1999-05-31").
    public static func age(born: String, on day: String) -> Int? {
        func parts(_ s: String) -> (Int, Int, Int)? {
            let p = s.split(separator: "-").compactMap { Int($0) }
            return p.count == 3 ? (p[0], p[1], p[2]) : nil
        }
        guard let b = parts(born), let d = parts(day), (b.0, b.1, b.2) <= (d.0, d.1, d.2) else { return nil }
        return d.0 - b.0 - ((d.1, d.2) < (b.1, b.2) ? 1 : 0)
    }
}

/// Errors of the mentoring domain that a page or the API shows as they are.
public enum MentoringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The participant fails these rules of the programme.
    case ineligible(role: MentoringRole, failures: [EligibilityFailure])
    /// A stage change that jumps over stages: the ones skipped, in order.
    case skippedStages(from: String, to: String, skipped: [String])
    case unknownStage(String)
    /// A trajectory that has not started begins with the first stage.
    case mustStartAtFirstStage(first: String, asked: String)
    /// A mentor given more mentees than its capacity.
    case overCapacity(mentor: Int, capacity: Int, assigned: Int)
    /// A pair the rules forbid (an ineligible participant, or a pair excluded by the coordinator).
    case pairNotAllowed(mentee: Int, mentor: Int)

    public var description: String {
        switch self {
        case .ineligible(let role, let failures):
            return "the \(role.rawValue) does not meet the programme's rules: " + failures.map(\.description).joined(separator: "; ")
        case .skippedStages(let from, let to, let skipped):
            return "moving from \(from) to \(to) would skip \(skipped.joined(separator: ", ")); stages follow one another"
        case .unknownStage(let s): return "\"\(s)\" is not a stage of this programme"
        case .mustStartAtFirstStage(let first, let asked): return "a trajectory starts at \(first), not \(asked)"
        case .overCapacity(let m, let cap, let n): return "mentor \(m) takes \(cap) mentee(s), not \(n)"
        case .pairNotAllowed(let a, let b): return "mentee \(a) and mentor \(b) may not be paired"
        }
    }
}

/// Moves between the stages of a trajectory.
///
/// Decision: a trajectory moves **forward one stage at a time**; skipping is refused with the stages skipped, so
/// that every stage's work (an agreement, a training, an action plan) is at least opened. **Staying** is allowed
/// (a no-op). Moving **back** to any earlier stage is allowed and recorded like any other change: real
/// programmes go back — a duo that breaks up returns to matching, an action plan that the council sends back
/// returns to mentoring — and refusing it would push coordinators to close and reopen trajectories instead.
public enum Trajectory {
    public enum Move: Sendable, Equatable { case start, stay, forward, back(steps: Int) }

    /// Whether a trajectory at `from` (nil: not started) may move to `to`.
    public static func canMove(from: String?, to: String, stages: [ProgrammeRules.Stage]) -> Result<Move, MentoringError> {
        let ids = stages.map(\.id)
        guard let target = ids.firstIndex(of: to) else { return .failure(.unknownStage(to)) }
        guard let from else {
            return target == 0 ? .success(.start) : .failure(.mustStartAtFirstStage(first: ids[0], asked: to))
        }
        guard let current = ids.firstIndex(of: from) else { return .failure(.unknownStage(from)) }
        if target == current { return .success(.stay) }
        if target == current + 1 { return .success(.forward) }
        if target < current { return .success(.back(steps: current - target)) }
        return .failure(.skippedStages(from: from, to: to, skipped: Array(ids[(current + 1)..<target])))
    }
}
