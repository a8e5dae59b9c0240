import Foundation
import Testing
@testable import LivingTogetherCore

/// The mentoring module's content: programme rules load, broken ones name the place of each problem, eligibility
/// says which rule fails, and trajectories move one stage at a time.
@Suite struct ProgrammeRulesTests {
    static func shipped(_ name: String) throws -> ProgrammeRules {
        let url = try #require(ShippedProgrammeRules.url(of: name))
        return try ProgrammeRulesLoader.load(try Data(contentsOf: url), file: "\(name).json").get()
    }

    @Test func theShippedRulesLoad() throws {
        let all = try ShippedProgrammeRules.load().get()
        #expect(all.map(\.id) == ["buddies-for-newcomers", "city-to-city", "duo-for-a-job"])
        let duo = try Self.shipped("duo-for-a-job.v1")
        #expect(duo.kind == .personToPerson)
        #expect(duo.stages.map(\.id) == ["discover", "train", "match", "guide", "evaluate"])
        #expect(duo.outcomes.map(\.id) == ["stable-job-3-months", "other-positive", "none"])
        #expect(duo.outcomes.map(\.positive) == [true, true, false])
        #expect(duo.capacity == .init(default: 1, maximum: 1))
        let city = try Self.shipped("city-to-city.v1")
        #expect(city.kind == .cityToCity)
        #expect(city.stages.map(\.id) == ["common-ground-and-benchmark", "preparation", "mentoring", "action-plan", "evaluation"])
        #expect(city.capacity.maximum >= 2)
        let buddies = try Self.shipped("buddies-for-newcomers.v1")
        #expect(buddies.menteeRules.contains { $0.oneOf != nil })
    }

    func problems(_ mutate: (inout [String: Any]) -> Void) throws -> [String] {
        let url = try #require(ShippedProgrammeRules.url(of: "duo-for-a-job.v1"))
        var doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        mutate(&doc)
        switch ProgrammeRulesLoader.load(try JSONSerialization.data(withJSONObject: doc), file: "broken.json") {
        case .success: return []
        case .failure(let p): return p.errors.map(\.description)
        }
    }

    @Test func brokenRulesNameFilePathAndProblem() throws {
        let p = try problems { doc in
            var mentee = doc["menteeRules"] as! [[String: Any]]
            mentee[0]["max"] = 10                       // below min 18
            mentee[1]["field"] = "nationality"          // not declared
            mentee[2]["id"] = "mentee-age"              // duplicate
            doc["menteeRules"] = mentee
            var mentor = doc["mentorRules"] as! [[String: Any]]
            mentor[1]["equals"] = 3                     // a boolean fact compared with a number
            mentor[2]["message"] = ["en": "Two hours a week."]
            mentor[3] = ["id": "mentor-duration", "field": "months", "message": ["en": "x", "nl": "y"]]  // no condition
            doc["mentorRules"] = mentor
            var stages = doc["stages"] as! [[String: Any]]
            stages[3]["id"] = "match"
            doc["stages"] = stages
            doc["capacity"] = ["default": 2, "maximum": 1]
        }
        #expect(p.contains("broken.json: menteeRules[0].max: is below min (18.0)"))
        #expect(p.contains { $0.hasPrefix("broken.json: menteeRules[1].field: \"nationality\" is not one of the declared facts") })
        #expect(p.contains("broken.json: menteeRules[2].id: duplicate id \"mentee-age\" (also at menteeRules[0])"))
        #expect(p.contains("broken.json: mentorRules[1].equals: \"professionalExperience\" is boolean, the rule compares it with number"))
        #expect(p.contains("broken.json: mentorRules[2].message.nl: the Dutch translation is missing"))
        #expect(p.contains("broken.json: mentorRules[3]: a rule needs min and/or max, or equals, or oneOf"))
        #expect(p.contains("broken.json: stages[3].id: duplicate id \"match\" (also at stages[2])"))
        #expect(p.contains("broken.json: capacity.maximum: is below the default 2"))
    }

