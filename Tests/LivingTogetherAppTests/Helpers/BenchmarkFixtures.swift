import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Vapor

extension Application {
    /// An assessment of "city for all" made directly: a draft, or submitted with the given levels.
    @discardableResult
    func makeAssessment(organisation: Int, year: Int? = nil, levels: [Int]? = nil, published: Bool = false,
                        theme: String = "city-for-all") async throws -> Assessment {
        guard let (row, framework) = try await benchmarks.latest(key: theme, on: db) else { fatalError("\(theme) is not loaded") }
        let a = Assessment()
        a.$organisation.id = organisation
        a.$framework.id = try row.requireID()
        a.frameworkKey = theme
        // The next free year of this organisation and theme, unless one is given.
        let taken = try await Assessment.query(on: db).filter(\.$organisation.$id == organisation).filter(\.$frameworkKey == theme)
            .sort(\.$year, .descending).first()?.year
        a.year = year ?? max(2000, taken ?? 2000) + 1
        a.revision = 1
        a.published = published
        var content = AssessmentContent()
        if let levels {
            for (k, level) in zip(framework.keyFactors, levels) { content.ratings[k.id] = Rating(level: level, evidenceText: "Evidence for \(k.id)") }
            a.status = Assessment.submitted
            a.submittedAt = Date()
            a.average = Scoring.average(levels)
        } else {
            a.status = Assessment.draft
        }
        try a.encode(content)
        try await a.create(on: db)
        if levels != nil { try await BenchmarkStore.bump(on: db) }
        return a
    }

    /// A valid framework document, as JSON, with the given id and version.
    static func frameworkJSON(id: String, version: Int = 1, keyFactors: Int = 2) -> [String: any Sendable] {
        func text(_ s: String) -> [String: String] { ["en": s, "nl": "NL \(s)"] }
        return [
            "id": id, "version": version, "title": text("Walk \(id)"), "rationale": text("Why"), "licence": "CC BY 4.0",
            "sources": [["title": "Test source"]],
            "scale": ["levels": (1...5).map { ["value": $0, "label": text("L\($0)"), "description": text("Level \($0)")] as [String: any Sendable] }],
            "contextFactors": [["id": "budget", "label": text("Budget")] as [String: any Sendable]],
            "keyFactors": (1...keyFactors).map { i -> [String: any Sendable] in
                ["id": "factor-\(i)", "title": text("Factor \(i)"), "rationale": text("Because"),
                 "questions": [["id": "q1", "text": text("Question?")] as [String: any Sendable]], "tips": [[String: String]](), "practices": [[String: any Sendable]]()]
            },
        ]
    }
}
