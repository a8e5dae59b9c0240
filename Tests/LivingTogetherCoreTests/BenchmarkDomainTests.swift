import Foundation
import Testing
@testable import LivingTogetherCore

/// A small valid framework, as JSON, for the loader and scoring tests.
enum SampleFramework {
    static func text(_ s: String) -> [String: String] { ["en": s, "nl": "NL \(s)"] }

    static func json(mutate: (inout [String: Any]) -> Void = { _ in }) -> Data {
        var doc: [String: Any] = [
            "id": "sample", "version": 1, "title": text("Sample"), "rationale": text("Why"), "licence": "CC BY 4.0",
            "sources": [["title": "A source"]],
            "scale": ["levels": (1...5).map { ["value": $0, "label": text("L\($0)"), "description": text("Level \($0)")] }],
            "contextFactors": [["id": "budget", "label": text("Budget")], ["id": "data", "label": text("Data")]],
            "keyFactors": ["know", "empower", "skills"].map { id in
                ["id": id, "title": text(id.capitalized), "rationale": text("Because \(id)"),
                 "questions": [["id": "q1", "text": text("\(id) one?")], ["id": "q2", "text": text("\(id) two?")]],
                 "tips": [text("Tip for \(id)")],
                 "practices": [["title": text("Practice"), "description": text("What was done"), "place": "Mechelen"]]] as [String: Any]
            },
        ]
        mutate(&doc)
        return try! JSONSerialization.data(withJSONObject: doc)
    }

    static var framework: Framework { try! FrameworkLoader.load(json(), file: "sample.json").get() }
}

@Suite struct FrameworkLoaderTests {
    @Test func loadsAValidFramework() throws {
        let f = try FrameworkLoader.load(SampleFramework.json(), file: "sample.json").get()
        #expect(f.keyFactors.map(\.id) == ["know", "empower", "skills"])
        #expect(f.scale.values == 1...5)
        #expect(f.questionKeys.contains("empower/q2"))
        #expect(f.title("nl") == "NL Sample")
        #expect(f.title.resolve("fr") == ("Sample", true))
    }

    func problems(_ mutate: (inout [String: Any]) -> Void) -> [String] {
        switch FrameworkLoader.load(SampleFramework.json(mutate: mutate), file: "broken.json") {
        case .success: return []
        case .failure(let p): return p.errors.map(\.description)
        }
    }

    @Test func missingTranslationNamesFileAndPath() {
        let p = problems { doc in
            var kf = doc["keyFactors"] as! [[String: Any]]
            var qs = kf[1]["questions"] as! [[String: Any]]
            qs[0]["text"] = ["en": "Only English"]
            kf[1]["questions"] = qs
            doc["keyFactors"] = kf
        }
        #expect(p == ["broken.json: keyFactors[1].questions[0].text.nl: the Dutch translation is missing"])
    }

    @Test func duplicateIdsAreRefused() {
        let p = problems { doc in
            var kf = doc["keyFactors"] as! [[String: Any]]
            kf[2]["id"] = "know"
            doc["keyFactors"] = kf
        }
        #expect(p == ["broken.json: keyFactors[2].id: duplicate id \"know\" (also at keyFactors[0])"])
    }

    @Test func unknownOrMisnumberedScaleLevel() {
        let p = problems { doc in
            var scale = doc["scale"] as! [String: Any]
            var levels = scale["levels"] as! [[String: Any]]
            levels[3]["value"] = 7
            scale["levels"] = levels
            doc["scale"] = scale
        }
        #expect(p == ["broken.json: scale.levels[3].value: expected 4: levels are numbered 1, 2, 3 … in order, found 7"])
    }

    @Test func missingFieldsAndWrongTypes() {
        #expect(problems { $0.removeValue(forKey: "keyFactors") } == ["broken.json: keyFactors: is missing"])
        #expect(problems { $0["version"] = "one" } == ["broken.json: version: has the wrong type (expected a whole number)"])
        #expect(problems { $0["id"] = "City For All" }.first?.contains("is not a valid id") == true)
        let long = problems { $0["id"] = String(repeating: "a", count: 100_000) }.first ?? ""
        #expect(long.contains("longer than 64 characters") && long.count < 300, "named, and not echoed whole")
        switch FrameworkLoader.load(Data("{ not json".utf8), file: "x.json") {
        case .success: Issue.record("accepted broken JSON")
        case .failure(let p): #expect(p.errors.first?.file == "x.json")
        }
    }
}

@Suite struct AssessmentContentTests {
    let f = SampleFramework.framework

    @Test func refersOnlyToTheFrameworkVersion() {
        let content = AssessmentContent(
            answers: ["know/q1": "Yes, interpreters", "know/q9": "?"],
            ratings: ["know": Rating(level: 6), "ghost": Rating(level: 2), "skills": Rating(level: 3)],
            context: ["budget": "tight", "weather": "rain"])
        let p = content.problems(against: f).map(\.description)
        #expect(p == [
            "answers.know/q9: \"know/q9\" is not a guiding question of this framework version",
            "context.weather: \"weather\" is not a context factor of this framework version",
            "ratings.ghost: \"ghost\" is not a key factor of this framework version",
            "ratings.know.level: level 6 is outside the scale 1–5",
        ])
    }

    @Test func saysWhichKeyFactorsLackARating() {
        let content = AssessmentContent(ratings: ["empower": Rating(level: 2), "skills": Rating(level: nil, comments: "later")])
        #expect(content.unrated(in: f) == ["know", "skills"])
    }

    @Test func gapsStrengthsAndAverages() {
        let scale = 1...5
        #expect(Scoring.isGap(2, scale: scale))
        #expect(!Scoring.isGap(3, scale: scale))
        #expect(Scoring.isStrength(4, scale: scale))
        #expect(!Scoring.isStrength(3, scale: scale))
        let content = AssessmentContent(ratings: ["know": Rating(level: 1), "empower": Rating(level: 4), "skills": Rating(level: 4)])
        let previous = AssessmentContent(ratings: ["know": Rating(level: 1), "empower": Rating(level: 2)])
        let figures = Scoring.figures(framework: f, content: content, previous: previous, peers: nil)
        #expect(figures.rows.map(\.level) == [1, 4, 4])
        #expect(figures.rows.map(\.previous) == [1, 2, nil])
        #expect(figures.rows.map(\.isGap) == [true, false, false])
        #expect(figures.rows.map(\.isStrength) == [false, true, true])
        #expect(figures.average == 3)
    }
}

