import Foundation

/// The rules of a mentoring programme, as content: who may take part as a mentee or as a mentor, the stages of a
/// trajectory, the outcome categories, how many mentees a mentor may take, and which facts about a participant
/// the programme keeps. Loaded from a JSON file in `Resources/Mentoring` (schema in its README) and validated
/// before use, like benchmark frameworks and action catalogues; a programme points to the exact version it was
/// opened with, so a version that has been used never changes.
public struct ProgrammeRules: Codable, Sendable, Equatable {
    /// Who the participants are: municipalities (mentor city → mentee city) or people (volunteer → resident).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case cityToCity, personToPerson
    }

    public var id: String
    public var version: Int
    public var kind: Kind
    public var title: LocalizedText
    public var description: LocalizedText
    public var licence: String
    public var sources: [Framework.Source]
    /// The facts the programme keeps about a participant: nothing else is stored (personal data by design).
    public var facts: [Fact]
    /// Every rule must hold for a mentee to be matched.
    public var menteeRules: [EligibilityRule]
    /// Every rule must hold for a mentor to be matched.
    public var mentorRules: [EligibilityRule]
    /// How many mentees a mentor takes when it does not say, and at most.
    public var capacity: Capacity
    /// The stages of a trajectory, in order.
    public var stages: [Stage]
    /// How a trajectory can end.
    public var outcomes: [Outcome]

    /// A fact about a participant that a rule may test: its field name, its type, and its label.
    public struct Fact: Codable, Sendable, Equatable {
        public enum FactType: String, Codable, Sendable { case number, boolean, text }
        /// A field name in lowerCamelCase ("originOutsideEU"): the key of the fact in a participant's record.
        public var id: String
        public var type: FactType
        public var label: LocalizedText
        /// The unit of a number ("years", "hours a week"); optional.
        public var unit: LocalizedText?
        /// A number counted in whole units (an age in years): "27.5" is refused. Absent: decimals are accepted.
        public var wholeNumber: Bool?
    }

    public struct Capacity: Codable, Sendable, Equatable {
        /// Mentees per mentor when the mentor does not state a number.
        public var `default`: Int
        /// The most mentees one mentor may take.
        public var maximum: Int
    }

    public struct Stage: Codable, Sendable, Equatable {
        public var id: String
        public var title: LocalizedText
        public var description: LocalizedText
    }

    public struct Outcome: Codable, Sendable, Equatable {
        public var id: String
        public var title: LocalizedText
        /// Counted among the positive outcomes in the programme's figures.
        public var positive: Bool
    }

    public func fact(_ id: String) -> Fact? { facts.first { $0.id == id } }
    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }
    public func outcome(_ id: String) -> Outcome? { outcomes.first { $0.id == id } }
    public func rules(for role: MentoringRole) -> [EligibilityRule] { role == .mentee ? menteeRules : mentorRules }
    /// The facts asked of one side: those its rules test, in the programme's order. Nothing else is asked or kept
    /// (a mentee is not asked a mentor's commitment).
    public func facts(for role: MentoringRole) -> [Fact] {
        let tested = Set(rules(for: role).map(\.field))
        return facts.filter { tested.contains($0.id) }
    }

    /// Names in `record` that the programme does not declare: they are not to be stored.
    public func undeclaredFacts(_ record: [String: FactValue]) -> [String] {
        let declared = Set(facts.map(\.id))
        return record.keys.filter { !declared.contains($0) }.sorted()
    }
}

/// The two sides of a mentoring pair.
public enum MentoringRole: String, Codable, Sendable, CaseIterable {
    case mentee, mentor
}

/// The value of one fact about a participant: a number, yes/no, or a short text (a CEFR level, a sector id).
public enum FactValue: Codable, Sendable, Equatable, Hashable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByStringLiteral {
    case number(Double)
    case boolean(Bool)
    case text(String)

    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(stringLiteral value: String) { self = .text(value) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .boolean(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .text(s) }
        else { throw DecodingError.typeMismatch(FactValue.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a number, true or false, or a text")) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): try c.encode(d)
        case .boolean(let b): try c.encode(b)
        case .text(let s): try c.encode(s)
        }
    }

    public var type: ProgrammeRules.Fact.FactType {
        switch self { case .number: .number; case .boolean: .boolean; case .text: .text }
    }

    public var number: Double? { if case .number(let d) = self { d } else { nil } }

    public var description: String {
        switch self {
        case .number(let d): d.plainText
        case .boolean(let b): b ? "yes" : "no"
        case .text(let s): s
        }
    }
}

/// One condition on one fact: a range (`min` and/or `max`, both inclusive), one value (`equals`), or a list of
/// allowed texts (`oneOf`). Its message says, in the participant's terms, what the rule asks, so a refusal can
/// name the rule that was not met.
public struct EligibilityRule: Codable, Sendable, Equatable {
    public var id: String
    public var field: String
    public var min: Double?
    public var max: Double?
    public var equals: FactValue?
    public var oneOf: [String]?
    public var message: LocalizedText

    public init(id: String, field: String, min: Double? = nil, max: Double? = nil, equals: FactValue? = nil,
                oneOf: [String]? = nil, message: LocalizedText) {
        self.id = id; self.field = field; self.min = min; self.max = max; self.equals = equals; self.oneOf = oneOf
        self.message = message
    }
}

/// Reads and validates programme rules files. Every problem found is reported, not only the first, each with the
/// file, the path of the field and the problem.
public enum ProgrammeRulesLoader {
    public static func load(_ data: Data, file: String) -> Result<ProgrammeRules, FrameworkProblems> {
        switch ContentChecker.decode(ProgrammeRules.self, from: data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let rules):
            let problems = validate(rules, file: file)
            return problems.isEmpty ? .success(rules) : .failure(FrameworkProblems(problems))
        }
    }

