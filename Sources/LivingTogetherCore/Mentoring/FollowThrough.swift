import Foundation

/// Reading a participant's facts as a form or an API body gives them: every fact the programme declares is asked
/// for, read by its type, and nothing else is kept.
public enum FactInput {
    /// Reads `raw` (fact id → typed text: "27", "2,5", "yes"/"no") against the facts asked of `role` (those its rules
    /// test); any other fact given is ignored, never kept. Errors are keyed "fact_<id>" with a message key and the
    /// fact's label in `language`.
    public static func read(_ raw: [String: String], rules: ProgrammeRules, role: MentoringRole,
                            language: String) -> Result<[String: FactValue], FieldErrors> {
        var errors = FieldErrors()
        var out: [String: FactValue] = [:]
        for fact in rules.facts(for: role) {
            let field = "fact_\(fact.id)"
            let text = (raw[fact.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let label = fact.label(language)
            if text.isEmpty { errors.add(field, "error.fact.missing", [label]); continue }
            switch fact.type {
            case .number:
                let normalised = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
                guard let d = Numbers.read(normalised), d >= 0, d < 1_000_000 else {
                    errors.add(field, "error.fact.number", [label, text]); continue
                }
                if fact.wholeNumber == true && d.rounded() != d { errors.add(field, "error.fact.whole", [label, text]); continue }
                out[fact.id] = .number(d)
            case .boolean:
                switch text.lowercased() {
                case "yes", "true", "1", "ja", "on": out[fact.id] = .boolean(true)
                case "no", "false", "0", "nee", "off": out[fact.id] = .boolean(false)
                default: errors.add(field, "error.fact.boolean", [label, text])
                }
            case .text:
                guard text.count <= 200 else { errors.add(field, "error.text.long", ["200"]); continue }
                out[fact.id] = .text(text)
            }
        }
        return errors.isEmpty ? .success(out) : .failure(errors)
    }

    /// The failed rules as field errors ("fact_<field>"), each with the rule's own message and the value given.
    public static func errors(_ failures: [EligibilityFailure], language: String) -> FieldErrors {
        var e = FieldErrors()
        for f in failures { e.add("fact_\(f.rule.field)", "error.mentoring.rule", [f.message(language), f.rule.id]) }
        return e
    }
}

/// The days a trajectory's records carry. A pair is confirmed some time after its programme starts, and cities and
/// people often meet, visit or sign their agreement in between: a logbook entry and an agreement may carry any day
/// from the programme's start (or the pair's start, when that is earlier) to today. The end comes after the start.
public enum PairDates {
    /// The first day a logbook entry or an agreement may carry.
    public static func earliest(programmeStart: Day?, pairStarted: Day?) -> Day? {
        switch (programmeStart, pairStarted) {
        case let (p?, s?): return min(p, s)
        case let (p?, nil): return p
        case let (nil, s): return s
        }
    }

    /// Reads a day of a trajectory's record into `field`: a real day, not after `today`, not before `earliest`
    /// (named with `beforeKey`: the programme's start or the trajectory's).
    public static func read(_ text: String, field: String, earliest: Day?, beforeKey: String = "error.pair.beforeProgramme",
                            today: Day, into e: inout FieldErrors) -> Day? {
        let d = Day(text.trimmingCharacters(in: .whitespaces))
        guard let d else { e.addUnreadableDate(field, text); return nil }
        if d > today { e.add(field, "error.day.future", [d.description, today.description]); return nil }
        if let earliest, d < earliest { e.add(field, beforeKey, [earliest.description]); return nil }
        return d
    }
}

/// A logbook entry of a trajectory: a contact, a visit, a meeting, a training or an event, on a day that has
/// passed, with what happened.
public enum LogbookRules {
    public static let kinds = ["contact", "work-visit", "meeting", "training", "event"]
    public static let maximumTextLength = 10_000

    /// Checks an entry: a real day from `earliest` (see `PairDates`) to `today`; a known kind; a note.
    public static func check(day: String, kind: String, note: String, earliest: Day?, today: Day) -> Result<(Day, String, String), FieldErrors> {
        var e = FieldErrors()
        let d = PairDates.read(day, field: "day", earliest: earliest, today: today, into: &e)
        if !kinds.contains(kind) { e.add("kind", "error.choice.unknown") }
        let n = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if n.isEmpty { e.add("note", "error.logbook.noteMissing") }
        if n.count > maximumTextLength { e.add("note", "error.text.long", [String(maximumTextLength)]) }
        guard e.isEmpty, let d else { return .failure(e) }
        return .success((d, kind, n))
    }
}

/// Ending a trajectory with its outcome. The outcome is chosen, never defaulted; it belongs to the last stage (the
/// evaluation). A trajectory ended before it needs an explicit confirmation and the reason, kept in its history.
public enum OutcomeRules {
    public static let maximumReasonLength = 1_000

    /// Whether a trajectory at `stage` is at its evaluation (the programme's last stage).
    public static func atEvaluation(_ stage: String, rules: ProgrammeRules) -> Bool { rules.stages.last?.id == stage }

    /// The errors of an outcome form: "outcome" (none chosen, or unknown), "confirm_early" (not confirmed before the
    /// evaluation) and "early_reason" (missing or too long before the evaluation).
    public static func check(outcome: String, stage: String, rules: ProgrammeRules, confirmEarly: Bool,
                             reason: String, language: String) -> FieldErrors {
        var e = FieldErrors()
        let chosen = outcome.trimmingCharacters(in: .whitespacesAndNewlines)
        if chosen.isEmpty { e.add("outcome", "error.outcome.missing") }
        else if rules.outcome(chosen) == nil { e.add("outcome", "error.choice.unknown") }
        guard !atEvaluation(stage, rules: rules) else { return e }
        let last = rules.stages.last.map { $0.title(language) } ?? ""
        if !confirmEarly { e.add("confirm_early", "error.outcome.early", [last]) }
        let r = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if r.isEmpty { e.add("early_reason", "error.outcome.reasonMissing") }
        if r.count > maximumReasonLength { e.add("early_reason", "error.text.long", [String(maximumReasonLength)]) }
        return e
    }
}

/// A programme's figures: duos matched, active and ended, and how the ended ones ended.
public struct ProgrammeFigures: Sendable, Equatable {
    public struct OutcomeShare: Sendable, Equatable {
        public var outcome: String
        public var positive: Bool
        public var count: Int
        /// Share of the ended trajectories, in percent (one decimal).
        public var percent: Double
    }
    public var matched: Int
    public var active: Int
    public var ended: Int
    public var outcomes: [OutcomeShare]
    /// Share of ended trajectories with a positive outcome, in percent; nil when none ended.
    public var positivePercent: Double?
    public struct StageCount: Sendable, Equatable {
        public var stage: String
        public var count: Int
    }
    /// Active trajectories per stage id, in the programme's stage order.
    public var byStage: [StageCount]

    /// `pairs`: each trajectory's current stage and, once ended, its outcome id.
    public init(pairs: [(stage: String, outcome: String?)], rules: ProgrammeRules) {
        matched = pairs.count
        let endedPairs = pairs.compactMap(\.outcome)
        let ended = endedPairs.count
        self.ended = ended
        active = matched - ended
        func pct(_ n: Int) -> Double { ended == 0 ? 0 : (Double(n) * 1000 / Double(ended)).rounded() / 10 }
        outcomes = rules.outcomes.map { o in
            let n = endedPairs.filter { $0 == o.id }.count
            return OutcomeShare(outcome: o.id, positive: o.positive, count: n, percent: pct(n))
        }
        let positive = Set(rules.outcomes.filter(\.positive).map(\.id))
        positivePercent = ended == 0 ? nil : pct(endedPairs.filter { positive.contains($0) }.count)
        byStage = rules.stages.map { s in StageCount(stage: s.id, count: pairs.filter { $0.outcome == nil && $0.stage == s.id }.count) }
    }
}
