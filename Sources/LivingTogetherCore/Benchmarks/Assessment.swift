import Foundation

/// How far one kind of evidence shows a key factor in place (graded as Welcoming Cities users know it).
public enum EvidenceGrade: String, CaseIterable, Codable, Sendable {
    case notAssessed = "not-assessed"
    case none = "does-not-comply"
    case partial = "partially"
    case full = "fully"
    public var labelKey: String { "evidence.grade.\(rawValue)" }
}

/// The three kinds of evidence: written policy, how the municipality itself works, what reaches residents.
public enum EvidenceKind: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case policy
    case internalImplementation = "internal"
    case externalImplementation = "external"
    public var labelKey: String { "evidence.kind.\(rawValue)" }
}

/// A rating of one key factor.
public struct Rating: Codable, Sendable, Equatable {
    public var level: Int?
    public var evidence: [EvidenceKind: EvidenceGrade]
    /// What shows it: documents, figures, links.
    public var evidenceText: String
    public var comments: String

    public init(level: Int? = nil, evidence: [EvidenceKind: EvidenceGrade] = [:], evidenceText: String = "", comments: String = "") {
        self.level = level; self.evidence = evidence; self.evidenceText = evidenceText; self.comments = comments
    }

    enum CodingKeys: String, CodingKey { case level, evidence, evidenceText, comments }

    /// Fields left out (by an API client) take their empty value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decodeIfPresent(Int.self, forKey: .level)
        evidence = try c.decodeIfPresent([EvidenceKind: EvidenceGrade].self, forKey: .evidence) ?? [:]
        evidenceText = try c.decodeIfPresent(String.self, forKey: .evidenceText) ?? ""
        comments = try c.decodeIfPresent(String.self, forKey: .comments) ?? ""
    }
}

/// Everything a municipality enters in one assessment.
public struct AssessmentContent: Codable, Sendable, Equatable {
    /// Answers to guiding questions, keyed "keyFactorID/questionID".
    public var answers: [String: String]
    /// Ratings keyed by key factor id.
    public var ratings: [String: Rating]
    /// Notes on the context factors, keyed by context factor id.
    public var context: [String: String]

    public init(answers: [String: String] = [:], ratings: [String: Rating] = [:], context: [String: String] = [:]) {
        self.answers = answers; self.ratings = ratings; self.context = context
    }

    enum CodingKeys: String, CodingKey { case answers, ratings, context }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        answers = try c.decodeIfPresent([String: String].self, forKey: .answers) ?? [:]
        ratings = try c.decodeIfPresent([String: Rating].self, forKey: .ratings) ?? [:]
        context = try c.decodeIfPresent([String: String].self, forKey: .context) ?? [:]
    }

    /// Entered text longer than this is refused.
    public static let maximumTextLength = 10_000

    /// Checks that everything refers to the framework version and stays within its scale. Nothing
    /// half-checked: all problems are returned, each under the field it concerns.
    public func problems(against framework: Framework) -> [AssessmentProblem] {
        var out: [AssessmentProblem] = []
        let questions = framework.questionKeys
        for key in answers.keys.sorted() where !questions.contains(key) {
            out.append(.init(field: "answers.\(key)", kind: .unknownQuestion(key)))
        }
        let contextIDs = Set(framework.contextFactors.map(\.id))
        for key in context.keys.sorted() where !contextIDs.contains(key) {
            out.append(.init(field: "context.\(key)", kind: .unknownContextFactor(key)))
        }
        let range = framework.scale.values
        for (id, rating) in ratings.sorted(by: { $0.key < $1.key }) {
            guard framework.keyFactor(id) != nil else { out.append(.init(field: "ratings.\(id)", kind: .unknownKeyFactor(id))); continue }
            if let level = rating.level, !range.contains(level) {
                out.append(.init(field: "ratings.\(id).level", kind: .levelOutsideScale(level, range)))
            }
        }
        for (key, text) in answers where text.count > Self.maximumTextLength { out.append(.init(field: "answers.\(key)", kind: .tooLong)) }
        for (key, text) in context where text.count > Self.maximumTextLength { out.append(.init(field: "context.\(key)", kind: .tooLong)) }
        for (id, r) in ratings {
            if r.evidenceText.count > Self.maximumTextLength { out.append(.init(field: "ratings.\(id).evidenceText", kind: .tooLong)) }
            if r.comments.count > Self.maximumTextLength { out.append(.init(field: "ratings.\(id).comments", kind: .tooLong)) }
        }
        return out
    }

    /// The key factors that still lack a rating, in the framework's order.
    public func unrated(in framework: Framework) -> [String] {
        framework.keyFactors.map(\.id).filter { ratings[$0]?.level == nil }
    }
}

public struct AssessmentProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case unknownQuestion(String)
        case unknownKeyFactor(String)
        case unknownContextFactor(String)
        case levelOutsideScale(Int, ClosedRange<Int>)
        case tooLong
        case unrated([String])
    }
    public var field: String
    public var kind: Kind
    public init(field: String, kind: Kind) { self.field = field; self.kind = kind }

    public var description: String {
        switch kind {
        case .unknownQuestion(let q): return "\(field): \"\(q)\" is not a guiding question of this framework version"
        case .unknownKeyFactor(let k): return "\(field): \"\(k)\" is not a key factor of this framework version"
        case .unknownContextFactor(let c): return "\(field): \"\(c)\" is not a context factor of this framework version"
        case .levelOutsideScale(let l, let r): return "\(field): level \(l) is outside the scale \(r.lowerBound)–\(r.upperBound)"
        case .tooLong: return "\(field): the text is longer than \(AssessmentContent.maximumTextLength) characters"
        case .unrated(let ids): return "\(field): these key factors lack a rating: \(ids.joined(separator: ", "))"
        }
    }
}

/// One changed field of an assessment, for its history.
public struct FieldChange: Codable, Sendable, Equatable {
    public var field: String
    public var before: String
    public var after: String
    public init(field: String, before: String, after: String) { self.field = field; self.before = before; self.after = after }
}

extension AssessmentContent {
    /// The fields that differ from `old`, in the framework's order where it has one.
    public func changes(from old: AssessmentContent, limit: Int = 300) -> [FieldChange] {
        var out: [FieldChange] = []
        func cut(_ s: String) -> String { s.count > limit ? String(s.prefix(limit)) + "…" : s }
        func add(_ field: String, _ a: String, _ b: String) { if a != b { out.append(FieldChange(field: field, before: cut(a), after: cut(b))) } }
        for key in Set(old.answers.keys).union(answers.keys).sorted() { add("answers.\(key)", old.answers[key] ?? "", answers[key] ?? "") }
        for key in Set(old.ratings.keys).union(ratings.keys).sorted() {
            let a = old.ratings[key] ?? Rating(), b = ratings[key] ?? Rating()
            add("ratings.\(key).level", a.level.map(String.init) ?? "", b.level.map(String.init) ?? "")
            for kind in EvidenceKind.allCases {
                add("ratings.\(key).evidence.\(kind.rawValue)", (a.evidence[kind] ?? .notAssessed).rawValue, (b.evidence[kind] ?? .notAssessed).rawValue)
            }
            add("ratings.\(key).evidenceText", a.evidenceText, b.evidenceText)
            add("ratings.\(key).comments", a.comments, b.comments)
        }
        for key in Set(old.context.keys).union(context.keys).sorted() { add("context.\(key)", old.context[key] ?? "", context[key] ?? "") }
        return out
    }
}