    /// A fact's field name: lowerCamelCase ASCII letters and digits, starting with a lower-case letter.
    static func isFieldName(_ s: String) -> Bool {
        guard let first = s.first, first.isASCII, first.isLowercase else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    public static func validate(_ r: ProgrammeRules, file: String) -> [FrameworkError] {
        var c = ContentChecker(file: file)
        c.identifier(r.id, "id")
        if r.version < 1 { c.fail("version", "must be 1 or more, not \(r.version)") }
        c.text(r.title, "title")
        c.text(r.description, "description")
        if r.licence.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("licence", "is empty") }
        if r.sources.isEmpty { c.fail("sources", "name at least one source") }
        for (i, s) in r.sources.enumerated() where s.title.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("sources[\(i)].title", "is empty") }

        c.unique(r.facts.map(\.id), "facts")
        for (i, f) in r.facts.enumerated() {
            if !isFieldName(f.id) { c.fail("facts[\(i)].id", "\"\(f.id)\" is not a field name (lowerCamelCase ASCII letters and digits, starting with a lower-case letter)") }
            c.text(f.label, "facts[\(i)].label")
            if let u = f.unit {
                c.text(u, "facts[\(i)].unit")
                if f.type != .number { c.fail("facts[\(i)].unit", "only a number has a unit") }
            }
        }
        for role in MentoringRole.allCases {
            let path = role == .mentee ? "menteeRules" : "mentorRules"
            let rules = r.rules(for: role)
            c.unique(rules.map(\.id), path)
            for (i, rule) in rules.enumerated() { check(rule, "\(path)[\(i)]", facts: r.facts, &c) }
        }

        if r.capacity.default < 1 { c.fail("capacity.default", "a mentor takes at least one mentee, not \(r.capacity.default)") }
        if r.capacity.maximum < r.capacity.default { c.fail("capacity.maximum", "is below the default \(r.capacity.default)") }

        if r.stages.count < 2 { c.fail("stages", "a trajectory needs at least two stages") }
        c.unique(r.stages.map(\.id), "stages")
        for (i, s) in r.stages.enumerated() {
            c.identifier(s.id, "stages[\(i)].id")
            c.text(s.title, "stages[\(i)].title")
            c.text(s.description, "stages[\(i)].description")
        }
        if r.outcomes.isEmpty { c.fail("outcomes", "name at least one outcome") }
        if !r.outcomes.contains(where: { !$0.positive }) && !r.outcomes.isEmpty {
            c.fail("outcomes", "name at least one outcome that is not positive (a trajectory can end without result)")
        }
        c.unique(r.outcomes.map(\.id), "outcomes")
        for (i, o) in r.outcomes.enumerated() {
            c.identifier(o.id, "outcomes[\(i)].id")
            c.text(o.title, "outcomes[\(i)].title")
        }
        return c.errors
    }

    static func check(_ rule: EligibilityRule, _ p: String, facts: [ProgrammeRules.Fact], _ c: inout ContentChecker) {
        c.identifier(rule.id, "\(p).id")
        c.text(rule.message, "\(p).message")
        let forms = (rule.min != nil || rule.max != nil ? 1 : 0) + (rule.equals != nil ? 1 : 0) + (rule.oneOf != nil ? 1 : 0)
        if forms != 1 {
            c.fail(p, forms == 0 ? "a rule needs min and/or max, or equals, or oneOf" : "a rule has one of: min and/or max, equals, oneOf — not several")
        }
        guard let fact = facts.first(where: { $0.id == rule.field }) else {
            c.fail("\(p).field", "\"\(rule.field)\" is not one of the declared facts (\(facts.map(\.id).joined(separator: ", ")))")
            return
        }
        if rule.min != nil || rule.max != nil, fact.type != .number {
            c.fail(p, "min and max apply to numbers; \"\(fact.id)\" is \(fact.type.rawValue)")
        }
        if let lo = rule.min, let hi = rule.max, lo > hi { c.fail("\(p).max", "is below min (\(lo))") }
        if let e = rule.equals, e.type != fact.type {
            c.fail("\(p).equals", "\"\(fact.id)\" is \(fact.type.rawValue), the rule compares it with \(e.type.rawValue)")
        }
        if let list = rule.oneOf {
            if fact.type != .text { c.fail("\(p).oneOf", "oneOf applies to texts; \"\(fact.id)\" is \(fact.type.rawValue)") }
            if list.isEmpty { c.fail("\(p).oneOf", "list at least one value") }
            if Set(list).count != list.count { c.fail("\(p).oneOf", "lists a value twice") }
        }
    }
}

/// The programme rules that ship with the platform, as JSON files in `Resources/Mentoring`.
public enum ShippedProgrammeRules {
    public static func url(of name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources/Mentoring")
    }

    /// Every shipped rules file, validated; the problems of every broken file are reported with its file and path, and a
    /// file must be named after the rules it holds ("duo-for-a-job.v1.json").
    public static func load() -> Result<[ProgrammeRules], FrameworkProblems> {
        ShippedContent.load(folder: "Mentoring") { data, file in
            ProgrammeRulesLoader.load(data, file: file).flatMap { r in
                let expected = "\(r.id).v\(r.version).json"
                return file == expected ? .success(r)
                    : .failure(FrameworkProblems([FrameworkError(file: file, path: "", problem: "is named \(file) but holds \(expected)")]))
            }
        }
    }
}
