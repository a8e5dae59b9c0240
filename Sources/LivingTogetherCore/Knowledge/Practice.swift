import Foundation

/// A good practice or a tool of the knowledge library: what a municipality did, how, with what result and what it
/// learnt, tagged with the benchmarks' themes and key factors, the catalogue's actions and the context it suits.
/// Texts are in English and Dutch; each language says whether a person or a machine wrote it.
public struct Practice: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case practice, tool }
    /// How one language version of the texts was made.
    public enum Translation: String, Codable, Sendable { case human, machine }
    public enum BudgetBand: String, Codable, Sendable, CaseIterable { case small, medium, large, unknown }

    public struct Step: Codable, Sendable, Equatable {
        public var title: LocalizedText
        public var text: LocalizedText
    }

    public struct Source: Codable, Sendable, Equatable {
        public var document: String
        public var title: String
        public var `where`: String
    }

    public var id: String
    public var kind: Kind
    public var title: LocalizedText
    public var summary: LocalizedText
    public var issue: LocalizedText
    public var howItWorks: LocalizedText
    public var results: LocalizedText
    public var evaluation: LocalizedText
    public var beneficiaries: LocalizedText
    public var staff: LocalizedText
    public var budgetBand: BudgetBand
    public var duration: LocalizedText
    public var funding: LocalizedText
    /// A year ("2019") or "unknown".
    public var start: String
    /// A year, or nil while it runs or when unknown.
    public var end: String?
    public var stillRunning: Bool?
    /// Organisation names as the directory lists them.
    public var organisations: [String]
    public var country: String
    public var contact: String?
    /// The languages the practice itself works in (ISO 639-1).
    public var languages: [String]
    public var translations: [String: Translation]
    public var themes: [String]
    public var keyFactors: [String]
    public var catalogueActions: [String]
    public var sizeBands: [SizeBand]
    public var competences: LocalizedText
    public var steps: [Step]
    public var durationMinutes: Int?
    public var groupSize: String?
    public var materials: LocalizedText?
    public var source: Source?

    /// The longest summary, in characters: a summary is read in a list.
    public static let maximumSummaryLength = 300

    /// The texts of the record in `language`, for search: title, summary, and the body.
    public func searchTexts(_ language: String) -> (title: String, summary: String, body: String) {
        let body = [issue, howItWorks, results, evaluation, beneficiaries, competences].map { $0.values[language] ?? "" }
            + steps.flatMap { [$0.title.values[language] ?? "", $0.text.values[language] ?? ""] }
            + [materials?.values[language] ?? ""]
        return (title.values[language] ?? "", summary.values[language] ?? "", body.joined(separator: "\n"))
    }

    /// Whether the record has been marked as running on, for the "still running?" question.
    public var isRunning: Bool { stillRunning == true && end == nil }
}

/// The shipped library: a versioned file of records with its licence.
public struct PracticeLibrary: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var licence: String
    public var title: LocalizedText
    public var records: [Practice]
}

/// A record's place in the review: members submit, a library editor reviews and publishes; an archived record is
/// no longer listed.
public enum PracticeStatus: String, Codable, Sendable, CaseIterable {
    case draft, inReview = "in-review", published, archived

    /// The statuses a library editor may move a record to from this one.
    public var next: [PracticeStatus] {
        switch self {
        case .draft: return [.inReview]
        case .inReview: return [.published, .draft]
        case .published: return [.archived, .inReview]
        case .archived: return [.published]
        }
    }

    public var labelKey: String { "practiceStatus.\(rawValue)" }
}

/// When a published record is stale: not verified for a year ("still running?" is asked of its owner).
public enum PracticeFreshness {
    public static let verifyEveryMonths = 12

    public static func isStale(lastVerified: Day?, today: Day) -> Bool {
        guard let lastVerified else { return true }
        return lastVerified.adding(months: verifyEveryMonths) < today
    }
}