@Suite struct PeerIndexTests {
    typealias C = PeerIndex.Contribution

    @Test func averagesOnlyFromFiveMunicipalities() {
        var contributions = (1...4).map { C(organisationID: $0, country: "BE", band: .m, levels: ["know": $0]) }
        contributions.append(C(organisationID: 99, country: "BE", band: .m, levels: ["know": 5]))
        // Four peers besides municipality 99: not shown.
        let four = PeerIndex(contributions).peers(of: 99, country: "BE", band: .m)
        #expect(four.count == 4)
        #expect(!four.shown)
        contributions.append(C(organisationID: 5, country: "BE", band: .m, levels: ["know": 5]))
        let five = PeerIndex(contributions).peers(of: 99, country: "BE", band: .m)
        #expect(five.count == 5)
        #expect(five.shown)
        #expect(five.averages["know"] == 3)  // (1+2+3+4+5)/5, without 99's own 5
    }

    @Test func sameCountryOrSameBandCountedOnce() {
        let index = PeerIndex([
            C(organisationID: 1, country: "BE", band: .m, levels: ["k": 1]),   // both
            C(organisationID: 2, country: "BE", band: .xl, levels: ["k": 2]),  // country
            C(organisationID: 3, country: "NL", band: .m, levels: ["k": 3]),   // band
            C(organisationID: 4, country: "NL", band: .xl, levels: ["k": 5]),  // neither
            C(organisationID: 5, country: "BE", band: nil, levels: ["k": 4]),  // country, no band
        ])
        let p = index.peers(of: 100, country: "BE", band: .m)
        #expect(p.count == 4)
        #expect(p.averages["k"] == 2.5)
    }

    /// Property: the index equals a plain filter over all contributions, for generated data.
    @Test func agreesWithAPlainFilter() {
        var rng = SplitMix(seed: 7)
        let countries = ["BE", "NL", "FR"]
        for _ in 0..<50 {
            let contributions = (1...40).map { id in
                C(organisationID: id, country: countries.randomElement(using: &rng)!,
                  band: Bool.random(using: &rng) ? SizeBand.allCases.randomElement(using: &rng) : nil,
                  levels: Dictionary(uniqueKeysWithValues: ["a", "b"].compactMap { k in Bool.random(using: &rng) ? (k, Int.random(in: 1...5, using: &rng)) : nil }))
            }
            let index = PeerIndex(contributions)
            let me = contributions.randomElement(using: &rng)!
            let peers = contributions.filter { $0.organisationID != me.organisationID && ($0.country == me.country || ($0.band != nil && $0.band == me.band)) }
            let got = index.peers(of: me.organisationID, country: me.country, band: me.band)
            #expect(got.count == peers.count)
            for k in ["a", "b"] {
                let values = peers.compactMap { $0.levels[k] }
                let expected = values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
                #expect(got.averages[k] == expected)
            }
        }
    }
}

@Suite struct SVGBarChartTests {
    @Test func accessibleAndEscaped() {
        let svg = SVGBarChart(id: "c1", title: "Levels <2026>", description: "Our levels & peers", categories: ["Know", "Skills"],
                              series: [.init(name: "2026", values: [3, nil]), .init(name: "Peers", values: [2.4, 4])],
                              minimum: 0, maximum: 5).render()
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"c1-title c1-desc\""))
        #expect(svg.contains("<title id=\"c1-title\">Levels &lt;2026&gt;</title>"))
        #expect(svg.contains("<desc id=\"c1-desc\">Our levels &amp; peers</desc>"))
        #expect(svg.contains(">2.4</text>"))
        #expect(svg.components(separatedBy: "<rect x=\"260.0\"").count - 1 == 3, "three bars: one value is missing")
    }
}

@Suite struct ShippedFrameworkTests {
    @Test func everyShippedFrameworkLoads() throws {
        let frameworks = try ShippedFrameworks.load().get()
        #expect(Set(frameworks.map(\.id)) == ["city-for-all", "gender-sensitive-integration", "labour-market-integration", "language-learning"])
        for f in frameworks {
            #expect(f.keyFactors.count >= 4, "\(f.id)")
            #expect(f.keyFactors.allSatisfy { $0.questions.count >= 3 }, "\(f.id)")
            #expect(f.scale.values == 1...5)
            #expect(!f.sources.isEmpty)
        }
        let cityForAll = try #require(frameworks.first { $0.id == "city-for-all" })
        #expect(cityForAll.keyFactors.count == 5)
        #expect(cityForAll.contextFactors.count == 10)
    }
}

