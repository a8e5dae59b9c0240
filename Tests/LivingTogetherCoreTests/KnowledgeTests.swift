import Foundation
import Testing
@testable import LivingTogetherCore

@Suite struct KnowledgeTests {
    static func text(_ en: String, _ nl: String? = nil) -> LocalizedText { LocalizedText(["en": en, "nl": nl ?? en]) }

    static func practice(_ id: String, title: String, summary: String = "A summary.", body: String = "How it works.",
                         kind: Practice.Kind = .practice, themes: [String] = [], keyFactors: [String] = [],
                         actions: [String] = [], country: String = "BE", bands: [SizeBand] = [.m],
                         languages: [String] = ["nl"]) -> Practice {
        Practice(id: id, kind: kind, title: text(title), summary: text(summary), issue: text("The issue."),
                 howItWorks: text(body), results: text("Results."), evaluation: text("Lessons."), beneficiaries: text("Newcomers."),
                 staff: text("Two people."), budgetBand: .small, duration: text("A year."), funding: text("The city."),
                 start: "2019", end: nil, stillRunning: true, organisations: ["Mechelen"], country: country, contact: nil,
                 languages: languages, translations: ["en": .human, "nl": .machine], themes: themes, keyFactors: keyFactors,
                 catalogueActions: actions, sizeBands: bands, competences: text("Local."),
                 steps: kind == .tool ? [.init(title: text("Awareness"), text: text("Look.")),
                                         .init(title: text("Encounter"), text: text("Meet."))] : [],
                 durationMinutes: kind == .tool ? 90 : nil, groupSize: nil, materials: nil, source: nil)
    }

    @Test func theShippedLibraryIsValid() throws {
        let url = try #require(ShippedPractices.url())
        switch PracticeLoader.load(try Data(contentsOf: url), file: url.lastPathComponent) {
        case .failure(let p): Issue.record("\(p)")
        case .success(let library):
            #expect(library.records.count >= 20)
            #expect(library.records.filter { $0.kind == .tool }.count >= 2)
            let ids = Set(library.records.map(\.id))
            for id in ["hallo-nederlands", "duo-for-a-job"] { #expect(ids.contains(id), "\(id) ships") }
        }
    }

    @Test func aRecordIsCheckedFieldByField() throws {
        var p = Self.practice("x", title: "Buddies")
        p.id = "Not An Id"; p.summary = LocalizedText(["en": String(repeating: "a", count: 301)]); p.start = "soon"
        p.end = "2018"; p.country = "Belgium"; p.kind = .tool; p.steps = []
        var c = ContentChecker(file: "library.json")
        PracticeLoader.check(p, "records[0]", into: &c)
        let paths = Set(c.errors.map(\.path))
        for path in ["records[0].id", "records[0].summary.nl", "records[0].summary.en", "records[0].start", "records[0].country",
                     "records[0].steps"] {
            #expect(paths.contains(path), "\(path) is named: \(c.errors)")
        }
    }

    @Test func searchRanksTitlesAboveBodiesAndIgnoresCaseAndAccents() {
        let index = KnowledgeSearchIndex(records: [
            (1, Self.practice("a", title: "Language café", body: "People practise Dutch.")),
            (2, Self.practice("b", title: "Welcome desk", body: "The desk offers a language café on Mondays.")),
            (3, Self.practice("c", title: "Sport for all", body: "Clubs open up.")),
        ])
        #expect(index.search(KnowledgeQuery(text: "CAFE")).hits.map(\.entry.id) == [1, 2], "the title first")
        #expect(index.search(KnowledgeQuery(text: "lang caf")).hits.map(\.entry.id) == [1, 2], "prefixes, every word")
        #expect(index.search(KnowledgeQuery(text: "café mondays")).hits.map(\.entry.id) == [2])
        #expect(index.search(KnowledgeQuery(text: "zzz")).total == 0)
        #expect(index.search(KnowledgeQuery()).hits.map(\.entry.id) == [1, 3, 2], "no words: by title")
    }

    @Test func filtersKeepOnlyTheTaggedRecords() {
        let index = KnowledgeSearchIndex(records: [
            (1, Self.practice("a", title: "Buddies", themes: ["city-for-all"], keyFactors: ["kf-1"], actions: ["buddies-for-newcomers"])),
            (2, Self.practice("b", title: "Toolbox", kind: .tool, country: "NL", bands: [.xl], languages: ["nl", "en"])),
            (3, Self.practice("c", title: "Jobs", themes: ["labour-market-integration"], country: "FI", bands: [.l])),
        ])
        #expect(index.search(KnowledgeQuery(kind: .tool)).hits.map(\.entry.id) == [2])
        #expect(index.search(KnowledgeQuery(theme: "city-for-all")).hits.map(\.entry.id) == [1])
        #expect(index.search(KnowledgeQuery(keyFactor: "kf-1")).hits.map(\.entry.id) == [1])
        #expect(index.search(KnowledgeQuery(action: "buddies-for-newcomers")).hits.map(\.entry.id) == [1])
        #expect(index.search(KnowledgeQuery(country: "FI")).hits.map(\.entry.id) == [3])
        #expect(index.search(KnowledgeQuery(band: .xl)).hits.map(\.entry.id) == [2])
        #expect(index.search(KnowledgeQuery(language: "en")).hits.map(\.entry.id) == [2])
        #expect(index.search(KnowledgeQuery(text: "buddies", country: "NL")).total == 0)
    }

    @Test func aRecordIsStaleAYearAfterItsLastCheck() {
        #expect(PracticeFreshness.isStale(lastVerified: nil, today: Day(2026, 12, 3)))
        #expect(!PracticeFreshness.isStale(lastVerified: Day(2026, 1, 1), today: Day(2026, 12, 3)))
        #expect(PracticeFreshness.isStale(lastVerified: Day(2025, 12, 2), today: Day(2026, 12, 3)))
    }
    @Test func theBestAreTheFirstOfTheSortedList() {
        var rng = SystemRandomNumberGenerator()
        let items = (0..<1_000).map { _ in Int.random(in: 0..<200, using: &rng) }
        for count in [0, 1, 7, 20, 60, 300, 1_000] {
            #expect(KnowledgeSearchIndex.best(items, count: count, by: <) == Array(items.sorted().prefix(count)))
        }
    }
}