public enum PracticeLoader {
    public static func load(_ data: Data, file: String) -> Result<PracticeLibrary, FrameworkProblems> {
        switch ContentChecker.decode(PracticeLibrary.self, from: data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let library):
            var c = ContentChecker(file: file)
            c.identifier(library.id, "id")
            if library.version < 1 { c.fail("version", "must be 1 or more, not \(library.version)") }
            c.text(library.title, "title")
            if library.licence.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("licence", "is empty") }
            c.unique(library.records.map(\.id), "records")
            for (i, p) in library.records.enumerated() { check(p, "records[\(i)]", into: &c) }
            return c.errors.isEmpty ? .success(library) : .failure(FrameworkProblems(c.errors))
        }
    }

    /// The checks of one record, with paths under `path`.
    /// The checks of one record, with paths under `path`. A member's record (`requireAllLanguages` false) may be
    /// written in one language, and leave out the texts other than title, summary, issue and how it works.
    public static func check(_ p: Practice, _ path: String, into c: inout ContentChecker, requireAllLanguages: Bool = true) {
        c.identifier(p.id, "\(path).id")
        for (name, text) in [("title", p.title), ("summary", p.summary), ("issue", p.issue), ("howItWorks", p.howItWorks),
                             ("results", p.results), ("evaluation", p.evaluation), ("beneficiaries", p.beneficiaries),
                             ("staff", p.staff), ("duration", p.duration), ("funding", p.funding),
                             ("competences", p.competences)] {
            if requireAllLanguages { c.text(text, "\(path).\(name)"); continue }
            let written = text.values.values.contains { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            if !written && ["title", "summary", "issue", "howItWorks"].contains(name) { c.fail("\(path).\(name)", "is empty") }
        }
        for (lang, s) in p.summary.values where s.count > Practice.maximumSummaryLength {
            c.fail("\(path).summary.\(lang)", "has \(s.count) characters; a summary has at most \(Practice.maximumSummaryLength)")
        }
        if p.start != "unknown" && !isYear(p.start) { c.fail("\(path).start", "\"\(p.start)\" is not a year like 2019 or \"unknown\"") }
        if let end = p.end {
            if !isYear(end) { c.fail("\(path).end", "\"\(end)\" is not a year like 2023") }
            else if isYear(p.start), end < p.start { c.fail("\(path).end", "ends (\(end)) before it starts (\(p.start))") }
            if p.stillRunning == true { c.fail("\(path).stillRunning", "a record with an end year is not still running") }
        }
        if p.country.count != 2 || !p.country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            c.fail("\(path).country", "\"\(p.country)\" is not a two-letter ISO country code")
        }
        if p.organisations.isEmpty { c.fail("\(path).organisations", "name at least one organisation") }
        for lang in ContentChecker.requiredLanguages where p.translations[lang] == nil && (requireAllLanguages || p.title.values[lang] != nil) {
            c.fail("\(path).translations.\(lang)", "say whether the \(lang) text is human or machine-made")
        }
        if p.kind == .tool && p.steps.count < 2 { c.fail("\(path).steps", "a tool has at least two steps") }
        for (i, s) in p.steps.enumerated() where requireAllLanguages {
            c.text(s.title, "\(path).steps[\(i)].title")
            c.text(s.text, "\(path).steps[\(i)].text")
        }
        if let m = p.materials, requireAllLanguages { c.text(m, "\(path).materials") }
        if let d = p.durationMinutes, !(1...100_000).contains(d) { c.fail("\(path).durationMinutes", "\(d) is not a number of minutes") }
    }

    public static func isYear(_ s: String) -> Bool { s.count == 4 && s.allSatisfy(\.isNumber) && s >= "1900" && s <= "2100" }
}

public enum ShippedPractices {
    public static func url() -> URL? {
        Bundle.module.url(forResource: "practices.v1", withExtension: "json", subdirectory: "Resources/Knowledge")
    }
}