    @Test func undecodableRulesNameThePath() throws {
        #expect(try problems { doc in doc["kind"] = "groupToGroup" }.first?.hasPrefix("broken.json: kind: is not valid") == true)
        #expect(try problems { doc in doc.removeValue(forKey: "stages") } == ["broken.json: stages: is missing"])
        #expect(try problems { doc in
            var f = doc["facts"] as! [[String: Any]]; f[0]["type"] = 7; doc["facts"] = f
        } == ["broken.json: facts[0].type: has the wrong type (expected text)"])
        switch ProgrammeRulesLoader.load(Data("{ not json".utf8), file: "x.json") {
        case .success: Issue.record("loaded")
        case .failure(let p): #expect(p.errors.map(\.description) == ["x.json: is not valid JSON"])
        }
    }

    @Test func eligibilityNamesTheFailedRule() throws {
        let duo = try Self.shipped("duo-for-a-job.v1")
        let ok: [String: FactValue] = ["age": 24, "originOutsideEU": true, "workPermit": true]
        #expect(Eligibility.check(ok, role: .mentee, in: duo).isEmpty)
        #expect(Eligibility.check(["age": 18, "originOutsideEU": true, "workPermit": true], duo.menteeRules).isEmpty)
        #expect(Eligibility.check(["age": 33, "originOutsideEU": true, "workPermit": true], duo.menteeRules).isEmpty)

        let tooOld = Eligibility.check(["age": 41, "originOutsideEU": true, "workPermit": true], duo.menteeRules)
        #expect(tooOld.map(\.rule.id) == ["mentee-age"])
        #expect(tooOld[0].message("en") == "Mentees are between 18 and 33 years old. (given: 41)")
        #expect(tooOld[0].message("nl") == "Mentees zijn tussen 18 en 33 jaar oud. (opgegeven: 41)")

        let noPermit = Eligibility.check(["age": 20, "originOutsideEU": true], duo.menteeRules)
        #expect(noPermit.map(\.rule.id) == ["mentee-work-permit"])
        #expect(noPermit[0].found == nil)
        #expect(noPermit[0].message("en").hasSuffix("(not given)"))

        // A fact of the wrong type fails its rule rather than passing silently.
        #expect(Eligibility.check(["age": "24", "originOutsideEU": true, "workPermit": true], duo.menteeRules).map(\.rule.id) == ["mentee-age"])

        let mentor: [String: FactValue] = ["age": 49, "professionalExperience": true, "hoursPerWeek": 1.5, "months": 6]
        #expect(Eligibility.check(mentor, role: .mentor, in: duo).map(\.rule.id) == ["mentor-age", "mentor-hours"])

        let buddies = try Self.shipped("buddies-for-newcomers.v1")
        #expect(Eligibility.check(["age": 30, "yearsInCountry": 1, "form": "karaoke"], buddies.menteeRules).map(\.rule.id) == ["newcomer-form"])
        #expect(Eligibility.check(["age": 30, "yearsInCountry": 1, "form": "shared-meal"], buddies.menteeRules).isEmpty)
    }

    @Test func onlyDeclaredFactsAreKept() throws {
        let duo = try Self.shipped("duo-for-a-job.v1")
        #expect(duo.undeclaredFacts(["age": 20, "religion": "x", "workPermit": true]) == ["religion"])
    }

    @Test func ageOnADay() {
        #expect(Eligibility.age(born: "1991-05-31", on: "2024-05-30") == 32)
        #expect(Eligibility.age(born: "1991-05-31", on: "2024-05-31") == 33)
        #expect(Eligibility.age(born: "2030-01-01", on: "2024-05-31") == nil)
    }

    @Test func factValuesReadFromJSON() throws {
        let values = try JSONDecoder().decode([FactValue].self, from: Data(#"[true, 2, 2.5, "A2"]"#.utf8))
        #expect(values == [.boolean(true), .number(2), .number(2.5), .text("A2")])
        #expect(String(data: try JSONEncoder().encode(values), encoding: .utf8) == #"[true,2,2.5,"A2"]"#)
    }
}

@Suite struct TrajectoryTests {
    let stages = try! ProgrammeRulesTests.shipped("duo-for-a-job.v1").stages

    @Test func movesForwardOneStageAtATime() {
        #expect(Trajectory.canMove(from: nil, to: "discover", stages: stages) == .success(.start))
        #expect(Trajectory.canMove(from: "discover", to: "train", stages: stages) == .success(.forward))
        #expect(Trajectory.canMove(from: "guide", to: "guide", stages: stages) == .success(.stay))
        #expect(Trajectory.canMove(from: "guide", to: "match", stages: stages) == .success(.back(steps: 1)))
    }

    @Test func skippingIsRefusedNamingTheSkippedStages() {
        #expect(Trajectory.canMove(from: "discover", to: "guide", stages: stages)
                == .failure(.skippedStages(from: "discover", to: "guide", skipped: ["train", "match"])))
        if case .failure(let e) = Trajectory.canMove(from: "train", to: "guide", stages: stages) {
            #expect(e.description == "moving from train to guide would skip match; stages follow one another")
        } else { Issue.record("a skip was allowed") }
        #expect(Trajectory.canMove(from: nil, to: "match", stages: stages) == .failure(.mustStartAtFirstStage(first: "discover", asked: "match")))
        #expect(Trajectory.canMove(from: "guide", to: "party", stages: stages) == .failure(.unknownStage("party")))
    }
}
